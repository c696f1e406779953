/**
 * Outbound HTTP shared by every stage that calls out (collect's Prometheus client, notify's Alertmanager and
 * admission hook): one OkHttp client builder, trust from a private CA file, and secrets read from files.
 * Depends on nothing else in Headroom, so that collect and notify need not depend on each other.
 */
package io.headroom.net;
