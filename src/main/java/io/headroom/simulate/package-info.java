/**
 * The simulator: a tool for evaluating Headroom, not a pipeline stage. It generates guests' metrics from a
 * scenario (load profiles, incidents) with its own physics, drives the unmodified detect, decide and act stages
 * (or a baseline policy) on a virtual clock, and reports which incidents were flagged and which failures were
 * avoided. It may depend on every stage; no stage depends on it.
 */
package io.headroom.simulate;
