package io.pledge.kit.outbox;

import io.pledge.kit.testing.TestBrokerResource;
import io.pledge.kit.testing.TestKafka;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Plain Kafka clients on the test broker, for what the tests write and read around the kit. */
final class KitTopics {

    static final String DLQ = KitTestEvent.TOPIC + ".dlq";

    private KitTopics() {
    }

    static KafkaProducer<String, byte[]> rawProducer() {
        Properties p = TestKafka.clientProperties(TestKafka.OPERATOR, TestBrokerResource.broker().bootstrap());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return new KafkaProducer<>(p);
    }

    /** Every record on the topic from the beginning, read for at most {@code window}. */
    static List<ConsumerRecord<String, byte[]>> readAll(String topic, Duration window) {
        Properties p = TestKafka.clientProperties(TestKafka.OPERATOR, TestBrokerResource.broker().bootstrap());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p)) {
            c.subscribe(List.of(topic));
            long end = System.nanoTime() + window.toNanos();
            while (System.nanoTime() < end) {
                c.poll(Duration.ofMillis(300)).forEach(out::add);
            }
        }
        return out;
    }
}
