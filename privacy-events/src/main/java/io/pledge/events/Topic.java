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
 * @param producer     the module that publishes, or {@code "*"} for dead letters (any consumer)
 * @param consumers    the modules that subscribe
 */
public record Topic(String name, String key, int partitions, boolean compacted, Duration retention,
                    String producer, List<String> consumers) {

    public Topic {
        if (!name.matches("[a-z][a-z-]*\\.[a-z.-]+")) {
            throw new IllegalArgumentException("topic name must be <context>.<kind>: " + name);
        }
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be positive: " + name);
        }
        consumers = List.copyOf(consumers);
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
