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
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agroal.api.AgroalDataSource;
import io.pledge.audit.AuditTestSupport;
import io.pledge.events.EventJson;
import io.pledge.events.EventTypes;
import io.pledge.kit.events.Envelope;
import io.pledge.kit.events.EventSchemas;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
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
 * audit-service as a holder, on the real broker and database: an erasure naming it gets one ANONYMIZED reply on
 * rights.replies (read back from the real topic and held against the published schema), the subject's entries stay
 * and the chain still verifies; an export gets EXPORTED pointing at the subject's history; a command that does not
 * name it gets no reply.
 */
@QuarkusTest
@Tag("clause-5.4")
class HolderRepliesTest {

    @Inject
    AgroalDataSource db;

    @Inject
    EventSchemas schemas;

    @Test
    void erasureIsAnsweredAnonymizedOnceAndLeavesTheChainVerifiable() {
        UUID subject = UUID.randomUUID();
        ObjectNode granted = example(EventTypes.CONSENT_GRANTED);
        granted.put("subjectId", subject.toString());
        awaitRecorded(db, publish(EventTypes.CONSENT_GRANTED, granted).id());

        ObjectNode erasure = example(EventTypes.ERASURE_REQUESTED);
        erasure.put("subjectId", subject.toString());
        erasure.putArray("holderIds").add("account-service").add("audit-service");
        String requestId = erasure.get("requestId").asText();
        Envelope env = AuditTestSupport.envelope(EventTypes.ERASURE_REQUESTED, erasure);
        AuditTestSupport.publish(EventTypes.ERASURE_REQUESTED, env, erasure);
        AuditTestSupport.publish(EventTypes.ERASURE_REQUESTED, env, erasure); // redelivered

        JsonNode reply = awaitReply(requestId);
        assertThat(reply.get("holderId").asText()).isEqualTo("audit-service");
        assertThat(reply.get("outcome").asText()).isEqualTo("ANONYMIZED");
        assertThat(reply.get("command").asText()).isEqualTo("ErasureRequested");
        assertThat(reply.get("subjectId").asText()).isEqualTo(subject.toString());
        assertThat(count(db, "select count(*) from pledge_outbox where topic = 'rights.replies' and message_key = ?",
                requestId)).isEqualTo(1);

        // the reply itself comes back on rights.replies and is recorded; the subject's entries outlive the erasure
        await().atMost(Duration.ofSeconds(60)).until(() -> count(db,
                "select count(*) from audit_entry where subject_id = ? and event_type = ? and actor = 'audit-service'",
                subject, EventTypes.HOLDER_REPLIED.type()) == 1);
        assertThat(count(db, "select count(*) from audit_entry where subject_id = ?", subject)).isEqualTo(3);
        given().auth().oauth2(officer()).when().get("/v1/audit/verification").then()
                .statusCode(200).body("valid", equalTo(true));
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
                .isEqualTo("https://pledge.local/api/audit/v1/audit/subjects/" + subject + "/entries");
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
