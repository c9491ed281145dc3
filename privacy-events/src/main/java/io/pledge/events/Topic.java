package io.pledge.events;

import java.time.Duration;
import java.util.List;

/**
 * One Kafka topic of the catalogue: how it is keyed, sized and kept, and who writes and reads it.
 *
 * @param name         lower-case {@code <context>.<kind>}
 * @param key          what the record key is (a subject id or a request id; never personal data)
 * @param partitions   partition count; per-key order holds inside one partition
 * @param compacted    {@code true} for a latest-value-per-key topic (cleanup.policy=compact)
 * @param retention    how long records are kept on a delete-policy topic; ignored when compacted
 * @param producers    the Kafka principals that publish (a service's {@code quarkus.application.name}, or
 *                     {@link #EVERY_HOLDER}); {@link #ANY_CONSUMER} for dead letters (each consumer of the topic
 *                     served)
 * @param consumers    the Kafka principals that subscribe (services, {@link #DOWNSTREAM_HOLDERS}, {@link #OPERATORS});
 *                     {@link KafkaAccess} turns both lists into ACLs
 */
public record Topic(String name, String key, int partitions, boolean compacted, Duration retention,
                    List<String> producers, List<String> consumers) {

    /** Producer of a dead-letter topic: every consumer of the topic it serves. */
    public static final String ANY_CONSUMER = "*";
    /** Producer role: every registered holder (its own principal, see {@link KafkaAccess#holder}). */
    public static final String EVERY_HOLDER = "every holder";
    /** Consumer role: the holders whose registration grants the topic (rights.commands: every holder). */
    public static final String DOWNSTREAM_HOLDERS = "downstream holders";
    /** Consumer role: people running Pledge (the admin principal); no service principal. */
    public static final String OPERATORS = "operators";

    public Topic {
        if (!name.matches("[a-z][a-z-]*\\.[a-z.-]+")) {
            throw new IllegalArgumentException("topic name must be <context>.<kind>: " + name);
        }
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be positive: " + name);
        }
        producers = List.copyOf(producers);
        consumers = List.copyOf(consumers);
    }

    /** The producers as one line, e.g. for documentation. */
    public String producer() {
        return String.join(", ", producers);
    }

    /** The Kafka {@code cleanup.policy} of this topic. */
    public String cleanupPolicy() {
        return compacted ? "compact" : "delete";
    }

    /** The Kafka {@code retention.ms} of this topic; -1 (forever) for a compacted topic. */
    public long retentionMs() {
        return compacted ? -1L : retention.toMillis();
    }

    /** {@code true} when this is the dead-letter topic of another topic. */
    public boolean isDeadLetter() {
        return name.endsWith(".dlq");
    }
}
