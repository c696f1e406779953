/**
 * Durable files in the state dir. Append-only JSON-lines journals ({@code act}'s audit log, {@code notify}'s failure
 * log): appends forced to disk, size-based rotation with a bounded number of old files, and reading that skips a
 * torn or undecodable line instead of refusing to start. And files replaced whole, atomically
 * ({@link io.headroom.journal.DurableFile}: the actuation state, the admission pauses). Depends on {@code config}
 * only.
 */
package io.headroom.journal;
