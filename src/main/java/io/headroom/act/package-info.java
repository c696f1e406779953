/**
 * Actuation: the single libvirt gateway, the actuators that apply (enforce) or only record (observe) decisions,
 * and the service that runs the decide-and-act cycle with its persisted state and audit log.
 * The only package that calls libvirt; every blocking call runs on the {@code headroom-libvirt} worker pool.
 * Depends on {@code config}, {@code decide}, {@code journal} (the audit log) and {@code metrics}.
 */
package io.headroom.act;
