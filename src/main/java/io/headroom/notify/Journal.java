package io.headroom.notify;

import io.headroom.journal.RotatingJournal;
import java.io.Closeable;
import java.io.IOException;
import java.util.List;

/** Append-only lines that survive a restart; {@link FailureLog}'s storage. Blocking. */
interface Journal extends Closeable {

    /** Every complete line written so far, oldest first; lines that cannot be decoded go to {@code corrupt}. */
    List<String> readAll(RotatingJournal.CorruptLines corrupt) throws IOException;

    /** Appends lines and returns once they are durable. */
    void append(List<String> lines) throws IOException;
}
