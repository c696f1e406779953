/**
 * Test infrastructure: JUnit 5 extensions that run real Prometheus and Alertmanager servers
 * (Debian binaries, or containers when only Docker is available) and a streaming OpenMetrics
 * writer for promtool backfills. Test scope only; depends on nothing in {@code main}.
 */
package io.headroom.testing;
