/**
 * Append-only JSON-lines files in the state dir ({@code act}'s audit log, {@code notify}'s failure log): appends
 * forced to disk, size-based rotation with a bounded number of old files, and reading that skips a torn or
 * undecodable line instead of refusing to start. Depends on {@code config} only.
 */
package io.headroom.journal;
