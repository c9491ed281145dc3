package io.pledge.audit.ledger;

import io.pledge.kit.testing.TestKafka;
import static io.pledge.audit.AuditTestSupport.awaitRecorded;
import static io.pledge.audit.AuditTestSupport.count;
import static io.pledge.audit.AuditTestSupport.deadLetterOf;
import static io.pledge.audit.AuditTestSupport.example;
import static io.pledge.audit.AuditTestSupport.officer;
import static io.pledge.audit.AuditTestSupport.publish;
import static io.pledge.audit.AuditTestSupport.send;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agroal.api.AgroalDataSource;
import io.pledge.audit.AuditTestSupport;
import io.pledge.events.EventType;
import io.pledge.events.EventTypes;
import io.pledge.events.TopicCatalogue;
import io.pledge.kit.events.Envelope;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Ingest against the real PostgreSQL database (pledge_audit_test, the test twin of pledge_audit) and the real local
 * Kafka broker: events published to the real topics with a plain producer (CloudEvents headers, schema-valid bodies
 * from privacy-events' examples with fresh ids) are recorded once each, with envelope, topic, partition and offset; a redelivery records nothing new;
 * a body with a personal-looking property or an unknown type is dead-lettered with its reason and its metadata (never
 * its body) is recorded from the dead-letter topic. Nothing is faked.
 */
@QuarkusTest
@Tag("clause-2.2.4")
@Tag("clause-5.2")
class LedgerIngestTest {

    @Inject
    AgroalDataSource db;

    @Test
    void everyEventOfEveryTopicIsRecordedOnceWithItsEnvelope() {
        Map<String, EventType<?>> sent = new HashMap<>();
        Map<String, Envelope> envelopes = new HashMap<>();
        for (EventType<?> type : EventTypes.all()) {
            Envelope env = publish(type, example(type));
            sent.put(env.id(), type);
            envelopes.put(env.id(), env);
        }
        Set<String> topics = sent.values().stream().map(EventType::topic).collect(Collectors.toSet());
        assertThat(topics).containsExactlyInAnyOrderElementsOf(TopicCatalogue.all().stream()
                .filter(t -> !t.isDeadLetter()).map(t -> t.name()).toList());

        for (Map.Entry<String, EventType<?>> s : sent.entrySet()) {
            AuditEntry e = awaitRecorded(db, s.getKey());
            Envelope env = envelopes.get(s.getKey());
            assertThat(e.eventType()).isEqualTo(s.getValue().type());
            assertThat(e.topic()).isEqualTo(s.getValue().topic());
            assertThat(e.source()).isEqualTo("/pledge/audit-test");
            assertThat(e.dataschema()).isEqualTo(s.getValue().dataschema());
            assertThat(e.eventTime()).isEqualTo(env.time());
            assertThat(e.subjectId() == null ? null : e.subjectId().toString()).isEqualTo(env.subject());
            assertThat(e.offset()).isNotNegative();
            assertThat(e.body()).isNotNull();
            assertThat(EntryHasher.same(EntryHasher.entryHash(e), e.entryHash())).isTrue();
        }
        List<String> ids = new ArrayList<>(sent.keySet());
        assertThat(count(db, "select count(*) from audit_entry where event_id = any(?)",
                (Object) ids.toArray(new String[0]))).isEqualTo(ids.size());

        given().auth().oauth2(officer()).when().get("/v1/audit/verification").then()
                .statusCode(200).body("valid", equalTo(true));
    }

    @Test
    void theStaffMemberWhoseRequestPublishedAnEventIsItsActorAndAnythingElseInCeActorIsIgnored() {
        String staffId = java.util.UUID.randomUUID().toString();
        ObjectNode body = example(EventTypes.STAFF_ACCOUNT_CHANGED);
        Envelope env = AuditTestSupport.envelope(EventTypes.STAFF_ACCOUNT_CHANGED, body);
        org.apache.kafka.common.header.Headers h = env.toHeaders();
        h.add(io.pledge.kit.events.CloudEventHeaders.ACTOR, staffId.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        AuditTestSupport.send(TopicCatalogue.ACCOUNT_EVENTS, body.get("staffId").asText(), h, body.toString());

        ObjectNode forged = example(EventTypes.STAFF_ACCOUNT_CHANGED);
        Envelope forgedEnv = AuditTestSupport.envelope(EventTypes.STAFF_ACCOUNT_CHANGED, forged);
        org.apache.kafka.common.header.Headers fh = forgedEnv.toHeaders();
        fh.add(io.pledge.kit.events.CloudEventHeaders.ACTOR, "alice@example.com".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        AuditTestSupport.send(TopicCatalogue.ACCOUNT_EVENTS, forged.get("staffId").asText(), fh, forged.toString());

        assertThat(awaitRecorded(db, env.id()).actor()).isEqualTo(staffId);
        // not a staff id: the producing service stays the actor, and the value is recorded nowhere
        AuditEntry f = awaitRecorded(db, forgedEnv.id());
        assertThat(f.actor()).isEqualTo(env.source().substring("/pledge/".length()));
        assertThat(count(db, "select count(*) from audit_entry where actor like '%example.com%'")).isZero();
    }

    @Test
    void theSameEventDeliveredTwiceIsRecordedOnce() {
        ObjectNode body = example(EventTypes.CONSENT_WITHDRAWN);
        Envelope env = AuditTestSupport.envelope(EventTypes.CONSENT_WITHDRAWN, body);
        AuditTestSupport.publish(EventTypes.CONSENT_WITHDRAWN, env, body);
        AuditTestSupport.publish(EventTypes.CONSENT_WITHDRAWN, env, body);
        // a marker sent after both, on the same key (same partition): once it is in, both copies were consumed
        ObjectNode marker = example(EventTypes.CONSENT_GRANTED);
        marker.put("subjectId", body.get("subjectId").asText());
        Envelope markerEnv = publish(EventTypes.CONSENT_GRANTED, marker);
        awaitRecorded(db, env.id());
        awaitRecorded(db, markerEnv.id());
        assertThat(count(db, "select count(*) from audit_entry where event_id = ?", env.id())).isEqualTo(1);
    }

    @Test
    void aBodyWithAPersonalLookingPropertyIsDeadLetteredWithItsReasonAndFlaggedNotRecorded() {
        ObjectNode body = example(EventTypes.ACCOUNT_REGISTERED);
        body.put("email", "someone@example.com");
        Envelope env = publish(EventTypes.ACCOUNT_REGISTERED, body);

        ConsumerRecord<String, byte[]> dead = awaitDeadLetter(TopicCatalogue.ACCOUNT_EVENTS + ".dlq", env.id());
        assertThat(header(dead, "dead-letter-reason")).contains("email").doesNotContain("someone@example.com");
        assertThat(header(dead, "dead-letter-consumer")).isEqualTo("audit-service/audit-events");

        await().atMost(Duration.ofSeconds(60)).until(() -> deadLetterOf(db, env.id()).isPresent());
        AuditEntry flagged = deadLetterOf(db, env.id()).orElseThrow();
        assertThat(flagged.category()).isEqualTo(Categories.DEAD_LETTER);
        assertThat(flagged.topic()).isEqualTo("account.events.dlq");
        assertThat(flagged.eventType()).isEqualTo(EventTypes.ACCOUNT_REGISTERED.type());
        assertThat(flagged.subjectId().toString()).isEqualTo(env.subject());
        assertThat(flagged.body()).contains("\"originalTopic\":\"account.events\"").contains("email")
                .doesNotContain("someone@example.com");
        assertThat(count(db, "select count(*) from audit_entry where event_id = ?", env.id())).isZero();
        assertThat(count(db, "select count(*) from audit_entry where body like '%someone@example.com%'")).isZero();
    }

    @Test
    void anUnknownTypeOrAMissingEnvelopeIsDeadLetteredAndItsMetadataRecorded() {
        ObjectNode body = example(EventTypes.NOTICE_DELIVERED);
        String id = UUID.randomUUID().toString();
        Envelope unknown = new Envelope(id, "io.pledge.notification.NoticeTeleported.v1", "/pledge/audit-test",
                body.get("subjectId").asText(), java.time.Instant.now(), null);
        send(TopicCatalogue.NOTIFICATION_EVENTS, body.get("subjectId").asText(), unknown.toHeaders(), body.toString());
        ConsumerRecord<String, byte[]> dead = awaitDeadLetter(TopicCatalogue.NOTIFICATION_EVENTS + ".dlq", id);
        assertThat(header(dead, "dead-letter-reason")).contains("unknown event type");
        await().atMost(Duration.ofSeconds(60)).until(() -> deadLetterOf(db, id).isPresent());
        assertThat(deadLetterOf(db, id).orElseThrow().eventType()).isEqualTo("io.pledge.notification.NoticeTeleported.v1");
    }

    private static ConsumerRecord<String, byte[]> awaitDeadLetter(String topic, String eventId) {
        Properties p = TestKafka.clientProperties(TestKafka.OPERATOR, AuditTestSupport.BOOTSTRAP);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "audit-test-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p)) {
            consumer.subscribe(List.of(topic));
            long deadline = System.currentTimeMillis() + 60_000;
            while (System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    if (eventId.equals(header(r, "ce_id"))) {
                        return r;
                    }
                }
            }
        }
        throw new AssertionError("no dead letter for the event on " + topic);
    }

    private static String header(ConsumerRecord<String, byte[]> r, String name) {
        var h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
