package io.headroom.testing;

/** A started server, local process or container, as the extensions see it. */
interface RunningServer {

    /** Base URL without a trailing slash, e.g. {@code http://127.0.0.1:41234}. */
    String baseUrl();

    /** The port of {@link #baseUrl()}. */
    int port();

    /** Stops the server and waits for it to exit. Safe to call once the start failed or twice. */
    void stop();
}
