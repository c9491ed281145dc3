package io.pledge.rights.ledger;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.agroal.api.AgroalDataSource;
import io.pledge.events.EventTypes;
import io.pledge.events.rights.CertificateVerifier;
import io.pledge.events.rights.HolderReplied;
import io.pledge.kit.events.EventSchemas;
import io.pledge.kit.testing.Db;
import io.pledge.rights.support.AccountStub;
import io.pledge.rights.support.Api;
import io.pledge.rights.support.HolderKeysForTests;
import io.pledge.rights.support.RightsBroker;
import io.pledge.rights.support.Topics;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Replies bound to the holder that sent them (issue 16), against the real PostgreSQL test database and the real test
 * broker: forged replies on rights.replies, in the right format and naming a pending holder, unsigned, signed by a key
 * of the forger's own, by another holder's registered key, or under the holder's key id by another key, are refused,
 * recorded with why, dead-lettered to rights.replies.dlq and escalated, and never reach the certificate; the genuine
 * holder's signed reply then completes the request, and the certificate checks offline (Pledge's signature and every
 * holder's own statement), a tampered statement detected. Key rotation: a new key verifies, a retired key verifies only
 * what was signed before its retirement. Holders are played by a plain Kafka producer with real Ed25519 keys.
 */
@QuarkusTest
@WithTestResource(value = RightsBroker.class, scope = TestResourceScope.GLOBAL)
class SignedReplyTest {

    @Inject
    EventSchemas schemas;
    @Inject
    AgroalDataSource db;

    @BeforeAll
    static void stub() {
        AccountStub.ensure();
    }

    /** Holders registered here must not be expected by other test classes' requests. */
    @AfterEach
    void retireRegisteredHolders() {
        Db.exec(db, "update holder set status = 'OFFBOARDED' where kind <> 'SERVICE'");
    }

    private static HolderReplied reply(UUID id, String holder, UUID subject, String outcome) {
        return new HolderReplied(id, holder, subject, "ErasureRequested", outcome,
                "ERASED".equals(outcome) ? Map.of("records", 3) : null, null, null, null,
                Instant.now().truncatedTo(ChronoUnit.MILLIS));
    }

    private static KeyPair ed25519() throws Exception {
        return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    }

    @Test
    @Tag("clause-6.3")
    @Tag("clause-10.2")
    void forgedRepliesAreRefusedDeadLetteredAndEscalatedAndTheGenuineOneCompletesTheRequest() throws Exception {
        UUID subject = UUID.randomUUID();
        String victim = "consent-service";
        try (KafkaConsumer<String, byte[]> commands = Topics.tail("rights.commands", "rights-request.events");
             KafkaConsumer<String, byte[]> dlq = Topics.tail("rights.replies.dlq")) {
            UUID id = Api.submitVerified(subject, Map.of("type", "DELETION", "ground", "6.3.2"));
            JsonObject cmd = Topics.await(commands, schemas, EventTypes.ERASURE_REQUESTED, id.toString()).json();
            for (Object h : cmd.getJsonArray("holderIds")) {
                if (!h.equals(victim) && !h.equals("rights-request-service")) {
                    Topics.reply(id, (String) h, subject, "ErasureRequested", "NOT_HELD", null, null, null);
                }
            }
            HolderKeysForTests.ensureRegistered(victim);
            HolderKeysForTests.ensureRegistered("notification-service");

            // the forgeries, each in the right format and naming the holder still pending
            HolderReplied forged = reply(id, victim, subject, "ERASED");
            Topics.sendAsIs(forged);
            Topics.sendAsIs(HolderKeysForTests.signWith(forged, ed25519()));
            KeyPair other = HolderKeysForTests.pair("notification-service");
            Topics.sendAsIs(HolderKeysForTests.signWith(forged, other));
            HolderReplied underVictimsKid = HolderKeysForTests.signWith(forged, ed25519());
            String victimKid = (String) HolderKeysForTests.jwk(victim).get("kid");
            Topics.sendAsIs(underVictimsKid.signedWith(victimKid, underVictimsKid.signature()));
            // a genuine statement of the holder with its outcome changed, the signature kept
            HolderReplied genuineFailure = HolderKeysForTests.sign(new HolderReplied(id, victim, subject, "ErasureRequested",
                    "FAILED", null, null, null, "STORE_UNAVAILABLE", Instant.now().truncatedTo(ChronoUnit.MILLIS)));
            Topics.sendAsIs(new HolderReplied(id, victim, subject, "ErasureRequested", "ERASED", Map.of("records", 3), null,
                    null, null, genuineFailure.repliedAt(), genuineFailure.keyId(), genuineFailure.signature()));

            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> Db.count(db, "select count(*) from holder_reply "
                    + "where request_id = ? and holder_id = ? and disposition = 'REFUSED'", id, victim) == 5);
            assertThat(Db.count(db, "select count(*) from holder_reply where request_id = ? and holder_id = ? "
                    + "and disposition <> 'REFUSED'", id, victim)).isZero();
            List<String> reasons = new java.util.ArrayList<>();
            for (String r : List.of("UNSIGNED", "UNKNOWN_KEY", "BAD_SIGNATURE")) {
                reasons.add(r);
                assertThat(Db.count(db, "select count(*) from holder_reply where request_id = ? and refusal_reason = ?",
                        id, r)).as(r).isPositive();
            }
            assertThat(Db.count(db, "select count(*) from holder_reply where request_id = ? and refusal_reason = "
                    + "'UNKNOWN_KEY'", id)).as("a key of the forger's own and another holder's key").isEqualTo(2);
            assertThat(Db.count(db, "select count(*) from holder_reply where request_id = ? and refusal_reason = "
                    + "'BAD_SIGNATURE'", id)).as("the victim's key id over another key, a tampered statement").isEqualTo(2);
            // dead-lettered with the reason
            List<Map<String, String>> dead = Topics.readWithHeaders(dlq, l -> l.stream()
                    .filter(m -> m.getOrDefault("body", "").contains(id.toString())).count() >= 5, Duration.ofSeconds(30));
            List<String> deadReasons = dead.stream().filter(m -> m.getOrDefault("body", "").contains(id.toString()))
                    .map(m -> m.get("dead-letter-reason")).toList();
            assertThat(deadReasons).hasSize(5).allMatch(r -> r.startsWith("reply refused: "));
            assertThat(String.join(" ", deadReasons)).contains(reasons);
            // escalated to the operators, naming the holder and the request
            List<Map<String, Object>> open = Api.officer().when().get("/v1/operator/escalations").then().statusCode(200)
                    .extract().jsonPath().getList("$");
            assertThat(open).anyMatch(e -> id.toString().equals(e.get("requestId")) && victim.equals(e.get("holderId"))
                    && "REPLY_SIGNATURE_INVALID".equals(e.get("reason")));
            // never counted
            assertThat(Db.string(db, "select status from ledger_entry where request_id = ? and holder_id = ?", id, victim))
                    .isEqualTo("PENDING");
            assertThat(Api.get(subject, id).getString("status")).isEqualTo("IN_PROGRESS");
            assertThat(Db.count(db, "select count(*) from certificate where request_id = ?", id)).isZero();

            // the genuine holder's reply completes the request
            Topics.reply(id, victim, subject, "ErasureRequested", "NOT_HELD", null, null, null);
            JsonPath done = Api.awaitStatus(subject, id, "COMPLETED");
            assertThat(Db.string(db, "select outcome from ledger_entry where request_id = ? and holder_id = ?", id, victim))
                    .isEqualTo("NOT_HELD");
            // the forgery stays before the operators after the completion
            assertThat(Db.count(db, "select count(*) from escalation where request_id = ? and holder_id = ? and reason = "
                    + "'REPLY_SIGNATURE_INVALID' and resolved_at is null", id, victim)).isEqualTo(1);

            // the certificate: Pledge's signature and every holder's own statement check offline; no forgery in it
            JsonPath cert = Api.as(subject).when().get("/v1/requests/{id}/certificate", id).then().statusCode(200)
                    .extract().jsonPath();
            assertThat(cert.getString("certificateId")).isEqualTo(done.getString("certificateId"));
            String payload = cert.getString("payload");
            Map<String, byte[]> pledgeKeys = new HashMap<>();
            for (Map<String, Object> k : given().when().get("/v1/certificates/public-key").then().statusCode(200).extract()
                    .jsonPath().<Map<String, Object>>getList("keys")) {
                pledgeKeys.put((String) k.get("keyId"), Base64.getDecoder().decode((String) k.get("der")));
            }
            List<Map<String, Object>> holderKeys = given().when().get("/v1/holders/keys").then().statusCode(200)
                    .extract().jsonPath().getList("keys");
            CertificateVerifier.Result ok = CertificateVerifier.verify(payload, cert.getString("signature"), pledgeKeys,
                    holderKeys);
            assertThat(ok.problems()).isEmpty();
            JsonObject body = new JsonObject(payload);
            assertThat(body.getJsonArray("holders").stream().map(JsonObject.class::cast))
                    .allMatch(h -> h.containsKey("reply") && h.containsKey("replyKey"))
                    .anyMatch(h -> h.getString("holderId").equals("rights-request-service"));
            JsonObject victimEntry = body.getJsonArray("holders").stream().map(JsonObject.class::cast)
                    .filter(h -> victim.equals(h.getString("holderId"))).findFirst().orElseThrow();
            assertThat(victimEntry.getJsonObject("reply").getString("outcome")).isEqualTo("NOT_HELD");

            // a holder's statement tampered with (and the payload re-signed by nobody): both problems are named
            String tampered = payload.replace("\"outcome\":\"NOT_HELD\",\"repliedAt\"", "\"outcome\":\"ERASED\",\"repliedAt\"");
            assertThat(tampered).isNotEqualTo(payload);
            assertThat(CertificateVerifier.verify(tampered, cert.getString("signature"), pledgeKeys, holderKeys).problems())
                    .anyMatch(p -> p.contains("Pledge's signature"))
                    .anyMatch(p -> p.contains("its signature does not verify"));
            // a statement swapped for another holder's: named even where the payload's own signature were forged too
            List<Map<String, Object>> withoutVictimsKeys = holderKeys.stream()
                    .filter(k -> !victim.equals(k.get("holderId"))).toList();
            assertThat(CertificateVerifier.verify(payload, cert.getString("signature"), pledgeKeys, withoutVictimsKeys)
                    .problems()).anyMatch(p -> p.startsWith("holder " + victim + ": key"));
        }
    }

    @Test
    @Tag("clause-4.1")
    void aHolderRotatesItsKeyAndARetiredKeyVerifiesOnlyWhatItSignedBeforeItsRetirement() throws Exception {
        String holder = "rotating-" + UUID.randomUUID().toString().substring(0, 8);
        KeyPair first = ed25519();
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair second = ec.generateKeyPair();
        Map<String, Object> firstJwk = io.pledge.events.rights.ReplySignatures.jwk(first.getPublic(), null);
        String firstKid = io.pledge.events.rights.ReplySignatures.thumbprint(firstJwk);
        Api.officer().body(Map.of("id", holder, "kind", "DOWNSTREAM", "categories", List.of("analytics-profiles"),
                        "purposes", List.of("analytics"), "region", "CN", "channel", "KAFKA", "ackSlaSeconds", 3600,
                        "signingKeys", List.of(firstJwk)))
                .when().post("/v1/holders").then().statusCode(201)
                .body("signingKeys[0].keyId", org.hamcrest.Matchers.equalTo(firstKid))
                .body("signingKeys[0].status", org.hamcrest.Matchers.equalTo("ACTIVE"));
        // bad keys are refused with a problem and change nothing
        Map<String, Object> withPrivate = new HashMap<>(firstJwk);
        withPrivate.put("d", "bm90LWEta2V5");
        Api.officer().body(withPrivate).when().post("/v1/holders/{id}/keys", holder).then().statusCode(422)
                .contentType(Api.PROBLEM);
        Api.officer().body(Map.of("kty", "RSA", "n", "AQAB", "e", "AQAB")).when().post("/v1/holders/{id}/keys", holder)
                .then().statusCode(422).contentType(Api.PROBLEM);
        Map<String, Object> clash = new HashMap<>(io.pledge.events.rights.ReplySignatures.jwk(second.getPublic(), null));
        clash.put("kid", firstKid);
        Api.officer().body(clash).when().post("/v1/holders/{id}/keys", holder).then().statusCode(409)
                .contentType(Api.PROBLEM);
        Api.as(UUID.randomUUID()).body(io.pledge.events.rights.ReplySignatures.jwk(second.getPublic(), null)).when()
                .post("/v1/holders/{id}/keys", holder).then().statusCode(403).contentType(Api.PROBLEM);
        assertThat(Db.count(db, "select count(*) from holder_key where holder_id = ?", holder)).isEqualTo(1);

        UUID subject = UUID.randomUUID();
        try (KafkaConsumer<String, byte[]> commands = Topics.tail("rights.commands")) {
            UUID id = Api.submitVerified(subject, Map.of("type", "DELETION", "ground", "6.3.2"));
            JsonObject cmd = Topics.await(commands, schemas, EventTypes.ERASURE_REQUESTED, id.toString()).json();
            assertThat(cmd.getJsonArray("holderIds").getList()).contains(holder);
            HolderReplied beforeRetirement = io.pledge.events.rights.ReplySignatures.sign(reply(id, holder, subject,
                    "ERASED"), firstKid, first.getPrivate());

            // rotation: the second key (P-256) is added, then the first retired
            String secondKid = Api.officer().body(io.pledge.events.rights.ReplySignatures.jwk(second.getPublic(), null))
                    .when().post("/v1/holders/{id}/keys", holder).then().statusCode(201).extract().path("keyId");
            Thread.sleep(5);
            Api.officer().when().post("/v1/holders/{id}/keys/{kid}/retirement", holder, firstKid).then().statusCode(200)
                    .body("status", org.hamcrest.Matchers.equalTo("RETIRED"));
            // the retired key stays published with its validity
            List<Map<String, Object>> published = given().when().get("/v1/holders/keys").then().statusCode(200)
                    .extract().jsonPath().getList("keys");
            assertThat(published).anyMatch(k -> firstKid.equals(k.get("keyId")) && "RETIRED".equals(k.get("status"))
                    && k.get("retiredAt") != null);

            // signed by the retired key after its retirement: refused
            Thread.sleep(5);
            Topics.sendAsIs(io.pledge.events.rights.ReplySignatures.sign(reply(id, holder, subject, "ERASED"), firstKid,
                    first.getPrivate()));
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> Db.count(db, "select count(*) from holder_reply "
                    + "where request_id = ? and refusal_reason = 'KEY_RETIRED'", id) == 1);
            // signed by the new key: counted
            for (Object h : cmd.getJsonArray("holderIds")) {
                if (!h.equals(holder) && !h.equals("rights-request-service")) {
                    Topics.reply(id, (String) h, subject, "ErasureRequested", "NOT_HELD", null, null, null);
                }
            }
            Topics.sendAsIs(io.pledge.events.rights.ReplySignatures.sign(reply(id, holder, subject, "ERASED"), secondKid,
                    second.getPrivate()));
            Api.awaitStatus(subject, id, "COMPLETED");
            // what the first key signed before its retirement still verifies (recorded, after the final outcome)
            Topics.sendAsIs(beforeRetirement);
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> Db.count(db, "select count(*) from holder_reply "
                    + "where request_id = ? and holder_id = ? and disposition = 'ALREADY_FINAL'", id, holder) == 1);
        }
    }
}
