package io.headroom.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Pausing new requests for a workload on the critical tier through an HTTP hook (e.g. a load balancer's drain API).
 *
 * @param enabled         off by default: pausing traffic is a decision the operator must opt into
 * @param hookUrl         URL called on pause and resume; placeholders {@code {workload}} and {@code {action}}
 *                        ({@code pause} or {@code resume}); required when enabled
 * @param method          HTTP method of the call
 * @param bearerTokenFile file holding a token sent as {@code Authorization: Bearer}
 * @param maxPause        a pause is lifted after this long even if the workload is still critical
 * @param timeout         connect and whole-call timeout of one hook call
 * @param retry           backoff between failed calls, until the call succeeds or is superseded
 * @param caFile          PEM bundle trusted for https instead of the system CAs
 */
public record AdmissionConfig(
        boolean enabled,
        Optional<UrlTemplate> hookUrl,
        Method method,
        Optional<Path> bearerTokenFile,
        Duration maxPause,
        Duration timeout,
        BackoffConfig retry,
        Optional<Path> caFile) {

    /** HTTP methods the hook may use; POST and PUT carry a JSON body. */
    public enum Method { POST, PUT, GET, DELETE }
}
