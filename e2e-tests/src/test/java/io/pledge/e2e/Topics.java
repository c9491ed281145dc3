package io.pledge.e2e;

import io.pledge.kit.testing.TestKafka;
import com.fasterxml.jackson.databind.JsonNode;
import io.pledge.events.EventJson;
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

/** Reading the system's topics as a downstream team would: from now on, every partition, no consumer group. */
final class Topics {

    private Topics() {
    }

    /** One record read back: its key, its CloudEvents type and its body. */
    record Published(String key, String type, JsonNode body) {

        /** Whether this is the event type named ({@code io.pledge.<area>.<Type>.v1}). */
        boolean is(String eventType) {
            return type.contains("." + eventType + ".");
        }
    }

    /** A consumer positioned at the end of every partition of the topic. */
    static KafkaConsumer<String, byte[]> tail(String topic) {
        Properties p = TestKafka.clientProperties(TestKafka.OPERATOR, PledgeSystem.KAFKA);
        p.put("enable.auto.commit", "false");
        KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> parts = c.partitionsFor(topic).stream()
                .map(i -> new TopicPartition(topic, i.partition())).toList();
        c.assign(parts);
        c.seekToEnd(parts);
        parts.forEach(c::position);
        return c;
    }

    /** Everything that arrives within the time given. */
    static List<Published> drain(KafkaConsumer<String, byte[]> c, Duration within) throws Exception {
        List<Published> out = new ArrayList<>();
        long end = System.currentTimeMillis() + within.toMillis();
        while (System.currentTimeMillis() < end) {
            for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                String ce = new String(r.headers().lastHeader("ce_type").value(), StandardCharsets.UTF_8);
                out.add(new Published(r.key(), ce, EventJson.mapper().readTree(r.value())));
            }
        }
        return out;
    }

    /** The bodies of one event type about a request. */
    static List<JsonNode> about(List<Published> published, String type, UUID request) {
        return published.stream().filter(p -> p.is(type)).map(Published::body)
                .filter(b -> request.toString().equals(b.path("requestId").asText())).toList();
    }
}
