/**
 * HTTP surface: /metrics, health and readiness. Depends on {@code config} and {@code metrics}.
 */
package io.headroom.http;
