/**
 * Actuation: the decide-and-act orchestration ({@link io.headroom.act.ActuationService}) with its persisted state
 * and audit log, the actuators that apply (enforce) or only record (observe) decisions, and the host behind the
 * {@link io.headroom.act.Hypervisor} interface. {@link io.headroom.act.LibvirtGateway} is the one libvirt binding
 * and the only class that calls libvirt (libvirt-java and raw JNA); every native call holds its lock, so it stays one
 * piece, longer than the others, while what can be pure lives beside it ({@link io.headroom.act.CpuQuota},
 * {@code BalloonStats}, {@code OptOutMetadata}, {@code ReadBack}, {@code Backoff}), and so does
 * {@code CallThread}, the thread its native calls run on so that a hung one can be abandoned. Every blocking call
 * runs on the {@code headroom-libvirt} worker pool. Depends on {@code config}, {@code decide}, {@code journal} (the audit log)
 * and {@code metrics}.
 */
package io.headroom.act;
