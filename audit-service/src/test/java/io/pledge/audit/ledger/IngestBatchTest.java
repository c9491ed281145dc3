package io.pledge.audit.ledger;

import static io.pledge.audit.AuditTestSupport.awaitRecorded;
import static io.pledge.audit.AuditTestSupport.count;
import static io.pledge.audit.AuditTestSupport.deadLetterOf;
import static io.pledge.audit.AuditTestSupport.entries;
import static io.pledge.audit.AuditTestSupport.example;
import static io.pledge.audit.AuditTestSupport.officer;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agroal.api.AgroalDataSource;
import io.pledge.audit.AuditTestSupport;
import io.pledge.events.EventTypes;
import io.pledge.events.TopicCatalogue;
import io.pledge.kit.events.Envelope;
import io.pledge.kit.testing.TestKafka;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The batch path of ingest, on the real database (pledge_audit_test) and the real local broker. The records of a test
 * go out in one producer batch on one partition (a plain producer that lingers, then one flush), so the running
 * consumer fetches them together and hands them to the ledger as one consumed batch: an event recorded before, the same
 * event twice, a poison record refused at decoding (a personal-looking property: dead-lettered, its metadata recorded
 * from the dead-letter topic) and one refused by the database inside the batch's transaction (a {@code ce_source} longer
 * than the ledger holds: the batch falls back to one record at a time, that record is dead-lettered after its attempts).
 * Every other event is recorded once, in offset order. A large batch that spans checkpoints (signed on the schedule and by
 * hand while it is recorded) leaves every checkpoint at a batch boundary: its anchor is the frontier and last hash of the
 * entries below it, and the whole ledger verifies, in segments from those anchors. Nothing is faked.
 */
@QuarkusTest
@Tag("clause-2.2.4")
@Tag("clause-5.2")
class IngestBatchTest {

    @Inject
    AgroalDataSource db;

    @Test
    void aBatchWithADuplicateAndPoisonRecordsRecordsEveryOtherEventOnceInOrder() {
        String subject = UUID.randomUUID().toString();
        Envelope earlier = event(subject);
        try (KafkaProducer<String, byte[]> producer = lingeringProducer()) {
            producer.send(record(earlier, body(subject)));
            producer.flush();
        }
        awaitRecorded(db, earlier.id());

        Envelope first = event(subject);
        Envelope second = event(subject);
        ObjectNode personal = body(subject);
        personal.put("email", "someone@example.com");
        Envelope poison = event(subject);
        Envelope tooLong = new Envelope(UUID.randomUUID().toString(), EventTypes.CONSENT_GRANTED.type(),
                "/pledge/" + "x".repeat(250), subject, Instant.now().truncatedTo(ChronoUnit.MILLIS),
                EventTypes.CONSENT_GRANTED.dataschema());
        Envelope last = event(subject);
        try (KafkaProducer<String, byte[]> producer = lingeringProducer()) {
            producer.send(record(earlier, body(subject)));      // recorded in an earlier batch
            producer.send(record(first, body(subject)));
            producer.send(record(second, body(subject)));
            producer.send(record(first, body(subject)));        // the same event again, in the same batch
            producer.send(record(poison, personal));            // refused at decoding
            producer.send(record(tooLong, body(subject)));      // refused by the database, inside the transaction
            producer.send(record(last, body(subject)));
            producer.flush();
        }

        AuditEntry lastEntry = awaitRecorded(db, last.id());
        for (Envelope once : List.of(earlier, first, second, last)) {
            assertThat(count(db, "select count(*) from audit_entry where event_id = ?", once.id())).as(once.id()).isEqualTo(1);
        }
        List<AuditEntry> mine = entries(db, "subject_id = ? and category = 'consent'", UUID.fromString(subject));
        assertThat(mine).extracting(AuditEntry::eventId).containsExactly(earlier.id(), first.id(), second.id(), last.id());
        assertThat(mine).extracting(AuditEntry::offset).isSorted();
        assertThat(lastEntry.offset()).isEqualTo(mine.get(2).offset() + 4);

        await().atMost(Duration.ofSeconds(60)).until(() -> deadLetterOf(db, poison.id()).isPresent()
                && deadLetterOf(db, tooLong.id()).isPresent());
        assertThat(deadLetterOf(db, poison.id()).orElseThrow().body()).contains("email").doesNotContain("someone@example.com");
        assertThat(deadLetterOf(db, tooLong.id()).orElseThrow().body()).contains("recording failed");
        assertThat(count(db, "select count(*) from audit_entry where event_id in (?, ?)", poison.id(), tooLong.id())).isZero();
        assertThat(verify().getBoolean("valid")).isTrue();
    }

    @Test
    void aBatchThatSpansCheckpointsLeavesEachAtABatchBoundaryAndTheLedgerVerifies() throws Exception {
        long before = count(db, "select size from audit_head");
        List<Envelope> sent = new ArrayList<>();
        AtomicBoolean publishing = new AtomicBoolean(true);
        AtomicReference<RuntimeException> signerFailed = new AtomicReference<>();
        Thread signer = new Thread(() -> {
            while (publishing.get()) {
                try {
                    given().auth().oauth2(officer()).when().post("/v1/audit/checkpoints").then().statusCode(200);
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException | AssertionError e) {
                    signerFailed.compareAndSet(null, new IllegalStateException("signing a checkpoint failed", e));
                    return;
                }
            }
        });
        signer.start();
        try (KafkaProducer<String, byte[]> producer = lingeringProducer()) {
            for (int i = 0; i < 5_000; i++) {
                String subject = UUID.randomUUID().toString();
                Envelope e = event(subject);
                sent.add(e);
                producer.send(record(e, body(subject)));
            }
            producer.flush();
        }
        awaitRecorded(db, sent.get(sent.size() - 1).id());
        await().atMost(Duration.ofSeconds(60)).until(() -> count(db,
                "select count(*) from audit_entry where event_id = any(?)",
                (Object) sent.stream().map(Envelope::id).toArray(String[]::new)) == sent.size());
        publishing.set(false);
        signer.join();
        assertThat(signerFailed.get()).isNull();
        given().auth().oauth2(officer()).when().post("/v1/audit/checkpoints").then().statusCode(200);
        long after = count(db, "select size from audit_head");

        long within = count(db, "select count(*) from audit_checkpoint where tree_size > ? and tree_size < ?", before, after);
        assertThat(within).as("checkpoints signed while the batch was recorded").isPositive();
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement("select cp.tree_size, cp.last_hash, e.entry_hash from audit_checkpoint cp "
                     + "join audit_entry e on e.seq = cp.tree_size - 1 where cp.tree_size > ? and cp.frontier is not null")) {
            ps.setLong(1, before);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    assertThat(rs.getBytes(2)).as("anchor of checkpoint %d", rs.getLong(1)).isEqualTo(rs.getBytes(3));
                }
            }
        }
        long signedBefore = count(db, "select count(*) from audit_checkpoint where tree_size > 0");
        JsonPath report = verify();
        long signedAfter = count(db, "select count(*) from audit_checkpoint where tree_size > 0"); // the schedule goes on
        assertThat(report.getBoolean("valid")).isTrue();
        assertThat(report.getList("checkpointProblems")).isEmpty();
        assertThat(report.getLong("checkpointsVerified")).isBetween(signedBefore, signedAfter);
        assertThat(report.getInt("segments")).as("read in segments from checkpoint anchors").isGreaterThan(1);
    }

    private static JsonPath verify() {
        return given().auth().oauth2(officer()).when().get("/v1/audit/verification").then().statusCode(200)
                .extract().jsonPath();
    }

    private static Envelope event(String subject) {
        return new Envelope(UUID.randomUUID().toString(), EventTypes.CONSENT_GRANTED.type(), "/pledge/audit-test", subject,
                Instant.now().truncatedTo(ChronoUnit.MILLIS), EventTypes.CONSENT_GRANTED.dataschema());
    }

    private static ObjectNode body(String subject) {
        ObjectNode body = example(EventTypes.CONSENT_GRANTED);
        body.put("subjectId", subject);
        return body;
    }

    private static ProducerRecord<String, byte[]> record(Envelope env, ObjectNode body) {
        // one key for every record of a test: one partition, one producer batch
        return new ProducerRecord<>(TopicCatalogue.CONSENT_EVENTS, null, "ingest-batch-test",
                body.toString().getBytes(StandardCharsets.UTF_8), env.toHeaders());
    }

    /** Holds records for a second (or until flushed) so that they leave, and are fetched, as one batch. */
    private static KafkaProducer<String, byte[]> lingeringProducer() {
        Properties p = TestKafka.clientProperties(TestKafka.OPERATOR, AuditTestSupport.BOOTSTRAP);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "1000");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(512 * 1024)); // below the broker's 1 MB message limit
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return new KafkaProducer<>(p);
    }
}
