package io.headroom.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads {@code server.web_config_file}. Problems are reported under the key path
 * {@code server.web_config_file[FILE].KEY}, with the rest of the config's problems. Relative paths inside resolve
 * against the web config file's own directory, as Prometheus does.
 */
final class WebConfigFile {

    /** bcrypt's modular crypt format: version, two-digit cost, 22 salt and 31 hash characters. */
    private static final Pattern BCRYPT = Pattern.compile("\\$2[aby]\\$(0[4-9]|[12][0-9]|3[01])\\$[./A-Za-z0-9]{53}");
    private static final Map<String, String> VERSIONS = Map.of("TLS12", "TLSv1.2", "TLS13", "TLSv1.3");

    private WebConfigFile() {
    }

    static WebConfig read(ConfigNode key, Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            key.problem("cannot read " + file + ": " + e.getMessage());
            return WebConfig.NONE;
        }
        JsonNode root;
        try {
            root = YamlTree.read(text);
        } catch (JsonProcessingException e) {
            key.problem(file + " is not valid YAML: " + e.getOriginalMessage());
            return WebConfig.NONE;
        }
        ConfigNode top = key.document(root, file);
        if (!top.expectMapping()) {
            return WebConfig.NONE;
        }
        Optional<WebConfig.Tls> tls = top.child("tls_server_config").present()
                ? Optional.ofNullable(tls(top.child("tls_server_config"))) : Optional.empty();
        Map<String, String> users = users(top.child("basic_auth_users"));
        top.rejectUnknownKeys();
        return new WebConfig(tls, users);
    }

    private static WebConfig.Tls tls(ConfigNode n) {
        if (!n.expectMapping()) {
            return null;
        }
        ConfigNode certNode = n.child("cert_file");
        ConfigNode keyNode = n.child("key_file");
        Optional<Path> cert = certNode.readableFile();
        Optional<Path> key = keyNode.readableFile();
        if (cert.isEmpty()) {
            certNode.problem("is required in tls_server_config (a PEM certificate chain)");
        }
        if (key.isEmpty()) {
            keyNode.problem("is required in tls_server_config (the PEM private key of cert_file)");
        }
        ConfigNode authNode = n.child("client_auth_type");
        String authText = authNode.string(WebConfig.ClientAuth.NO_CLIENT_CERT.yaml());
        WebConfig.ClientAuth auth = Arrays.stream(WebConfig.ClientAuth.values())
                .filter(a -> a.yaml().equals(authText)).findFirst().orElse(null);
        if (auth == null) {
            authNode.problem("must be one of " + Arrays.stream(WebConfig.ClientAuth.values())
                    .map(WebConfig.ClientAuth::yaml).collect(Collectors.joining(", "))
                    + "; RequestClientCert and RequireAnyClientCert accept unverified certificates and are refused"
                    + " (got \"" + authText + "\")");
            auth = WebConfig.ClientAuth.NO_CLIENT_CERT;
        }
        ConfigNode caNode = n.child("client_ca_file");
        Optional<Path> ca = caNode.readableFile();
        if (auth != WebConfig.ClientAuth.NO_CLIENT_CERT && ca.isEmpty()) {
            caNode.problem("is required when client_auth_type is " + auth.yaml());
        }
        ConfigNode versionNode = n.child("min_version");
        String versionText = versionNode.string("TLS12");
        String version = VERSIONS.get(versionText);
        if (version == null) {
            versionNode.problem("must be TLS12 or TLS13; older versions are refused (got \"" + versionText + "\")");
            version = "TLSv1.2";
        }
        n.rejectUnknownKeys();
        return cert.isEmpty() || key.isEmpty() ? null : new WebConfig.Tls(cert.get(), key.get(), auth, ca, version);
    }

    private static Map<String, String> users(ConfigNode n) {
        Map<String, String> users = new LinkedHashMap<>();
        n.stringMap().forEach((user, hash) -> {
            if (user.isEmpty() || user.contains(":")) {
                n.problem("user names must be non-empty and without ':' (got \"" + user + "\")");
            } else if (!BCRYPT.matcher(hash).matches()) {
                // The value is not echoed: someone may have pasted a password where the hash belongs.
                n.child(user).problem("must be a bcrypt hash ($2a$, $2b$ or $2y$, cost 04-31, 60 characters), e.g."
                        + " from htpasswd -nBC 10 " + user + " (got " + hash.length() + " characters)");
            } else {
                users.put(user, hash);
            }
        });
        return users;
    }
}
