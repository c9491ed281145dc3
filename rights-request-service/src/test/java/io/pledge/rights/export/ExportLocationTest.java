package io.pledge.rights.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.sun.net.httpserver.HttpServer;
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
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 16, "no outbound call carries a Pledge credential to a host it was not meant for", against the real PostgreSQL
 * test database and the real Kafka broker: a third-party holder registered with an export base URL replies EXPORTED on
 * rights.replies (a plain Kafka producer) with export locations elsewhere — the internal rewrite prefix that maps to
 * account-service (another subject's data), another host, port or path, a dot path, an encoded dot or slash,
 * userinfo — each recorded as refused (holder_reply disposition REFUSED_EXPORT_LOCATION with its reason), escalated
 * and not counted; its later real answer completes the request. account-service is the in-test stub, which records
 * every path it is called on with a bearer token: its own part of this subject is fetched with this service's token,
 * the other subject's never. A small real HTTP server on the holder's port records any request reaching it: none does. Registration refuses webhook and export URLs on loopback (other than the allow-listed 127.0.0.1),
 * private, link-local, shared, unspecified and multicast addresses, plain http to a host that is not allow-listed,
 * userinfo and dot segments, with a 400 problem, and registers nothing. Nothing is mocked.
 */
@QuarkusTest
@WithTestResource(value = RightsBroker.class, scope = TestResourceScope.GLOBAL)
class ExportLocationTest {

    /** One request the holder's export server received. */
    record Seen(String path, String authorization) {
    }

    private static HttpServer holder;
    private static final List<Seen> SEEN = new CopyOnWriteArrayList<>();

    @Inject
    EventSchemas schemas;
    @Inject
    AgroalDataSource db;

    @BeforeAll
    static void start() throws Exception {
        AccountStub.ensure();
        holder = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 10);
        holder.createContext("/", x -> {
            SEEN.add(new Seen(x.getRequestURI().getRawPath(), x.getRequestHeaders().getFirst("Authorization")));
            byte[] b = new JsonObject().put("held", List.of("analytics-profiles")).encode().getBytes(StandardCharsets.UTF_8);
            x.getResponseHeaders().add("Content-Type", "application/json");
            x.sendResponseHeaders(200, b.length);
            x.getResponseBody().write(b);
            x.close();
        });
        holder.start();
    }

    @AfterAll
    static void stop() {
        holder.stop(0);
    }

    /** Holders registered here must not be expected by other test classes' requests. */
    @AfterEach
    void retireRegisteredHolders() {
        Db.exec(db, "update holder set status = 'OFFBOARDED' where kind <> 'SERVICE'");
    }

    private static String local(String path) {
        return "http://127.0.0.1:" + holder.getAddress().getPort() + path;
    }

    private static Map<String, Object> registration(String id, String channel, String webhookUrl, String exportBaseUrl) {
        Map<String, Object> m = new HashMap<>(Map.of("id", id, "kind", "DOWNSTREAM", "categories", List.of("analytics-profiles"),
                "purposes", List.of("analytics"), "region", "CN", "channel", channel, "ackSlaSeconds", 3600));
        if (webhookUrl != null) {
            m.put("webhookUrl", webhookUrl);
        }
        if (exportBaseUrl != null) {
            m.put("exportBaseUrl", exportBaseUrl);
        }
        return m;
    }

    @Test
    void anExportLocationOutsideItsHoldersBaseIsRefusedAndNoPledgeTokenLeaves() throws Exception {
        String id = "export-" + UUID.randomUUID().toString().substring(0, 8);
        int port = holder.getAddress().getPort();
        // HolderReplied's schema already dead-letters a location that is not https; these are all https
        String base = "https://127.0.0.1:" + port + "/exports/" + id;
        Api.officer().body(registration(id, "KAFKA", null, base)).when().post("/v1/holders").then().statusCode(201)
                .body("exportBaseUrl", equalTo(base));
        UUID subject = UUID.randomUUID();
        UUID other = UUID.randomUUID();
        List<String> elsewhere = List.of(
                // first: the internal rewrite prefix. Counted, it would pull another subject's account data from
                // account-service (the stub) with this service's token into this subject's package
                "https://pledge.local/api/account-service/v1/accounts/" + other + "/export",
                "https://localhost:" + port + "/exports/" + id + "/" + subject,              // another host
                "https://127.0.0.1:" + AccountStub.PORT + "/exports/" + id + "/" + subject,  // another port (a Pledge service's)
                base.replace("/exports/" + id, "/exports/other-holder") + "/" + subject,      // another path
                base + "-evil/" + subject,                                                   // a prefix, not a segment
                base + "/../other-holder/" + subject,                                        // a dot path
                base + "/%2e%2e/other-holder/" + subject,                                    // an encoded dot path
                base + "%2f..%2fother-holder/" + subject,                                    // an encoded slash
                "https://user@127.0.0.1:" + port + "/exports/" + id + "/" + subject);        // userinfo
        try (KafkaConsumer<String, byte[]> topics = Topics.tail("rights.commands")) {
            UUID request = Api.submitVerified(subject, Map.of("type", "ACCESS"));
            JsonObject cmd = Topics.await(topics, schemas, EventTypes.EXPORT_REQUESTED, request.toString()).json();
            assertThat(cmd.getJsonArray("holderIds").getList()).contains(id);
            for (Object h : cmd.getJsonArray("holderIds")) {
                if (h.equals("account-service")) {
                    Topics.reply(request, "account-service", subject, "ExportRequested", "EXPORTED", null,
                            "https://pledge.local/api/account-service/v1/accounts/" + subject + "/export?requestId=" + request, null);
                } else if (!h.equals(id) && !h.equals("rights-request-service")) {
                    Topics.reply(request, (String) h, subject, "ExportRequested", "NOT_HELD", null, null, null);
                }
            }
            for (String location : elsewhere) {
                Topics.reply(request, id, subject, "ExportRequested", "EXPORTED", null, location, null);
            }
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> Db.count(db,
                    "select count(*) from holder_reply where request_id = ? and holder_id = ? "
                            + "and disposition = 'REFUSED_EXPORT_LOCATION'", request, id) == elsewhere.size());
            assertThat(Db.count(db, "select count(*) from holder_reply where request_id = ? and holder_id = ? "
                    + "and refusal_reason is null", request, id)).as("every refusal names its reason").isZero();
            assertThat(Db.string(db, "select refusal_reason from holder_reply where request_id = ? and holder_id = ? "
                    + "and body ->> 'exportLocation' like 'https://pledge.local/%'", request, id)).isEqualTo("INTERNAL_PREFIX");
            assertThat(Db.count(db, "select count(*) from escalation where request_id = ? and holder_id = ? "
                    + "and reason = 'EXPORT_LOCATION_REFUSED'", request, id)).isEqualTo(1);
            assertThat(Api.get(subject, request).getString("status")).as("refused replies are not counted")
                    .isEqualTo("IN_PROGRESS");
            assertThat(Db.string(db, "select status from ledger_entry where request_id = ? and holder_id = ?", request, id))
                    .isEqualTo("PENDING");

            // the holder's real answer completes the request; the package has this subject's account part only
            Topics.reply(request, id, subject, "ExportRequested", "NOT_HELD", null, null, null);
            Api.awaitStatus(subject, request, "COMPLETED");
            int tokensToAccount = AccountStub.AUTHORIZATIONS.size();
            JsonPath pkg = Api.as(subject).when().get("/v1/requests/{id}/package", request).then().statusCode(200)
                    .extract().jsonPath();
            assertThat(pkg.getString("parts.account-service.subjectId")).isEqualTo(subject.toString());
            assertThat(pkg.prettify()).doesNotContain(other.toString());
            // account-service's own part was fetched from its internal URL with this service's token, meant for
            // account-service only; the other subject's never was
            List<String> withToken = AccountStub.AUTHORIZATIONS.subList(tokensToAccount, AccountStub.AUTHORIZATIONS.size());
            assertThat(withToken).contains("/v1/accounts/" + subject + "/export aud=account-service");
            assertThat(AccountStub.AUTHORIZATIONS).noneMatch(path -> path.contains(other.toString()));
        }
        // nothing reached the holder's own server either (a refused location is never fetched)
        assertThat(SEEN).isEmpty();
    }

    @Test
    void webhookAndExportUrlsOnPrivateAddressesOrOverPlainHttpAreRefusedAtRegistration() {
        List<String> refused = List.of(
                "https://10.0.0.8/hook", "https://172.16.5.4/hook", "https://192.168.1.1/hook",
                "https://169.254.169.254/latest/meta-data", "https://127.0.0.2/hook", "https://0.0.0.0/hook",
                "https://224.0.0.1/hook", "https://100.64.0.1/hook", "https://[::1]/hook", "https://[fd00::1]/hook",
                "https://[fe80::1]/hook", "https://[::ffff:10.0.0.1]/hook", "https://[::]/hook",
                "http://93.184.216.34/hook",            // a public address, but plain http and not allow-listed
                "https://user:pw@93.184.216.34/hook",  // userinfo
                "https://93.184.216.34/a/../hook");    // a dot segment
        for (String url : refused) {
            String id = "hook-" + UUID.randomUUID().toString().substring(0, 8);
            Api.officer().body(registration(id, "WEBHOOK", url, null)).when().post("/v1/holders").then()
                    .statusCode(400).contentType("application/problem+json")
                    .body("type", equalTo("urn:pledge:problem:invalid-input")).body("field", equalTo("webhookUrl"));
            Api.officer().when().get("/v1/holders/{id}", id).then().statusCode(404);
            Api.officer().body(registration(id, "KAFKA", null, url)).when().post("/v1/holders").then()
                    .statusCode(400).contentType("application/problem+json").body("field", equalTo("exportBaseUrl"));
            Api.officer().when().get("/v1/holders/{id}", id).then().statusCode(404);
        }
        // Pledge's own URLs are no holder's export base: the public prefixes mapped to internal services, the services
        for (String url : List.of("https://pledge.local/api/account-service", "https://pledge.local/api/account-service/v1/accounts",
                AccountStub.URL + "/v1/accounts")) {
            String id = "export-" + UUID.randomUUID().toString().substring(0, 8);
            Api.officer().body(registration(id, "KAFKA", null, url)).when().post("/v1/holders").then()
                    .statusCode(400).body("field", equalTo("exportBaseUrl"));
        }
        // the explicit allow-list (pledge.outbound.allowed-hosts: 127.0.0.1 and localhost here) lets a local holder in
        String id = "hook-" + UUID.randomUUID().toString().substring(0, 8);
        Api.officer().body(registration(id, "WEBHOOK", local("/hook"), local("/exports/" + id))).when().post("/v1/holders")
                .then().statusCode(201);
        // an update is checked like a registration
        Api.officer().body(registration(id, "WEBHOOK", "https://10.1.2.3/hook", null)).when().put("/v1/holders/{id}", id)
                .then().statusCode(400).body("field", equalTo("webhookUrl"));
        Api.officer().when().get("/v1/holders/{id}", id).then().statusCode(200).body("webhookUrl", equalTo(local("/hook")));
    }
}
