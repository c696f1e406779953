package io.headroom.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;

/**
 * Two self-signed certificates for localhost: the server's, and another that must not be trusted for it. Made with
 * keytool, because the JDK has no public API to make a certificate and okhttp-tls is not a dependency.
 *
 * @param serverKeyStore the server's key and certificate (PKCS12, password {@code changeit})
 * @param serverPem      the server's certificate, the CA file that trusts it
 * @param otherPem       a certificate of another key for the same names, a CA file that must not trust the server
 */
public record TestTls(Path serverKeyStore, Path serverPem, Path otherPem) {

    private static final char[] PASSWORD = "changeit".toCharArray();

    /** Writes both certificates into {@code dir}. */
    public static TestTls create(Path dir) throws IOException, InterruptedException {
        TestTls tls = new TestTls(dir.resolve("server.p12"), dir.resolve("server.pem"), dir.resolve("other.pem"));
        selfSigned(dir, "server", tls.serverKeyStore, tls.serverPem);
        selfSigned(dir, "other", dir.resolve("other.p12"), tls.otherPem);
        return tls;
    }

    /** For {@code MockWebServer.useHttps}: serves the server's certificate. */
    public SSLSocketFactory serverSocketFactory() throws IOException, GeneralSecurityException {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(serverKeyStore)) {
            keys.load(in, PASSWORD);
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, PASSWORD);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), null, null);
        return context.getSocketFactory();
    }

    private static void selfSigned(Path dir, String alias, Path keyStore, Path pem)
            throws IOException, InterruptedException {
        keytool(dir, "-genkeypair", "-alias", alias, "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2",
                "-keystore", keyStore.toString(), "-storetype", "PKCS12", "-storepass", "changeit");
        keytool(dir, "-exportcert", "-rfc", "-alias", alias, "-keystore", keyStore.toString(),
                "-storepass", "changeit", "-file", pem.toString());
    }

    private static void keytool(Path dir, String... args) throws IOException, InterruptedException {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        List<String> command = new ArrayList<>(List.of(keytool.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("keytool.log").toFile()).start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("keytool finished").isTrue();
        assertThat(process.exitValue()).as("keytool %s exit code", args[0]).isZero();
    }
}
