/**
 * Detection: isolation-forest models on Tribuo, calibrated 0-100 scores with per-feature attribution.
 * Depends on {@code config} and {@code collect} (the feature matrix).
 */
package io.headroom.detect;
