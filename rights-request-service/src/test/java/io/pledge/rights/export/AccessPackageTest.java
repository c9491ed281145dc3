package io.pledge.rights.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.agroal.api.AgroalDataSource;
import io.pledge.events.EventTypes;
import io.pledge.kit.events.EventSchemas;
import io.pledge.kit.testing.Db;
import io.pledge.rights.support.AccountStub;
import io.pledge.rights.support.Api;
import io.pledge.rights.support.RightsBroker;
import io.pledge.rights.support.Topics;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyStore;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The access package (policy 6.1) holds everything each holder has, against the real PostgreSQL test database and the
 * module's real Kafka broker: a third-party holder's part of more than 50 (here 120) items, fetched over https from
 * its own export server (a real TLS server in this test on a certificate made with the JDK's keytool, trusted through
 * {@code pledge.rights.export.trusted-certificates}), is in the package whole; a holder whose part is one page of a
 * longer list ({@code total} above its {@code items}) gets no package handed out short: a 503 problem naming it.
 * account-service is the in-test stub; the other holders' replies come from a plain Kafka producer.
 */
@QuarkusTest
@WithTestResource(value = RightsBroker.class, scope = TestResourceScope.GLOBAL)
class AccessPackageTest {

    private static HttpsServer server;
    private static final Map<String, String> PARTS = new ConcurrentHashMap<>();

    @Inject
    EventSchemas schemas;
    @Inject
    AgroalDataSource db;

    @BeforeAll
    static void start() throws Exception {
        AccountStub.ensure();
        Path dir = Path.of("target/test-holder-tls");
        Files.createDirectories(dir);
        Path store = dir.resolve("holder-" + UUID.randomUUID() + ".p12");
        String pw = "pw-" + UUID.randomUUID();
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        run(keytool, "-genkeypair", "-alias", "holder", "-keyalg", "EC", "-groupname", "secp256r1", "-dname",
                "CN=127.0.0.1", "-ext", "SAN=IP:127.0.0.1", "-validity", "2", "-keystore", store.toString(),
                "-storetype", "PKCS12", "-storepass", pw, "-keypass", pw);
        Path pem = dir.resolve(store.getFileName() + ".pem");
        run(keytool, "-exportcert", "-rfc", "-alias", "holder", "-keystore", store.toString(), "-storepass", pw,
                "-file", pem.toString());
        Files.copy(pem, dir.resolve("trusted.pem"), StandardCopyOption.REPLACE_EXISTING);
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, pw.toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, pw.toCharArray());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(kmf.getKeyManagers(), null, null);
        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 10);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        server.createContext("/", x -> {
            String body = PARTS.get(x.getRequestURI().getRawPath());
            boolean credential = x.getRequestHeaders().getFirst("Authorization") != null;
            byte[] b = (body == null || credential ? "{}" : body).getBytes(StandardCharsets.UTF_8);
            x.getResponseHeaders().add("Content-Type", "application/json");
            x.sendResponseHeaders(body == null ? 404 : credential ? 400 : 200, b.length);
            x.getResponseBody().write(b);
            x.close();
        });
        server.start();
    }

    @AfterAll
    static void stop() {
        server.stop(0);
    }

    /** Holders registered here must not be expected by other test classes' requests. */
    @AfterEach
    void retireRegisteredHolders() {
        Db.exec(db, "update holder set status = 'OFFBOARDED' where kind <> 'SERVICE'");
    }

    private static String base(String id) {
        return "https://127.0.0.1:" + server.getAddress().getPort() + "/exports/" + id;
    }

    private static void register(String id) {
        Api.officer().body(Map.of("id", id, "kind", "DOWNSTREAM", "categories", List.of("analytics-profiles"),
                        "purposes", List.of("analytics"), "region", "CN", "channel", "KAFKA", "ackSlaSeconds", 3600,
                        "exportBaseUrl", base(id)))
                .when().post("/v1/holders").then().statusCode(201);
    }

    /** Submits and verifies an access request; every holder but {@code holder} answers (account-service EXPORTED). */
    private UUID access(UUID subject, String holder, KafkaConsumer<String, byte[]> topics) throws Exception {
        UUID request = Api.submitVerified(subject, Map.of("type", "ACCESS"));
        JsonObject cmd = Topics.await(topics, schemas, EventTypes.EXPORT_REQUESTED, request.toString()).json();
        assertThat(cmd.getJsonArray("holderIds").getList()).contains(holder);
        for (Object h : cmd.getJsonArray("holderIds")) {
            if (h.equals("account-service")) {
                Topics.reply(request, "account-service", subject, "ExportRequested", "EXPORTED", null,
                        "https://pledge.local/api/account-service/v1/accounts/" + subject + "/export?requestId=" + request,
                        null);
            } else if (!h.equals(holder) && !h.equals("rights-request-service")) {
                Topics.reply(request, (String) h, subject, "ExportRequested", "NOT_HELD", null, null, null);
            }
        }
        return request;
    }

    @Test
    @Tag("clause-6.1")
    void theAccessPackageHoldsAHoldersWholePartAndNeverOnePageOfIt() throws Exception {
        String whole = "profiles-" + UUID.randomUUID().toString().substring(0, 8);
        String paged = "pages-" + UUID.randomUUID().toString().substring(0, 8);
        register(whole);
        register(paged);
        UUID subject = UUID.randomUUID();
        JsonArray items = new JsonArray();
        for (int i = 0; i < 120; i++) {
            items.add(new JsonObject().put("segment", "segment-" + i).put("score", i));
        }
        PARTS.put("/exports/" + whole + "/" + subject, new JsonObject().put("subjectId", subject.toString())
                .put("profiles", items).encode());
        PARTS.put("/exports/" + paged + "/" + subject, new JsonObject().put("total", 120).put("page", 0)
                .put("size", 50).put("items", new JsonArray(items.getList().subList(0, 50))).encode());
        try (KafkaConsumer<String, byte[]> topics = Topics.tail("rights.commands")) {
            // a holder that hands over its whole part: all 120 items are in the package
            UUID request = access(subject, whole, topics);
            Topics.reply(request, whole, subject, "ExportRequested", "EXPORTED", null, base(whole) + "/" + subject, null);
            Api.awaitStatus(subject, request, "COMPLETED");
            JsonPath pkg = Api.as(subject).when().get("/v1/requests/{id}/package", request).then().statusCode(200)
                    .extract().jsonPath();
            assertThat(pkg.getList("parts." + whole + ".profiles")).hasSize(120);
            assertThat(pkg.getString("parts.account-service.subjectId")).isEqualTo(subject.toString());
            assertThat(pkg.getList("parts.rights-request-service.requests.requestId", String.class))
                    .contains(request.toString());

            // a holder that answers one page of 120: no short package is handed out
            UUID second = access(subject, paged, topics);
            Topics.reply(second, paged, subject, "ExportRequested", "EXPORTED", null, base(paged) + "/" + subject, null);
            Api.awaitStatus(subject, second, "COMPLETED");
            Api.as(subject).when().get("/v1/requests/{id}/package", second).then().statusCode(503)
                    .contentType(Api.PROBLEM).body("field", equalTo(paged));
        }
    }

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException(command[0] + " failed: " + out);
        }
    }
}
