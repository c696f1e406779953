/**
 * Feedback: tracks whether actions lowered the score and avoided failure, and adapts the strategy.
 */
package io.headroom.feedback;
