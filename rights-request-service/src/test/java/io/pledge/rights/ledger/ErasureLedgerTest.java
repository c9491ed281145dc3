package io.pledge.rights.ledger;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.agroal.api.AgroalDataSource;
import io.pledge.events.EventTypes;
import io.pledge.events.rights.HolderReplied;
import io.pledge.kit.events.EventSchemas;
import io.pledge.rights.certificate.CertificateKeys;
import io.pledge.rights.support.AccountStub;
import io.pledge.rights.support.HolderKeysForTests;
import io.pledge.rights.support.Api;
import io.pledge.kit.testing.Db;
import io.pledge.rights.support.RightsBroker;
import io.pledge.rights.support.Topics;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A verified deletion through the propagation ledger, against the real PostgreSQL test database and a real Kafka
 * broker: the command is read from rights.commands, holders are simulated by a plain Kafka producer on rights.replies,
 * and the certificate is verified with the published public key. account-service is the in-test stub (the identity
 * verification contract only).
 */
@QuarkusTest
@WithTestResource(value = RightsBroker.class, scope = TestResourceScope.GLOBAL)
class ErasureLedgerTest {

    @Inject
    EventSchemas schemas;
    @Inject
    AgroalDataSource db;

    @BeforeAll
    static void stub() {
        AccountStub.ensure();
    }

    @Test
    @Tag("clause-6.3")
    @Tag("clause-10.2")
    void aVerifiedDeletionCompletesOnlyWhenEveryHolderRepliedAndYieldsASignedCertificate() throws Exception {
        UUID subject = UUID.randomUUID();
        try (KafkaConsumer<String, byte[]> commands = Topics.tail("rights.commands", "rights-request.events")) {
            UUID id = Api.submit(subject, Map.of("type", "DELETION", "ground", "6.3.4"));
            // nothing is sent before the identity is verified
            assertThat(Db.count(db, "select count(*) from ledger_entry where request_id = ?", id)).isZero();
            assertThat(Api.get(subject, id).getString("status")).isEqualTo("AWAITING_VERIFICATION");
            Api.verify(subject, id);

            JsonObject cmd = Topics.await(commands, schemas, EventTypes.ERASURE_REQUESTED, id.toString()).json();
            assertThat(cmd.getString("ground")).isEqualTo("6.3.4");
            List<Object> holders = cmd.getJsonArray("holderIds").getList();
            assertThat(holders).contains("account-service", "consent-service", "audit-service", "notification-service",
                    "rights-request-service");
            // the expected holders were stored before the command left
            assertThat(Db.count(db, "select count(*) from ledger_entry where request_id = ?", id)).isEqualTo(holders.size());

            Topics.reply(id, "account-service", subject, "ErasureRequested", "RETAINED",
                    List.of(new HolderReplied.RetainedItem("real-name", "INTERNET_REAL_NAME_RULES", LocalDate.now().plusYears(3))),
                    null, null);
            Topics.reply(id, "consent-service", subject, "ErasureRequested", "ERASED", null, null, null);
            Topics.reply(id, "audit-service", subject, "ErasureRequested", "ANONYMIZED", null, null, null);
            // a holder that is not registered (so has no key): recorded as refused, never counted
            Topics.reply(id, "stranger-holder", subject, "ErasureRequested", "ERASED", null, null, null);
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() ->
                    Db.count(db, "select count(*) from holder_reply where request_id = ?", id) == 4);
            assertThat(Db.string(db, "select disposition from holder_reply where request_id = ? and holder_id = 'stranger-holder'",
                    id)).isEqualTo("REFUSED");
            // one holder still silent: not complete
            assertThat(Api.get(subject, id).getString("status")).isEqualTo("IN_PROGRESS");

            String eventId = Topics.reply(id, "notification-service", subject, "ErasureRequested", "ERASED", null, null, null);
            JsonPath done = Api.awaitStatus(subject, id, "COMPLETED");
            JsonObject completed = Topics.await(commands, schemas, EventTypes.RIGHTS_REQUEST_COMPLETED, id.toString()).json();
            assertThat(completed.getString("certificateId")).isEqualTo(done.getString("certificateId"));

            // the same reply again (same event id) and a second, different reply change nothing
            Topics.send(EventTypes.HOLDER_REPLIED, HolderKeysForTests.sign(new HolderReplied(id, "notification-service",
                    subject, "ErasureRequested", "ERASED", null, null, null, null, java.time.Instant.now())), eventId,
                    "/pledge/notification-service");
            Topics.reply(id, "consent-service", subject, "ErasureRequested", "FAILED", null, null, "LATE_FAILURE");
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() ->
                    Db.count(db, "select count(*) from holder_reply where request_id = ? and disposition = 'ALREADY_FINAL'", id) == 1);
            assertThat(Db.count(db, "select count(*) from holder_reply where request_id = ?", id)).isEqualTo(6);
            assertThat(Db.count(db, "select count(*) from certificate where request_id = ?", id)).isEqualTo(1);
            assertThat(Db.string(db, "select outcome from ledger_entry where request_id = ? and holder_id = 'consent-service'", id))
                    .isEqualTo("ERASED");

            // the certificate: every holder's outcome and time, the retained item, a valid signature
            JsonPath cert = Api.as(subject).when().get("/v1/requests/{id}/certificate", id).then().statusCode(200)
                    .extract().jsonPath();
            String payload = cert.getString("payload");
            JsonObject body = new JsonObject(payload);
            assertThat(body.getString("requestId")).isEqualTo(id.toString());
            JsonArray hs = body.getJsonArray("holders");
            assertThat(hs.stream().map(h -> ((JsonObject) h).getString("holderId")).toList())
                    .containsExactlyInAnyOrderElementsOf(holders.stream().map(Object::toString).toList());
            JsonObject account = hs.stream().map(JsonObject.class::cast)
                    .filter(h -> h.getString("holderId").equals("account-service")).findFirst().orElseThrow();
            assertThat(account.getString("outcome")).isEqualTo("RETAINED");
            assertThat(account.getJsonArray("retained").getJsonObject(0).getString("legalBasis")).isEqualTo("INTERNET_REAL_NAME_RULES");
            assertThat(account.getString("at")).isNotBlank();
            String der = given().when().get("/v1/certificates/public-key").then().statusCode(200).extract().path("der");
            byte[] key = Base64.getDecoder().decode(der);
            assertThat(CertificateKeys.verify(key, payload.getBytes(StandardCharsets.UTF_8), cert.getString("signature"))).isTrue();
            assertThat(CertificateKeys.verify(key, payload.replace("RETAINED", "ERASED").getBytes(StandardCharsets.UTF_8),
                    cert.getString("signature"))).isFalse();
            // another subject cannot see it
            Api.as(UUID.randomUUID()).when().get("/v1/requests/{id}/certificate", id).then().statusCode(404)
                    .contentType(Api.PROBLEM);
            // a follow-up is scheduled for the retained item (policy 5.4)
            assertThat(Db.count(db, "select count(*) from retention_followup where request_id = ? and category = 'real-name'",
                    id)).isEqualTo(1);
        }
    }

    @Test
    @Tag("clause-5.4")
    void aRetainedItemIsErasedAtItsUntilDateByAFollowUpAcknowledgedLikeAnyErasure() throws Exception {
        UUID subject = UUID.randomUUID();
        try (KafkaConsumer<String, byte[]> commands = Topics.tail("rights.commands")) {
            UUID id = Api.submitVerified(subject, Map.of("type", "DELETION", "ground", "6.3.2"));
            JsonObject cmd = Topics.await(commands, schemas, EventTypes.ERASURE_REQUESTED, id.toString()).json();
            for (Object h : cmd.getJsonArray("holderIds")) {
                if (h.equals("rights-request-service")) {
                    continue;
                }
                if (h.equals("account-service")) {
                    Topics.reply(id, "account-service", subject, "ErasureRequested", "RETAINED", List.of(
                            new HolderReplied.RetainedItem("real-name", "INTERNET_REAL_NAME_RULES", LocalDate.now().minusDays(1))),
                            null, null);
                } else {
                    Topics.reply(id, (String) h, subject, "ErasureRequested", "NOT_HELD", null, null, null);
                }
            }
            Api.awaitStatus(subject, id, "COMPLETED");
            // the watchdog issues the follow-up to the holder that kept it, and only to it
            JsonObject followUp = Topics.await(commands, schemas, EventTypes.ERASURE_REQUESTED, "RETENTION_EXPIRED").json();
            assertThat(followUp.getString("subjectId")).isEqualTo(subject.toString());
            assertThat(followUp.getJsonArray("holderIds").getList()).containsExactly("account-service");
            assertThat(followUp.getJsonArray("categories").getList()).containsExactly("real-name");
            UUID f = UUID.fromString(followUp.getString("requestId"));
            Topics.reply(f, "account-service", subject, "ErasureRequested", "ERASED", null, null, null);
            JsonPath done = Api.awaitStatus(subject, f, "COMPLETED");
            assertThat(done.getString("ground")).isEqualTo("RETENTION_EXPIRED");
            assertThat(done.getString("certificateId")).isNotNull();
            assertThat(Db.string(db, "select status from retention_followup where request_id = ?", id)).isEqualTo("ISSUED");
        }
    }
}
