/**
 * Configuration: immutable records loaded once from YAML and validated at load.
 * Every problem is reported with its key path. Depends on nothing else in Headroom.
 */
package io.headroom.config;
