package io.headroom.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code server.web_config_file}: what it accepts, and the key path and reason of each thing it refuses. */
class WebConfigFileTest {

    /** A real bcrypt hash (cost 4) of "pw". */
    static final String HASH = org.springframework.security.crypto.bcrypt.BCrypt.hashpw("pw",
            org.springframework.security.crypto.bcrypt.BCrypt.gensalt(4));

    @TempDir
    Path dir;

    @BeforeEach
    void files() throws Exception {
        Files.writeString(dir.resolve("cert.pem"), "cert");
        Files.writeString(dir.resolve("key.pem"), "key");
    }

    ServerConfig load(String web) throws Exception {
        Files.writeString(dir.resolve("web.yml"), web);
        Path cfg = dir.resolve("headroom.yaml");
        Files.writeString(cfg, "server: {web_config_file: web.yml}\n");
        return ConfigLoader.load(cfg).server();
    }

    List<String> problems(String web) throws Exception {
        try {
            load(web);
            return List.of();
        } catch (ConfigException e) {
            return e.problems().stream().map(Object::toString).toList();
        }
    }

    String key(String k) {
        return "server.web_config_file[" + dir.resolve("web.yml") + "]." + k + ":";
    }

    @Test
    void offWithoutAFile() throws Exception {
        assertThat(ConfigLoaderTest.parse("").server().web()).isEqualTo(WebConfig.NONE);
        assertThat(ConfigLoaderTest.parse("").server().web().scheme()).isEqualTo("http");
    }

    @Test
    void readsTlsAndUsersWithPathsRelativeToTheFile() throws Exception {
        WebConfig web = load("tls_server_config: {cert_file: cert.pem, key_file: key.pem, min_version: TLS13}\n"
                + "basic_auth_users: {prometheus: '" + HASH + "'}\n").web();
        WebConfig.Tls tls = web.tls().orElseThrow();
        assertThat(tls.certFile()).isEqualTo(dir.resolve("cert.pem"));
        assertThat(tls.keyFile()).isEqualTo(dir.resolve("key.pem"));
        assertThat(tls.clientAuth()).isEqualTo(WebConfig.ClientAuth.NO_CLIENT_CERT);
        assertThat(tls.minVersion()).isEqualTo("TLSv1.3");
        assertThat(web.basicAuthUsers()).containsEntry("prometheus", HASH);
        assertThat(web.scheme()).isEqualTo("https");
        assertThat(web.toString()).as("hashes stay out of logs").contains("prometheus").doesNotContain(HASH);
    }

    @Test
    void basicAuthAloneKeepsPlainHttp() throws Exception {
        WebConfig web = load("basic_auth_users: {a: '" + HASH + "'}\n").web();
        assertThat(web.tls()).isEmpty();
        assertThat(web.basicAuth()).isTrue();
    }

    static Stream<Arguments> refused() {
        return Stream.of(
                Arguments.of("tls_server_config: {key_file: key.pem}", "tls_server_config.cert_file", "is required"),
                Arguments.of("tls_server_config: {cert_file: cert.pem, key_file: nokey.pem}",
                        "tls_server_config.key_file", "must be a readable file"),
                Arguments.of("tls_server_config: {cert_file: cert.pem, key_file: key.pem, client_auth_type: RequireAnyClientCert}",
                        "tls_server_config.client_auth_type", "accept unverified certificates"),
                Arguments.of("tls_server_config: {cert_file: cert.pem, key_file: key.pem, client_auth_type: RequireAndVerifyClientCert}",
                        "tls_server_config.client_ca_file", "is required when client_auth_type is RequireAndVerifyClientCert"),
                Arguments.of("tls_server_config: {cert_file: cert.pem, key_file: key.pem, min_version: TLS10}",
                        "tls_server_config.min_version", "must be TLS12 or TLS13"),
                Arguments.of("tls_server_config: {cert_file: cert.pem, key_file: key.pem, cipher_suites: [x]}",
                        "tls_server_config.cipher_suites", "unknown key"),
                Arguments.of("basic_auth_users: {alice: hunter2}", "basic_auth_users.alice", "must be a bcrypt hash"),
                Arguments.of("http_server_config: {http2: false}", "http_server_config", "unknown key"));
    }

    @ParameterizedTest
    @MethodSource("refused")
    void refusesWithTheKeyPath(String web, String where, String reason) throws Exception {
        List<String> p = problems(web + "\n");
        assertThat(p).singleElement().asString().startsWith(key(where)).contains(reason);
        assertThat(String.join("\n", p)).as("a pasted password is not echoed").doesNotContain("hunter2");
    }

    @Test
    void aMissingFileIsOneProblem() throws Exception {
        Path cfg = dir.resolve("headroom.yaml");
        Files.writeString(cfg, "server: {web_config_file: nothere.yml}\n");
        assertThatThrownBy(() -> ConfigLoader.load(cfg)).isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems()).singleElement().asString()
                        .startsWith("server.web_config_file: must be a readable file"));
    }
}
