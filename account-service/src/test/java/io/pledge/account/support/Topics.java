package io.pledge.account.support;

import io.pledge.events.EventJson;
import io.pledge.events.EventType;
import io.pledge.events.EventTypes;
import io.pledge.events.PrivacyEvent;
import io.pledge.kit.events.Envelope;
import io.pledge.kit.events.EventSchemas;
import io.pledge.kit.testing.TestKafka;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Plain Kafka clients on the real local broker: what rights-request-service would send, and what
 * account-service published (read back from the real topic and held against its JSON Schema).
 */
public final class Topics {

    public static final String BOOTSTRAP = TestKafka.BOOTSTRAP;

    private Topics() {
    }

    /** One record read back: its CloudEvents type, its body as text and as JSON. */
    public record Published(String type, String key, String body, String headers) {
        public JsonObject json() {
            return new JsonObject(body);
        }

        public boolean is(EventType<?> t) {
            return t.type().equals(type);
        }
    }

    public static <T extends PrivacyEvent> String send(EventType<T> type, T event, String id) throws Exception {
        Properties p = TestKafka.producerFor(type.topic(), BOOTSTRAP);
        p.put("acks", "all");
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            Envelope env = new Envelope(id, type.type(), "/pledge/rights-request-service", event.subject(),
                    Instant.now().truncatedTo(ChronoUnit.MICROS), type.dataschema());
            producer.send(new ProducerRecord<>(type.topic(), null, event.key(), EventJson.mapper().writeValueAsBytes(event),
                    env.toHeaders())).get();
        }
        return id;
    }

    public static <T extends PrivacyEvent> String send(EventType<T> type, T event) throws Exception {
        return send(type, event, UUID.randomUUID().toString());
    }

    /** A consumer at the end of every partition of the topics, to read what comes next. */
    public static KafkaConsumer<String, byte[]> tail(String... topics) {
        Properties p = TestKafka.clientProperties(TestKafka.OPERATOR, BOOTSTRAP);
        p.put("enable.auto.commit", "false");
        KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> parts = new ArrayList<>();
        for (String topic : topics) {
            c.partitionsFor(topic).forEach(i -> parts.add(new TopicPartition(topic, i.partition())));
        }
        c.assign(parts);
        c.seekToEnd(parts);
        parts.forEach(c::position);
        return c;
    }

    /**
     * Reads until {@code until} holds for what was read (or the timeout); validates every record of a
     * known type against its schema.
     */
    public static List<Published> read(KafkaConsumer<String, byte[]> c, EventSchemas schemas,
                                       Predicate<List<Published>> until, Duration timeout) {
        List<Published> out = new ArrayList<>();
        long end = System.currentTimeMillis() + timeout.toMillis();
        while (System.currentTimeMillis() < end && !until.test(out)) {
            for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                String type = new String(r.headers().lastHeader("ce_type").value(), StandardCharsets.UTF_8);
                String body = new String(r.value(), StandardCharsets.UTF_8);
                EventTypes.find(type).ifPresent(t -> schemas.validate(t, new JsonObject(body)));
                StringBuilder h = new StringBuilder();
                r.headers().forEach(x -> h.append(x.key()).append('=').append(new String(x.value(), StandardCharsets.UTF_8)).append(';'));
                out.add(new Published(type, r.key(), body, h.toString()));
            }
        }
        return out;
    }

    /** Predicate: at least {@code n} records of that type about {@code subject} (by key or body). */
    public static Predicate<List<Published>> has(EventType<?> t, String mention, int n) {
        return l -> l.stream().filter(p -> p.is(t) && p.body().contains(mention)).count() >= n;
    }
}
