/**
 * Decision: the pure tier policy and guardrails that turn scores into immutable decisions, and the pure choices
 * the actuation stage makes per guest before it acts: how its CPU is controlled ({@link io.headroom.decide.CpuControl}),
 * the CFS quota its multipliers apply to and the memory floor the balloon must leave it
 * ({@link io.headroom.decide.QuotaBaseline}). No I/O, so each is tested as a table; depends only on {@code config}.
 */
package io.headroom.decide;
