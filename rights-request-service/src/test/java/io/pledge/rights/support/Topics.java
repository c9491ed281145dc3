package io.pledge.rights.support;

import io.pledge.events.EventJson;
import io.pledge.events.EventType;
import io.pledge.events.EventTypes;
import io.pledge.events.PrivacyEvent;
import io.pledge.events.rights.HolderReplied;
import io.pledge.kit.events.Envelope;
import io.pledge.kit.events.EventSchemas;
import io.pledge.kit.testing.TestKafka;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.WeakHashMap;
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
 * Plain Kafka clients on the test broker: what other services and holders would send (events, replies), and what
 * this service published, read back from the real topics and held against their JSON Schemas.
 */
public final class Topics {

    private static KafkaProducer<String, byte[]> producer;

    /**
     * Records a consumer polled besides the one an {@link #await} returned (one poll often brings several events of one
     * transaction, e.g. RightsRequestExtended and its NoticeRequested, in any order across partitions): kept for the
     * next read instead of dropped.
     */
    private static final Map<KafkaConsumer<String, byte[]>, List<Published>> UNCLAIMED =
            Collections.synchronizedMap(new WeakHashMap<>());

    private Topics() {
    }

    /** One record read back, with its {@code ce_subject} header (null when absent). */
    public record Published(String type, String key, String body, String subject) {
        public JsonObject json() {
            return new JsonObject(body);
        }

        public boolean is(EventType<?> t) {
            return t.type().equals(type);
        }
    }

    private static synchronized KafkaProducer<String, byte[]> producer() {
        if (producer == null) {
            Properties p = TestKafka.clientProperties(TestKafka.OPERATOR, RightsBroker.bootstrap());
            p.put("acks", "all");
            producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
        }
        return producer;
    }

    public static <T extends PrivacyEvent> String send(EventType<T> type, T event, String id, String source) throws Exception {
        Envelope env = new Envelope(id, type.type(), source, event.subject(), Instant.now().truncatedTo(ChronoUnit.MICROS),
                type.dataschema());
        producer().send(new ProducerRecord<>(type.topic(), null, event.key(), EventJson.mapper().writeValueAsBytes(event),
                env.toHeaders())).get();
        return id;
    }

    public static <T extends PrivacyEvent> String send(EventType<T> type, T event) throws Exception {
        return send(type, event, UUID.randomUUID().toString(), "/pledge/test");
    }

    /** A holder's reply on rights.replies, signed by its test key ({@link HolderKeysForTests}); returns its event id. */
    // policy-coverage: stands in for the holders it signs for
    public static String reply(UUID requestId, String holderId, UUID subjectId, String command, String outcome,
                               List<HolderReplied.RetainedItem> retained, String exportLocation, String failureCode)
            throws Exception {
        HolderReplied r = new HolderReplied(requestId, holderId, subjectId, command, outcome,
                "ERASED".equals(outcome) ? Map.of("records", 1) : null, retained, exportLocation, failureCode,
                Instant.now().truncatedTo(ChronoUnit.MILLIS));
        return send(EventTypes.HOLDER_REPLIED, HolderKeysForTests.sign(r), UUID.randomUUID().toString(),
                "/pledge/" + holderId);
    }

    /** A reply sent exactly as given (signed or not, by whichever key): what a forger on the broker can send. */
    public static String sendAsIs(HolderReplied reply) throws Exception {
        return send(EventTypes.HOLDER_REPLIED, reply, UUID.randomUUID().toString(), "/pledge/" + reply.holderId());
    }

    /** Records read with their headers (a dead letter's reason) and body, until {@code until} holds or the timeout. */
    public static List<Map<String, String>> readWithHeaders(KafkaConsumer<String, byte[]> c,
                                                            Predicate<List<Map<String, String>>> until, Duration timeout) {
        List<Map<String, String>> out = new ArrayList<>();
        long end = System.currentTimeMillis() + timeout.toMillis();
        while (System.currentTimeMillis() < end && !until.test(out)) {
            for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                Map<String, String> m = new java.util.LinkedHashMap<>();
                r.headers().forEach(h -> m.put(h.key(), new String(h.value(), StandardCharsets.UTF_8)));
                m.put("body", r.value() == null ? null : new String(r.value(), StandardCharsets.UTF_8));
                out.add(m);
            }
        }
        return out;
    }

    /** A consumer at the end of every partition of the topics, to read what comes next. */
    public static KafkaConsumer<String, byte[]> tail(String... topics) {
        Properties p = TestKafka.clientProperties(TestKafka.OPERATOR, RightsBroker.bootstrap());
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

    /** Reads until {@code until} holds (or the timeout), validating every record against its schema. */
    public static List<Published> read(KafkaConsumer<String, byte[]> c, EventSchemas schemas,
                                       Predicate<List<Published>> until, Duration timeout) {
        List<Published> out = new ArrayList<>();
        List<Published> kept = UNCLAIMED.remove(c);
        if (kept != null) {
            out.addAll(kept);
        }
        long end = System.currentTimeMillis() + timeout.toMillis();
        while (System.currentTimeMillis() < end && !until.test(out)) {
            for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                String type = new String(r.headers().lastHeader("ce_type").value(), StandardCharsets.UTF_8);
                String body = new String(r.value(), StandardCharsets.UTF_8);
                var subject = r.headers().lastHeader("ce_subject");
                EventTypes.find(type).ifPresent(t -> schemas.validate(t, new JsonObject(body)));
                out.add(new Published(type, r.key(), body,
                        subject == null ? null : new String(subject.value(), StandardCharsets.UTF_8)));
            }
        }
        return out;
    }

    /** Reads until one record of that type mentioning {@code mention} arrived; returns it. */
    public static Published await(KafkaConsumer<String, byte[]> c, EventSchemas schemas, EventType<?> t, String mention) {
        List<Published> got = read(c, schemas, l -> l.stream().anyMatch(p -> p.is(t) && p.body().contains(mention)),
                Duration.ofSeconds(30));
        for (int i = 0; i < got.size(); i++) {
            Published p = got.get(i);
            if (p.is(t) && p.body().contains(mention)) {
                List<Published> rest = new ArrayList<>(got);
                rest.remove(i);
                if (!rest.isEmpty()) {
                    UNCLAIMED.put(c, rest);
                }
                return p;
            }
        }
        throw new AssertionError("no " + t.name() + " mentioning " + mention + " within 30 s");
    }
}
