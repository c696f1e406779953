package io.headroom.http;

import io.headroom.config.WebConfig;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.util.Set;

/** The listener's {@link HttpServerOptions}: plain HTTP, or TLS as {@code tls_server_config} asks. */
final class ListenerOptions {

    private ListenerOptions() {
    }

    static HttpServerOptions of(WebConfig web) {
        HttpServerOptions o = new HttpServerOptions();
        web.tls().ifPresent(t -> {
            o.setSsl(true)
                    .setKeyCertOptions(new PemKeyCertOptions().setCertPath(t.certFile().toString())
                            .setKeyPath(t.keyFile().toString()))
                    .setEnabledSecureTransportProtocols("TLSv1.3".equals(t.minVersion())
                            ? Set.of("TLSv1.3") : Set.of("TLSv1.2", "TLSv1.3"))
                    .setClientAuth(switch (t.clientAuth()) {
                        case NO_CLIENT_CERT -> ClientAuth.NONE;
                        case VERIFY_IF_GIVEN -> ClientAuth.REQUEST;
                        case REQUIRE_AND_VERIFY -> ClientAuth.REQUIRED;
                    });
            t.clientCaFile().ifPresent(ca -> o.setTrustOptions(new PemTrustOptions().addCertPath(ca.toString())));
        });
        return o;
    }
}
