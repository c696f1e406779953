/**
 * One cycle, written once for {@code headroom run} and {@code headroom simulate}: {@link io.headroom.cycle.Cycle}
 * scores, decides, acts and records; {@link io.headroom.cycle.BatchTraining} and
 * {@link io.headroom.cycle.Exclusions} build every training from the same inputs (failure intervals and the
 * intervals Headroom held a change, {@link io.headroom.cycle.ActingTracker}). Plain Java, no Vert.x: the daemon
 * runs it on its worker pools, the simulator on its virtual clock. Depends on {@code config}, {@code collect},
 * {@code detect}, {@code decide} and {@code act}; only {@code daemon}, {@code simulate} and {@code cli} depend on it.
 */
package io.headroom.cycle;
