package io.headroom.cli;

/**
 * An input file the user gave is unusable (unreadable number, mismatched columns, timestamps out of order, too
 * little data). Its message names the file, and the line and column where there is one; the command exits 2, as for
 * bad usage, since rerunning cannot help until the input changes.
 */
final class InputException extends Exception {

    InputException(String message) {
        super(message);
    }
}
