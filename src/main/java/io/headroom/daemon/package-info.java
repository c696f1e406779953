/**
 * The daemon's Vert.x wiring: {@link io.headroom.daemon.Daemon} builds the stages and the worker pools,
 * {@link io.headroom.daemon.CycleVerticle} runs the {@link io.headroom.cycle.Cycle} on its timer, the training
 * verticle retrains on its schedule, and the status, reload and webhook APIs serve over HTTP. Depends on every
 * pipeline package and on {@code cycle}; only {@code cli} and {@code simulate} (the real-clock run) depend on it.
 */
package io.headroom.daemon;
