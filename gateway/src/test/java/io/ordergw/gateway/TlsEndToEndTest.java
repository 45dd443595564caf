package io.ordergw.gateway;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.KeyStore;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * With a key store configured the gateway serves wss:// and https:// only.
 */
@SystemTest
class TlsEndToEndTest
{
    private static final String PASSWORD = "changeit";

    @TempDir
    Path dir;

    @Test
    @Timeout(120)
    void servesWssAndHttpsWithTheConfiguredCertificate() throws Exception
    {
        final Path keyStore = dir.resolve("server.p12");
        final Process keytool = new ProcessBuilder(
            Paths.get(System.getProperty("java.home"), "bin", "keytool").toString(),
            "-genkeypair", "-alias", "ordergw", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
            "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost",
            "-storetype", "PKCS12", "-keystore", keyStore.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD)
            .redirectErrorStream(true).start();
        assertTrue(keytool.waitFor(60, TimeUnit.SECONDS) && keytool.exitValue() == 0,
            new String(keytool.getInputStream().readAllBytes()));

        try (GatewayHarness harness = new GatewayHarness(dir.resolve("data"),
            "ordergw.gateway.tls { key-store = \"" + keyStore + "\", key-store-password = \"" + PASSWORD + "\" }\n"))
        {
            final String wss = harness.gateway.webSocketUrl();
            assertTrue(wss.startsWith("wss://"), wss);
            final HttpClient trusting = HttpClient.newBuilder().sslContext(trusting(keyStore)).build();

            try (ApexClient client = ApexClient.connect(wss, trusting))
            {
                assertEquals("PONG", client.call("Ping", "{}").payload().get("msg"));
                assertEquals(true, client.login("trader", GatewayHarness.PASSWORD).get("Authenticated"));
            }

            final HttpResponse<String> https = trusting.send(HttpRequest.newBuilder(
                URI.create(harness.gateway.httpUrl() + "/AP/Ping")).POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString());
            assertEquals(200, https.statusCode());
            assertEquals("{\"msg\":\"PONG\"}", https.body());

            // A client that does not trust the certificate cannot connect; plain http is not served.
            assertThrows(Exception.class, () -> ApexClient.connect(wss).close());
            final String plain = harness.gateway.httpUrl().replace("https://", "http://");
            assertThrows(Exception.class, () -> HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(plain + "/AP/Ping")).timeout(java.time.Duration.ofSeconds(5))
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString()));
        }
    }

    private static SSLContext trusting(final Path keyStorePath) throws Exception
    {
        final KeyStore keyStore = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStorePath))
        {
            keyStore.load(in, PASSWORD.toCharArray());
        }
        final TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(keyStore);
        final SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }
}
