package io.headroom.net;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * TLS trust built from a PEM bundle alone: the JVM's default CAs are deliberately left out, so a server
 * (Prometheus, Alertmanager, an admission hook) behind a private CA cannot be impersonated by anyone holding a
 * certificate from a public one.
 */
public final class TrustAnchors {

    private final X509TrustManager trustManager;
    private final SSLContext context;

    private TrustAnchors(X509TrustManager trustManager, SSLContext context) {
        this.trustManager = trustManager;
        this.context = context;
    }

    /** Loads every certificate of the PEM file {@code caFile} as a trust anchor. */
    public static TrustAnchors fromPem(Path caFile) {
        try (InputStream in = Files.newInputStream(caFile)) {
            Collection<? extends Certificate> certificates =
                    CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certificates.isEmpty()) {
                throw new IllegalArgumentException("CA file " + caFile + " holds no certificate");
            }
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (Certificate certificate : certificates) {
                store.setCertificateEntry("ca-" + i++, certificate);
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            X509TrustManager trustManager = x509(factory.getTrustManagers());
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {trustManager}, null);
            return new TrustAnchors(trustManager, context);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read CA file " + caFile, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot use CA file " + caFile + ": " + e.getMessage(), e);
        }
    }

    private static X509TrustManager x509(TrustManager[] managers) {
        for (TrustManager manager : managers) {
            if (manager instanceof X509TrustManager x509) {
                return x509;
            }
        }
        throw new IllegalStateException("the default TrustManagerFactory returned no X509TrustManager");
    }

    public X509TrustManager trustManager() {
        return trustManager;
    }

    public SSLSocketFactory socketFactory() {
        return context.getSocketFactory();
    }

    /** A TLS context trusting these anchors only (for {@code java.net.http} clients). */
    public SSLContext sslContext() {
        return context;
    }
}
