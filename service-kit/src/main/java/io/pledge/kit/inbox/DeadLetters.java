package io.pledge.kit.inbox;

import io.micrometer.core.instrument.MeterRegistry;
import io.pledge.kit.events.PoisonRecordException;
import io.pledge.events.TopicCatalogue;
import io.pledge.kit.kafka.KafkaClients;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Sends a poison record, unchanged, to {@code <topic>.dlq} with the reason in headers
 * ({@code dead-letter-reason}, {@code -topic}, {@code -partition}, {@code -offset},
 * {@code -consumer}), and waits for the broker's acknowledgement before the consumer moves on,
 * so that a dead letter is never lost either. Retries while the broker is unreachable.
 */
@ApplicationScoped
public class DeadLetters {

    private final KafkaClients kafka;
    private final String application;
    private final MeterRegistry registry;
    private Producer<String, byte[]> producer;

    public DeadLetters(KafkaClients kafka,
                       @ConfigProperty(name = "quarkus.application.name") String application, MeterRegistry registry) {
        this.kafka = kafka;
        this.application = application;
        this.registry = registry;
    }

    public void send(String consumer, ConsumerRecord<String, byte[]> record, PoisonRecordException reason) {
        RecordHeaders headers = new RecordHeaders(record.headers().toArray());
        put(headers, "dead-letter-reason", reason.getMessage());
        put(headers, "dead-letter-topic", record.topic());
        put(headers, "dead-letter-partition", Integer.toString(record.partition()));
        put(headers, "dead-letter-offset", Long.toString(record.offset()));
        put(headers, "dead-letter-consumer", application + "/" + consumer);
        ProducerRecord<String, byte[]> dead = new ProducerRecord<>(record.topic() + TopicCatalogue.DLQ_SUFFIX, null,
                record.key(), record.value(), headers);
        sendUntilAcknowledged(dead, consumer, record.topic() + "-" + record.partition() + "@" + record.offset());
        registry.counter("pledge.inbox.dead.letters", "consumer", consumer, "topic", record.topic()).increment();
        Log.warnf("%s: record %s-%d@%d dead-lettered: %s", consumer, record.topic(), record.partition(), record.offset(),
                reason.getMessage());
    }

    /**
     * Dead-letters an event that did not arrive on Kafka (e.g. a holder's webhook callback) to {@code topic.dlq}, as
     * it arrived, with the reason and where it came from in headers; waits for the acknowledgement like
     * {@link #send(String, ConsumerRecord, PoisonRecordException)}.
     *
     * @param topic   the topic the event belongs on, e.g. {@code rights.replies}
     * @param source  where it came from, e.g. {@code webhook:partner-x}; no personal data
     * @param headers further headers (CloudEvents attributes), or empty
     */
    public void sendUnrouted(String consumer, String topic, String key, byte[] value, String source,
                             java.util.Map<String, String> headers, String reason) {
        RecordHeaders h = new RecordHeaders();
        headers.forEach((k, v) -> put(h, k, v));
        put(h, "dead-letter-reason", reason);
        put(h, "dead-letter-topic", topic);
        put(h, "dead-letter-source", source);
        put(h, "dead-letter-consumer", application + "/" + consumer);
        ProducerRecord<String, byte[]> dead = new ProducerRecord<>(topic + TopicCatalogue.DLQ_SUFFIX, null, key, value, h);
        sendUntilAcknowledged(dead, consumer, "from " + source);
        registry.counter("pledge.inbox.dead.letters", "consumer", consumer, "topic", topic).increment();
        Log.warnf("%s: event from %s dead-lettered: %s", consumer, source, reason);
    }

    /** Sends a dead letter and waits for the broker's acknowledgement, retrying with backoff: a dead letter is never lost. */
    private void sendUntilAcknowledged(ProducerRecord<String, byte[]> dead, String consumer, String what) {
        long backoff = 200;
        while (true) {
            try {
                producer().send(dead).get(30, TimeUnit.SECONDS);
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while dead-lettering a record", e);
            } catch (Exception e) {
                Log.warnf("%s: dead letter %s not acknowledged (%s); retrying", consumer, what,
                        e.getClass().getSimpleName());
                reset();
                sleep(backoff);
                backoff = Math.min(5_000, backoff * 2);
            }
        }
    }

    private synchronized Producer<String, byte[]> producer() {
        if (producer == null) {
            Map<String, Object> p = new HashMap<>();
            p.put(ProducerConfig.CLIENT_ID_CONFIG, application + "-dead-letters");
            p.put(ProducerConfig.ACKS_CONFIG, "all");
            p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
            p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "20000");
            p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
            p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000");
            producer = kafka.producer(p);
        }
        return producer;
    }

    private synchronized void reset() {
        if (producer != null) {
            producer.close(Duration.ZERO);
            producer = null;
        }
    }

    synchronized void close(@Observes ShutdownEvent ev) {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
            producer = null;
        }
    }

    private static void put(RecordHeaders headers, String name, String value) {
        headers.remove(name);
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
