package io.headroom.act;

import java.net.URISyntaxException;
import java.nio.file.Path;

/** URIs of libvirt's test driver on the fixtures next to this class. */
final class TestDriver {

    private TestDriver() {}

    /** {@code test:///abs/path/<fixture>}. */
    static String uri(String fixture) {
        return "test://" + path(fixture);
    }

    static Path path(String fixture) {
        try {
            return Path.of(TestDriver.class.getResource(fixture).toURI()).toAbsolutePath();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
