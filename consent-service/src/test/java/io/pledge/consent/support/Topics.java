package io.pledge.consent.support;

import io.pledge.events.EventJson;
import io.pledge.events.EventType;
import io.pledge.events.PrivacyEvent;
import io.pledge.kit.events.Envelope;
import io.pledge.kit.testing.TestKafka;
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

/** Plain Kafka clients on the real local broker: what other services would send, and what we published. */
public final class Topics {

    public static final String BOOTSTRAP = TestKafka.BOOTSTRAP;

    private Topics() {
    }

    /** Sends an event as its producer would (CloudEvents binary mode), with the given ce_id; returns it. */
    public static <T extends PrivacyEvent> String send(EventType<T> type, T event, String id) throws Exception {
        Properties p = TestKafka.producerFor(type.topic(), BOOTSTRAP);
        p.put("acks", "all");
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            Envelope env = new Envelope(id, type.type(), "/pledge/test", event.subject(),
                    Instant.now().truncatedTo(ChronoUnit.MICROS), type.dataschema());
            ProducerRecord<String, byte[]> r = new ProducerRecord<>(type.topic(), null, event.key(),
                    EventJson.mapper().writeValueAsBytes(event), env.toHeaders());
            producer.send(r).get();
        }
        return id;
    }

    public static <T extends PrivacyEvent> String send(EventType<T> type, T event) throws Exception {
        return send(type, event, UUID.randomUUID().toString());
    }

    /** A consumer positioned at the end of every partition of a topic, to read what comes next. */
    public static KafkaConsumer<String, byte[]> tail(String topic) {
        Properties p = TestKafka.clientProperties(TestKafka.OPERATOR, BOOTSTRAP);
        p.put("enable.auto.commit", "false");
        KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> parts = c.partitionsFor(topic).stream()
                .map(i -> new TopicPartition(topic, i.partition())).toList();
        c.assign(parts);
        c.seekToEnd(parts);
        parts.forEach(c::position); // resolve the end offsets now, before the action under test
        return c;
    }

    /** Polls until records matching {@code match} arrive (at least {@code n}), or fails after {@code timeout}. */
    public static List<ConsumerRecord<String, byte[]>> await(KafkaConsumer<String, byte[]> c,
                                                             Predicate<ConsumerRecord<String, byte[]>> match, int n,
                                                             Duration timeout) {
        List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (found.size() < n && System.nanoTime() < deadline) {
            for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                if (match.test(r)) {
                    found.add(r);
                }
            }
        }
        if (found.size() < n) {
            throw new AssertionError("expected " + n + " matching records on the topic within " + timeout + ", got "
                    + found.size());
        }
        return found;
    }

    public static String header(ConsumerRecord<String, byte[]> r, String name) {
        var h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
