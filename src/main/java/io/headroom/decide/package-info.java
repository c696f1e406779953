/**
 * Decision: the pure tier policy and guardrails that turn scores into immutable decisions.
 * No I/O; depends only on {@code config} and value types.
 */
package io.headroom.decide;
