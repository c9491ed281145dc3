package io.pledge.kit.testing;

import io.pledge.events.EventTypes;
import io.pledge.events.TopicCatalogue;
import io.pledge.kit.events.EventSchemas;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The real {@code access.records} topic read from its end (policy 5.2.3): the PersonalDataAccessed records a module
 * test's reads cause, each checked against its published JSON Schema. Open before the reads, close after.
 */
public final class AccessRecords implements AutoCloseable {

    private final KafkaConsumer<String, byte[]> consumer;
    private final EventSchemas schemas;
    private final List<JsonObject> seen = new ArrayList<>();

    private AccessRecords(KafkaConsumer<String, byte[]> consumer, EventSchemas schemas) {
        this.consumer = consumer;
        this.schemas = schemas;
    }

    /** Positioned at the end of every partition of the tests' broker now, before the reads under test. */
    public static AccessRecords tail(EventSchemas schemas) {
        return tail(schemas, TestKafka.BOOTSTRAP);
    }

    /** The same on a module's own broker (e.g. rights-request-service's). */
    public static AccessRecords tail(EventSchemas schemas, String bootstrap) {
        Properties p = TestKafka.clientProperties(TestKafka.OPERATOR, bootstrap);
        p.put("enable.auto.commit", "false");
        KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> parts = c.partitionsFor(TopicCatalogue.ACCESS_RECORDS).stream()
                .map(i -> new TopicPartition(TopicCatalogue.ACCESS_RECORDS, i.partition())).toList();
        c.assign(parts);
        c.seekToEnd(parts);
        parts.forEach(c::position);
        return new AccessRecords(c, schemas);
    }

    /**
     * The records about {@code subject}, in the order published, once at least {@code n} arrived; then reads on for
     * {@code settle} so that one too many would show. Fails when fewer than {@code n} arrive within {@code timeout}.
     */
    public List<JsonObject> of(UUID subject, int n, Duration timeout, Duration settle) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (count(subject) < n && System.nanoTime() < deadline) {
            poll();
        }
        if (count(subject) < n) {
            throw new AssertionError("expected " + n + " PersonalDataAccessed of " + subject + " within " + timeout
                    + ", got " + count(subject) + ": " + mine(subject));
        }
        long settled = System.nanoTime() + settle.toNanos();
        while (System.nanoTime() < settled) {
            poll();
        }
        return mine(subject);
    }

    private void poll() {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
            var type = r.headers().lastHeader("ce_type");
            if (type != null && EventTypes.PERSONAL_DATA_ACCESSED.type()
                    .equals(new String(type.value(), StandardCharsets.UTF_8))) {
                JsonObject body = new JsonObject(new String(r.value(), StandardCharsets.UTF_8));
                schemas.validate(EventTypes.PERSONAL_DATA_ACCESSED, body);
                seen.add(body);
            }
        }
    }

    private List<JsonObject> mine(UUID subject) {
        return seen.stream().filter(j -> subject.toString().equals(j.getString("subjectId"))).toList();
    }

    private long count(UUID subject) {
        return mine(subject).size();
    }

    @Override
    public void close() {
        consumer.close();
    }
}
