package io.headroom.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * Picks free TCP ports on the loopback interface for servers that cannot be told to listen on port 0.
 *
 * <p>The port is free when this method returns, not necessarily when the server binds it: another
 * process can take it in between. Callers that start servers on such a port should retry on
 * "address already in use" (the extensions in this package do).
 */
public final class FreePorts {

    private FreePorts() {
    }

    /**
     * Returns a port that was free on 127.0.0.1 a moment ago.
     *
     * @return a port number in the ephemeral range chosen by the kernel
     * @throws UncheckedIOException if no socket can be bound at all
     */
    public static int loopback() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind any port on 127.0.0.1", e);
        }
    }
}
