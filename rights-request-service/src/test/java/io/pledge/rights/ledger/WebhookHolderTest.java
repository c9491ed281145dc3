package io.pledge.rights.ledger;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.agroal.api.AgroalDataSource;
import io.pledge.events.EventTypes;
import io.pledge.kit.crypto.KeyEncryptionKey;
import io.pledge.kit.events.EventSchemas;
import io.pledge.kit.testing.Db;
import io.pledge.rights.registry.WebhookSecrets;
import io.pledge.rights.support.AccountStub;
import io.pledge.rights.support.Api;
import io.pledge.rights.support.HolderKeysForTests;
import io.pledge.rights.support.RightsBroker;
import io.pledge.rights.support.Topics;
import io.pledge.rights.support.WebhookHolderServer;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Webhook holders (ARCHITECTURE, the holder protocol, channel "signed HTTPS webhook") against the real PostgreSQL
 * test database and a real Kafka broker: the holder is a small real HTTP server started here
 * ({@link WebhookHolderServer}), which checks the signature of the command it receives with its own HMAC code, not the
 * service's; its reply comes back through the signed callback over HTTP. The other holders reply on rights.replies with
 * a plain Kafka producer; account-service is the in-test stub (identity verification only). Nothing is mocked.
 */
@QuarkusTest
@WithTestResource(value = RightsBroker.class, scope = TestResourceScope.GLOBAL)
class WebhookHolderTest {

    private static WebhookHolderServer server;

    @Inject
    EventSchemas schemas;
    @Inject
    AgroalDataSource db;
    @Inject
    KeyEncryptionKey kek;

    @BeforeAll
    static void start() {
        AccountStub.ensure();
        server = new WebhookHolderServer();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** Holders registered here must not be expected by other test classes' requests. */
    @AfterEach
    void retireRegisteredHolders() {
        Db.exec(db, "update holder set status = 'OFFBOARDED' where kind <> 'SERVICE'");
    }

    /** Registers a webhook holder; returns the secret shown once in the answer. */
    static String register(String id, String url) {
        String secret = Api.officer().body(Map.of("id", id, "kind", "DOWNSTREAM", "categories", List.of("analytics-profiles"),
                        "purposes", List.of("analytics"), "region", "CN", "channel", "WEBHOOK", "webhookUrl", url,
                        "ackSlaSeconds", 3600, "signingKeys", List.of(HolderKeysForTests.jwk(id))))
                .when().post("/v1/holders").then().statusCode(201).extract().path("webhookSecret");
        assertThat(secret).isNotBlank();
        return secret;
    }

    private static String reply(UUID requestId, String holderId, UUID subject, String outcome) {
        String json = new JsonObject().put("requestId", requestId.toString()).put("holderId", holderId)
                .put("subjectId", subject.toString()).put("command", "ErasureRequested").put("outcome", outcome)
                .put("counts", new JsonObject().put("analytics-profiles", 2)).put("repliedAt", Instant.now().toString())
                .encode();
        // signed by the holder's registered key, as every reply must be
        return HolderKeysForTests.signJson(json);
    }

    /** A callback exactly as a holder sends it; a null header is left out. */
    private static ValidatableResponse callback(String holderId, String body, Long timestamp,
                                                java.util.function.Function<String, String> signer, String replyId) {
        RequestSpecification s = given().contentType(ContentType.JSON).body(body);
        if (timestamp != null) {
            s.header("webhook-timestamp", timestamp.toString());
        }
        if (signer != null) {
            s.header("webhook-signature", signer.apply(replyId == null ? "msg_absent" : replyId));
        }
        if (replyId != null) {
            s.header("webhook-id", replyId);
        }
        return s.when().post("/v1/holder-callbacks/{holderId}/replies", holderId).then();
    }

    private static long now() {
        return System.currentTimeMillis() / 1000;
    }

    private void replyOnKafkaAllBut(UUID id, UUID subject, JsonObject cmd, String webhookHolder) throws Exception {
        for (Object h : cmd.getJsonArray("holderIds")) {
            if (!h.equals(webhookHolder) && !h.equals("rights-request-service")) {
                Topics.reply(id, (String) h, subject, "ErasureRequested", "NOT_HELD", null, null, null);
            }
        }
    }

    private long repliesOf(UUID id, String holder) {
        return Db.count(db, "select count(*) from holder_reply where request_id = ? and holder_id = ? "
                + "and disposition <> 'REFUSED'", id, holder);
    }

    @Test
    @Tag("clause-6.3")
    void aWebhookHolderGetsASignedCommandAndOnlyItsOwnSignedFreshReplyCompletesTheRequestOnce() throws Exception {
        // the longest holder id and reply id the API allows: their idempotency key must still fit
        String a = ("hook-a-" + UUID.randomUUID() + "-" + "a".repeat(100)).substring(0, 100);
        String b = "hook-b-" + UUID.randomUUID().toString().substring(0, 8);
        String secretA = register(a, server.url("/a"));
        UUID subject = UUID.randomUUID();
        try (KafkaConsumer<String, byte[]> topics = Topics.tail("rights.commands", "rights-request.events")) {
            UUID id = Api.submitVerified(subject, Map.of("type", "DELETION", "ground", "6.3.4"));
            JsonObject cmd = Topics.await(topics, schemas, EventTypes.ERASURE_REQUESTED, id.toString()).json();
            assertThat(cmd.getJsonArray("holderIds").getList()).contains(a);

            // the holder received the command, signed with its secret (checked with the test's own HMAC)
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() ->
                    server.calls("/a").stream().anyMatch(c -> id.toString().equals(c.requestId())));
            WebhookHolderServer.Call call = server.calls("/a").stream().filter(c -> id.toString().equals(c.requestId()))
                    .findFirst().orElseThrow();
            assertThat(WebhookHolderServer.signedWith(call, secretA)).isTrue();
            assertThat(WebhookHolderServer.signedWith(call, secretA + "x")).isFalse();
            assertThat(call.ceType()).isEqualTo("ErasureRequested");
            assertThat(call.ceId()).isNotBlank();
            assertThat(Math.abs(now() - Long.parseLong(call.timestamp()))).isLessThan(120);
            JsonObject sent = new JsonObject(call.body());
            assertThat(sent.getString("requestId")).isEqualTo(id.toString());
            assertThat(sent.getString("subjectId")).isEqualTo(subject.toString());
            assertThat(sent.getString("ground")).isEqualTo("6.3.4");
            assertThat(sent.getJsonArray("holderIds").getList()).contains(a);
            schemas.validate(EventTypes.ERASURE_REQUESTED, sent);

            replyOnKafkaAllBut(id, subject, cmd, a);
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> Db.count(db,
                    "select count(*) from ledger_entry where request_id = ? and status = 'PENDING'", id) == 1);
            assertThat(Db.string(db, "select holder_id from ledger_entry where request_id = ? and status = 'PENDING'", id))
                    .isEqualTo(a);

            // refused, each with a 4xx problem, none of them recorded
            String body = reply(id, a, subject, "ERASED");
            long t = now();
            callback(a, body, t, null, UUID.randomUUID().toString()).statusCode(401).contentType(Api.PROBLEM)
                    .body("type", equalTo("urn:pledge:problem:unauthorized"));
            callback(a, body, t, WebhookHolderServer.sign("not-the-secret", t, body), UUID.randomUUID().toString())
                    .statusCode(401).contentType(Api.PROBLEM);
            callback(a, body, null, WebhookHolderServer.sign(secretA, t, body), UUID.randomUUID().toString())
                    .statusCode(401).contentType(Api.PROBLEM);
            callback(a, body.replace("\"ERASED\"", "\"NOT_HELD\""), t, WebhookHolderServer.sign(secretA, t, body),
                    UUID.randomUUID().toString()).statusCode(401).contentType(Api.PROBLEM);
            long stale = t - Duration.ofMinutes(10).toSeconds();
            callback(a, body, stale, WebhookHolderServer.sign(secretA, stale, body), UUID.randomUUID().toString())
                    .statusCode(401).contentType(Api.PROBLEM);
            long future = t + Duration.ofMinutes(10).toSeconds();
            callback(a, body, future, WebhookHolderServer.sign(secretA, future, body), UUID.randomUUID().toString())
                    .statusCode(401).contentType(Api.PROBLEM);
            callback("no-such-holder", body, t, WebhookHolderServer.sign(secretA, t, body), UUID.randomUUID().toString())
                    .statusCode(401).contentType(Api.PROBLEM);
            // a Kafka holder has no webhook secret: it cannot use the callback at all
            String kafkaBody = reply(id, "consent-service", subject, "ERASED");
            callback("consent-service", kafkaBody, t, WebhookHolderServer.sign("guessed", t, kafkaBody), UUID.randomUUID().toString())
                    .statusCode(401).contentType(Api.PROBLEM);
            // signed, but malformed, schema-invalid or without a reply id
            String broken = "{\"requestId\": ";
            callback(a, broken, t, WebhookHolderServer.sign(secretA, t, broken), UUID.randomUUID().toString())
                    .statusCode(400).contentType(Api.PROBLEM);
            String invalid = body.replace("\"ERASED\"", "\"SHREDDED\"");
            callback(a, invalid, t, WebhookHolderServer.sign(secretA, t, invalid), UUID.randomUUID().toString())
                    .statusCode(400).contentType(Api.PROBLEM);
            // a key twice: refused naming it, never "the last one wins" (here a holder of another reply)
            String twice = body.replace("\"holderId\":\"" + a + "\"", "\"holderId\":\"" + a + "\",\"holderId\":\"" + b + "\"");
            assertThat(twice).isNotEqualTo(body);
            callback(a, twice, t, WebhookHolderServer.sign(secretA, t, twice), UUID.randomUUID().toString())
                    .statusCode(400).contentType(Api.PROBLEM)
                    .body("type", equalTo("urn:pledge:problem:invalid-input")).body("field", equalTo("holderId"));
            // without its webhook-id (the id is part of what is signed): refused
            callback(a, body, t, WebhookHolderServer.sign(secretA, t, body), null).statusCode(401).contentType(Api.PROBLEM);
            String otherCommand = body.replace("\"ErasureRequested\"", "\"CorrectionRequested\"");
            callback(a, otherCommand, t, WebhookHolderServer.sign(secretA, t, otherCommand), UUID.randomUUID().toString())
                    .statusCode(422).contentType(Api.PROBLEM).body("field", equalTo("command"));
            // another webhook holder, registered after this command went out, so it was never sent it
            String secretB = register(b, server.url("/b"));
            callback(a, body, t, WebhookHolderServer.sign(secretB, t, body), UUID.randomUUID().toString())
                    .statusCode(401).contentType(Api.PROBLEM);
            callback(b, body, t, WebhookHolderServer.sign(secretB, t, body), UUID.randomUUID().toString())
                    .statusCode(403).contentType(Api.PROBLEM).body("field", equalTo("holderId"));
            assertThat(repliesOf(id, a)).isZero();
            // b's reply naming a is refused, recorded as such (with why) and escalated, never counted
            assertThat(Db.count(db, "select count(*) from holder_reply where holder_id in (?, ?) and disposition <> "
                    + "'REFUSED'", a, b)).isZero();
            assertThat(Db.string(db, "select refusal_reason from holder_reply where request_id = ? and holder_id = ? "
                    + "and disposition = 'REFUSED'", id, a)).isEqualTo("HOLDER_MISMATCH");

            // replies nobody expected (a holder never sent this command, a request that does not exist) are recorded
            // and flagged, never counted (the rule for unexpected replies, as on rights.replies)
            String ownReplyToOthersCommand = reply(id, b, subject, "ERASED");
            callback(b, ownReplyToOthersCommand, t, WebhookHolderServer.sign(secretB, t, ownReplyToOthersCommand),
                    UUID.randomUUID().toString()).statusCode(200).body("disposition", equalTo("UNEXPECTED"));
            String unknownRequest = reply(UUID.randomUUID(), a, subject, "ERASED");
            callback(a, unknownRequest, t, WebhookHolderServer.sign(secretA, t, unknownRequest), UUID.randomUUID().toString())
                    .statusCode(200).body("disposition", equalTo("UNEXPECTED"));
            assertThat(Db.count(db, "select count(*) from holder_reply where holder_id in (?, ?) and disposition = "
                    + "'UNEXPECTED'", a, b)).isEqualTo(2);
            assertThat(repliesOf(id, a)).isZero();
            assertThat(Db.string(db, "select status from ledger_entry where request_id = ? and holder_id = ?", id, a))
                    .isEqualTo("PENDING");
            assertThat(Api.get(subject, id).getString("status")).isEqualTo("IN_PROGRESS");

            // the holder's own, fresh, correctly signed reply completes the request
            String replyId = (UUID.randomUUID() + "-" + "r".repeat(100)).substring(0, 100);
            callback(a, body, t, WebhookHolderServer.sign(secretA, t, body), replyId).statusCode(200)
                    .body("disposition", equalTo("COUNTED"));
            Api.awaitStatus(subject, id, "COMPLETED");
            assertThat(Db.string(db, "select outcome from ledger_entry where request_id = ? and holder_id = ?", id, a))
                    .isEqualTo("ERASED");
            assertThat(Db.string(db, "select via from holder_reply where request_id = ? and holder_id = ?", id, a))
                    .isEqualTo("WEBHOOK");
            Topics.await(topics, schemas, EventTypes.RIGHTS_REQUEST_COMPLETED, id.toString());
            String certificate = Api.as(subject).when().get("/v1/requests/{id}/certificate", id).then().statusCode(200)
                    .extract().path("payload");
            JsonObject entry = new JsonObject(certificate).getJsonArray("holders").stream().map(JsonObject.class::cast)
                    .filter(h -> a.equals(h.getString("holderId"))).findFirst().orElseThrow();
            assertThat(entry.getString("outcome")).isEqualTo("ERASED");

            // the same reply again (same reply id, even signed afresh) is a duplicate; another one after the final
            // outcome is recorded but not counted: the holder's acknowledgement is counted once
            callback(a, body, t, WebhookHolderServer.sign(secretA, t, body), replyId).statusCode(200)
                    .body("disposition", equalTo("DUPLICATE"));
            // the same signed call replayed under another webhook-id: the id is signed, so it is refused
            callback(a, body, t, other -> WebhookHolderServer.signature(secretA, replyId, t, body),
                    UUID.randomUUID().toString()).statusCode(401).contentType(Api.PROBLEM);
            long later = now();
            callback(a, body, later, WebhookHolderServer.sign(secretA, later, body), replyId).statusCode(200)
                    .body("disposition", equalTo("DUPLICATE"));
            callback(a, body, later, WebhookHolderServer.sign(secretA, later, body), UUID.randomUUID().toString())
                    .statusCode(200).body("disposition", equalTo("ALREADY_FINAL"));
            assertThat(Db.count(db, "select count(*) from holder_reply where request_id = ? and holder_id = ? "
                    + "and disposition = 'COUNTED'", id, a)).isEqualTo(1);
            assertThat(repliesOf(id, a)).isEqualTo(2);
            assertThat(Db.count(db, "select count(*) from certificate where request_id = ?", id)).isEqualTo(1);
        }
    }

    @Test
    @Tag("clause-6.3")
    void aWebhookThatKeepsFailingIsRetriedWithBackoffThenEscalatedByTheWatchdog() throws Exception {
        String c = "hook-c-" + UUID.randomUUID().toString().substring(0, 8);
        server.answer("/broken", 500);
        String secret = register(c, server.url("/broken"));
        UUID subject = UUID.randomUUID();
        try (KafkaConsumer<String, byte[]> topics = Topics.tail("rights-request.events")) {
            UUID id = Api.submitVerified(subject, Map.of("type", "DELETION", "ground", "6.3.1"));
            // pledge.rights.webhook.max-attempts is 3 in the test profile, the first back-off 1 s, doubling
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> Db.count(db,
                    "select count(*) from webhook_delivery where request_id = ? and holder_id = ? and given_up_at is not null",
                    id, c) == 1);
            JsonObject escalated = Topics.await(topics, schemas, EventTypes.HOLDER_ESCALATED, c).json();
            assertThat(escalated.getString("requestId")).isEqualTo(id.toString());
            assertThat(escalated.getString("subjectId")).isEqualTo(subject.toString());

            List<WebhookHolderServer.Call> calls = server.calls("/broken").stream()
                    .filter(x -> id.toString().equals(x.requestId())).toList();
            assertThat(calls).hasSize(3);
            assertThat(calls).allMatch(x -> WebhookHolderServer.signedWith(x, secret));
            assertThat(calls).extracting(WebhookHolderServer.Call::ceId).containsOnly(calls.get(0).ceId());
            assertThat(Duration.between(calls.get(0).receivedAt(), calls.get(1).receivedAt())).isGreaterThan(Duration.ofMillis(900));
            assertThat(Duration.between(calls.get(1).receivedAt(), calls.get(2).receivedAt())).isGreaterThan(Duration.ofMillis(1900));
            assertThat(Db.string(db, "select attempts || ':' || last_status from webhook_delivery where request_id = ? "
                    + "and holder_id = ?", id, c)).isEqualTo("3:500");

            List<Map<String, Object>> open = Api.officer().when().get("/v1/operator/escalations").then().statusCode(200)
                    .extract().path("findAll { it.requestId == '" + id + "' }");
            assertThat(open).extracting(m -> m.get("holderId") + ":" + m.get("reason"))
                    .containsExactly(c + ":WEBHOOK_UNDELIVERABLE");
            // the holder still owes its answer: the request is not complete, and nothing more is sent once given up
            assertThat(Api.get(subject, id).getString("status")).isEqualTo("IN_PROGRESS");
            assertThat(Db.string(db, "select status from ledger_entry where request_id = ? and holder_id = ?", id, c))
                    .isEqualTo("PENDING");
            Thread.sleep(3000);
            assertThat(server.calls("/broken").stream().filter(x -> id.toString().equals(x.requestId()))).hasSize(3);
        }
    }

    @Test
    void webhookSecretsAreSealedAtRestAndStillSignCommandsAndCheckCallbacks() throws Exception {
        // every secret already stored, whatever an earlier version wrote, was sealed by the migration
        assertThat(Db.count(db, "select count(*) from holder where webhook_secret_sealed not like 'w1.%'")).isZero();
        String d = "hook-d-" + UUID.randomUUID().toString().substring(0, 8);
        String secret = register(d, server.url("/d"));
        assertThat(Db.columnsContaining(db, secret)).isEmpty();
        assertThat(Db.string(db, "select webhook_secret_sealed from holder where id = ?", d)).startsWith("w1.");
        assertThat(Files.readString(Path.of("target/rights-request-service-test.log"), StandardCharsets.UTF_8))
                .doesNotContain(secret);

        // a row as the first version stored it, in plain text, is sealed by the migration's step (V3)
        String legacy = "hook-legacy-" + UUID.randomUUID().toString().substring(0, 8);
        String legacySecret = "legacy-" + UUID.randomUUID() + UUID.randomUUID();
        Db.exec(db, "insert into holder (id, kind, categories, purposes, region, channel, webhook_url, webhook_secret_sealed, "
                + "ack_sla_seconds, status) values (?, 'DOWNSTREAM', '{analytics-profiles}', '{analytics}', 'CN', 'WEBHOOK', ?, ?, "
                + "3600, 'ACTIVE')", legacy, server.url("/legacy"), legacySecret);
        assertThat(Db.columnsContaining(db, legacySecret)).containsExactly("public.holder.webhook_secret_sealed");
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            assertThat(WebhookSecrets.sealPlaintext(c, kek)).isEqualTo(1);
            c.commit();
        }
        assertThat(Db.columnsContaining(db, legacySecret)).isEmpty();

        // signing still works with both: each receives the command signed with the secret it was given
        UUID subject = UUID.randomUUID();
        UUID id = Api.submitVerified(subject, Map.of("type", "DELETION", "ground", "6.3.2"));
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() ->
                server.calls("/d").stream().anyMatch(c -> id.toString().equals(c.requestId()))
                        && server.calls("/legacy").stream().anyMatch(c -> id.toString().equals(c.requestId())));
        assertThat(server.calls("/d").stream().filter(c -> id.toString().equals(c.requestId())))
                .allMatch(c -> WebhookHolderServer.signedWith(c, secret));
        assertThat(server.calls("/legacy").stream().filter(c -> id.toString().equals(c.requestId())))
                .allMatch(c -> WebhookHolderServer.signedWith(c, legacySecret));
        // and a callback signed with it is accepted
        String body = reply(id, d, subject, "NOT_HELD");
        long t = now();
        callback(d, body, t, WebhookHolderServer.sign(secret, t, body), UUID.randomUUID().toString()).statusCode(200)
                .body("disposition", equalTo("COUNTED"));

        // a sealed secret copied into another holder's row does not open there: that holder's callbacks are refused
        Db.exec(db, "update holder set webhook_secret_sealed = (select webhook_secret_sealed from holder where id = ?) "
                + "where id = ?", d, legacy);
        String legacyBody = reply(id, legacy, subject, "NOT_HELD");
        for (String key : List.of(legacySecret, secret)) {
            callback(legacy, legacyBody, t, WebhookHolderServer.sign(key, t, legacyBody), UUID.randomUUID().toString())
                    .statusCode(401).contentType(Api.PROBLEM);
        }
        assertThat(repliesOf(id, legacy)).isZero();
    }
}
