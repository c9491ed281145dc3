package io.pledge.audit.holder;

import io.pledge.kit.testing.TestKafka;
import static io.pledge.audit.AuditTestSupport.awaitRecorded;
import static io.pledge.audit.AuditTestSupport.count;
import static io.pledge.audit.AuditTestSupport.example;
import static io.pledge.audit.AuditTestSupport.officer;
import static io.pledge.audit.AuditTestSupport.publish;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static io.pledge.audit.AuditTestSupport.entries;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agroal.api.AgroalDataSource;
import io.pledge.audit.AuditTestSupport;
import io.pledge.audit.ledger.AuditEntry;
import io.pledge.audit.ledger.EntryHasher;
import io.pledge.events.EventJson;
import io.pledge.events.EventTypes;
import io.pledge.kit.events.Envelope;
import io.pledge.kit.events.EventSchemas;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * audit-service as a holder, on the real broker and database: an erasure naming it removes the subject's bodies (read
 * back from the rows) but for the access record kept by law, leaves other subjects' entries whole, the chain and a
 * checkpoint signed before it still verify, and its one reply (read back from the real topic and held against the
 * published schema) says RETAINED with what stays, until when, and the counts; the follow-up erasure at the end of
 * the retention removes the rest (ANONYMIZED); a subject with nothing recorded is NOT_HELD; an export gets EXPORTED
 * pointing at the subject's history; a command that does not name it gets no reply.
 */
@QuarkusTest
@Tag("clause-5.4")
class HolderRepliesTest {

    @Inject
    AgroalDataSource db;

    @Inject
    EventSchemas schemas;

    @Test
    void erasureRemovesTheSubjectsBodiesKeepsTheAccessRecordAndTheChainAndCheckpointsStillVerify() {
        UUID subject = UUID.randomUUID();
        UUID other = UUID.randomUUID();
        ObjectNode granted = example(EventTypes.CONSENT_GRANTED);
        granted.put("subjectId", subject.toString());
        AuditEntry consent = awaitRecorded(db, publish(EventTypes.CONSENT_GRANTED, granted).id());
        ObjectNode accessed = example(EventTypes.PERSONAL_DATA_ACCESSED);
        accessed.put("subjectId", subject.toString());
        AuditEntry access = awaitRecorded(db, publish(EventTypes.PERSONAL_DATA_ACCESSED, accessed).id());
        ObjectNode othersGrant = example(EventTypes.CONSENT_GRANTED);
        othersGrant.put("subjectId", other.toString());
        AuditEntry othersConsent = awaitRecorded(db, publish(EventTypes.CONSENT_GRANTED, othersGrant).id());
        // a signed checkpoint covers the subject's entries with their bodies
        long signedSize = given().auth().oauth2(officer()).when().post("/v1/audit/checkpoints").then()
                .statusCode(200).extract().jsonPath().getLong("treeSize");
        assertThat(signedSize).isGreaterThan(othersConsent.seq());

        ObjectNode erasure = example(EventTypes.ERASURE_REQUESTED);
        erasure.put("subjectId", subject.toString());
        erasure.put("ground", "6.3.1");
        erasure.putArray("holderIds").add("account-service").add("audit-service");
        String requestId = erasure.get("requestId").asText();
        Envelope env = AuditTestSupport.envelope(EventTypes.ERASURE_REQUESTED, erasure);
        AuditTestSupport.publish(EventTypes.ERASURE_REQUESTED, env, erasure);
        AuditTestSupport.publish(EventTypes.ERASURE_REQUESTED, env, erasure); // redelivered

        JsonNode reply = awaitReply(requestId);
        assertThat(reply.get("holderId").asText()).isEqualTo("audit-service");
        assertThat(reply.get("command").asText()).isEqualTo("ErasureRequested");
        assertThat(reply.get("subjectId").asText()).isEqualTo(subject.toString());
        // the access record (who read the subject's data, why) is kept by law until its retention ends, and said so
        assertThat(reply.get("outcome").asText()).isEqualTo("RETAINED");
        assertThat(reply.get("retained")).hasSize(1);
        assertThat(reply.get("retained").get(0).get("category").asText()).isEqualTo("personal-data-access");
        assertThat(reply.get("retained").get(0).get("legalBasis").asText()).isEqualTo("ACCESS_RECORD_5_2_3");
        assertThat(reply.get("retained").get(0).get("until").asText()).isEqualTo(
                LocalDate.ofInstant(access.recordedAt().plus(Duration.ofDays(1095)), ZoneOffset.UTC).toString());
        assertThat(reply.get("counts").get("consent").asInt()).isEqualTo(1);
        assertThat(reply.get("counts").get(HolderReplies.SKELETONS).asInt()).isEqualTo(2);
        assertThat(reply.get("counts").has("personal-data-access")).isFalse();
        assertThat(count(db, "select count(*) from pledge_outbox where topic = 'rights.replies' and message_key = ?",
                requestId)).isEqualTo(1);

        // the rows: the subject's consent body is gone, its skeleton and hashes are as they were
        AuditEntry erased = entries(db, "seq = ?", consent.seq()).get(0);
        assertThat(erased.body()).isNull();
        assertThat(erased.redactedAt()).isNotNull();
        assertThat(count(db, "select count(*) from audit_entry where seq = ? and redaction = 'erasure'", consent.seq()))
                .isEqualTo(1);
        assertThat(erased.subjectId()).isEqualTo(subject);
        assertThat(erased.eventType()).isEqualTo(consent.eventType());
        assertThat(erased.actor()).isEqualTo(consent.actor());
        assertThat(erased.bodySha256()).isEqualTo(consent.bodySha256());
        // the commitment was salted and the salt went with the body: the chained hash confirms no guessed body
        assertThat(consent.bodySalt()).hasSize(EntryHasher.SALT_LENGTH);
        assertThat(consent.bodySha256()).isEqualTo(EntryHasher.bodyCommitment(consent.bodySalt(), consent.body()))
                .isNotEqualTo(EntryHasher.bodyHash(consent.body()));
        assertThat(erased.bodySalt()).isNull();
        assertThat(erased.entryHash()).isEqualTo(consent.entryHash());
        // the access record and the other subject's entry are whole
        assertThat(entries(db, "seq = ?", access.seq()).get(0).body()).isEqualTo(access.body());
        AuditEntry othersNow = entries(db, "seq = ?", othersConsent.seq()).get(0);
        assertThat(othersNow.body()).isEqualTo(othersConsent.body());
        assertThat(othersNow.redactedAt()).isNull();
        // the subject's history shows the entry without its body
        given().auth().oauth2(officer()).when()
                .get("/v1/audit/subjects/" + subject + "/entries?type=ConsentGranted&purpose=compliance-review")
                .then().statusCode(200).body("items[0].redacted", equalTo(true));

        // the chain and the checkpoint signed over the bodies still verify; so does one signed after
        given().auth().oauth2(officer()).when().get("/v1/audit/verification").then()
                .statusCode(200).body("valid", equalTo(true)).body("checkpointProblems", hasSize(0));
        given().auth().oauth2(officer()).when().post("/v1/audit/checkpoints").then().statusCode(200);
        given().auth().oauth2(officer()).when().get("/v1/audit/verification").then()
                .statusCode(200).body("valid", equalTo(true)).body("checkpointProblems", hasSize(0));
        given().auth().oauth2(officer()).when().get("/v1/audit/proofs/inclusion?seq=" + consent.seq() + "&treeSize=" + signedSize)
                .then().statusCode(200);

        // the officer's read of that history is itself a read of the subject's data, recorded (policy 5.2.3)
        await().atMost(Duration.ofSeconds(30)).until(() -> count(db, "select count(*) from audit_entry where subject_id = ? "
                + "and event_type like '%PersonalDataAccessed%' and body is not null", subject) == 2);

        // when the kept category's period ends, the follow-up erasure removes both and keeps the erasure's record
        ObjectNode followUp = example(EventTypes.ERASURE_REQUESTED);
        followUp.put("subjectId", subject.toString());
        followUp.put("ground", "RETENTION_EXPIRED");
        followUp.putArray("categories").add("personal-data-access");
        followUp.putArray("holderIds").add("audit-service");
        JsonNode second = awaitReply(followUp.get("requestId").asText(), () -> publish(EventTypes.ERASURE_REQUESTED, followUp));
        assertThat(second.get("outcome").asText()).isEqualTo("ANONYMIZED");
        assertThat(second.get("counts").get("personal-data-access").asInt()).isEqualTo(2);
        assertThat(second.has("retained")).isFalse();
        assertThat(entries(db, "seq = ?", access.seq()).get(0).body()).isNull();
        assertThat(entries(db, "event_id = ?", env.id()).get(0).body()).isNotNull();
        given().auth().oauth2(officer()).when().get("/v1/audit/verification").then()
                .statusCode(200).body("valid", equalTo(true)).body("checkpointProblems", hasSize(0));
    }

    @Test
    void erasureOfASubjectWithNothingRecordedIsNotHeld() {
        ObjectNode erasure = example(EventTypes.ERASURE_REQUESTED);
        erasure.putArray("holderIds").add("audit-service");
        JsonNode reply = awaitReply(erasure.get("requestId").asText(), () -> publish(EventTypes.ERASURE_REQUESTED, erasure));
        assertThat(reply.get("outcome").asText()).isEqualTo("NOT_HELD");
        assertThat(reply.get("counts").get(HolderReplies.SKELETONS).asInt()).isZero();
    }

    @Test
    void exportIsAnsweredWithTheSubjectsHistoryLocation() {
        ObjectNode export = example(EventTypes.EXPORT_REQUESTED);
        export.putArray("holderIds").add("audit-service");
        String requestId = export.get("requestId").asText();
        String subject = export.get("subjectId").asText();
        publish(EventTypes.EXPORT_REQUESTED, export);

        JsonNode reply = awaitReply(requestId);
        assertThat(reply.get("outcome").asText()).isEqualTo("EXPORTED");
        assertThat(reply.get("exportLocation").asText())
                .isEqualTo("https://pledge.local/api/audit/v1/audit/subjects/" + subject + "/export");
    }

    @Test
    void aCommandThatDoesNotNameAuditServiceGetsNoReply() {
        ObjectNode erasure = example(EventTypes.ERASURE_REQUESTED);
        String requestId = erasure.get("requestId").asText();
        awaitRecorded(db, publish(EventTypes.ERASURE_REQUESTED, erasure).id());
        assertThat(count(db, "select count(*) from pledge_outbox where message_key = ?", requestId)).isZero();
    }

    @Test
    @Tag("clause-5.3")
    void breachMeasuresAreAppliedWhenTheAuditLogIsAffectedAndProcessingStopsAreNotHeld() {
        ObjectNode breach = example(EventTypes.BREACH_MEASURES_REQUESTED);
        breach.putArray("categories").add("audit").add("contact");
        breach.putArray("holderIds").add("audit-service");
        publish(EventTypes.BREACH_MEASURES_REQUESTED, breach);
        JsonNode applied = awaitReply(breach.get("requestId").asText());
        assertThat(applied.get("outcome").asText()).isEqualTo("APPLIED");
        assertThat(applied.get("command").asText()).isEqualTo("BreachMeasuresRequested");
        assertThat(applied.path("subjectId").isMissingNode() || applied.get("subjectId").isNull()).isTrue();

        ObjectNode stop = example(EventTypes.PROCESSING_STOP_REQUESTED);
        stop.putArray("holderIds").add("audit-service");
        publish(EventTypes.PROCESSING_STOP_REQUESTED, stop);
        assertThat(awaitReply(stop.get("requestId").asText()).get("outcome").asText()).isEqualTo("NOT_HELD");
    }

    private JsonNode awaitReply(String requestId, Runnable send) {
        send.run();
        return awaitReply(requestId);
    }

    private JsonNode awaitReply(String requestId) {
        Properties p = TestKafka.clientProperties(TestKafka.OPERATOR, AuditTestSupport.BOOTSTRAP);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "audit-test-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p)) {
            consumer.subscribe(List.of("rights.replies"));
            long deadline = System.currentTimeMillis() + 60_000;
            while (System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    if (requestId.equals(r.key())) {
                        String body = new String(r.value(), StandardCharsets.UTF_8);
                        schemas.validate(EventTypes.HOLDER_REPLIED, new JsonObject(body));
                        assertThat(new String(r.headers().lastHeader("ce_type").value(), StandardCharsets.UTF_8))
                                .isEqualTo(EventTypes.HOLDER_REPLIED.type());
                        return EventJson.mapper().readTree(body);
                    }
                }
            }
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("no reply on rights.replies for the request");
    }
}
