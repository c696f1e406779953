/**
 * Detection: isolation-forest models on Tribuo (a one-class SVM as an alternative), calibrated 0-100
 * scores with per-feature attribution. {@link io.headroom.detect.IsolationForest} is the allocation-free
 * scoring core; the Tribuo trainer and model wrap it. {@link io.headroom.detect.Backtest} replays the model
 * lifecycle over a history matrix, causally and without I/O. Those two are longer than the other classes on
 * purpose: the forest's build and walk share flat arrays that only make sense together, and the replay's plan,
 * training and scoring steps must stay in one order to stay causal. Depends on {@code config}, {@code collect}
 * (the feature matrix) and {@code metrics}.
 */
package io.headroom.detect;
