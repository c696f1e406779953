/**
 * Detection: isolation-forest models on Tribuo (a one-class SVM as an alternative), calibrated 0-100
 * scores with per-feature attribution. {@link io.headroom.detect.IsolationForest} is the allocation-free
 * scoring core; the Tribuo trainer and model wrap it. {@link io.headroom.detect.Backtest} replays the model
 * lifecycle over a history matrix, causally and without I/O. Depends on {@code config} and {@code collect}
 * (the feature matrix).
 */
package io.headroom.detect;
