package io.pledge.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Pure logic: the catalogue's rules, and the local broker's topic table kept equal to it. */
class TopicCatalogueTest {

    private static final Path LOCAL_TABLE = Path.of("..", "deploy", "local", "kafka-topics.tsv");
    private static final Path STRIMZI_TOPICS = Path.of("..", "deploy", "k8s", "base", "kafka-topics.yaml");

    @Test
    void everyTopicHasADeadLetterTopicExceptCompactedOnes() {
        for (Topic t : TopicCatalogue.all()) {
            if (t.isDeadLetter()) {
                continue;
            }
            boolean hasDlq = TopicCatalogue.find(t.name() + TopicCatalogue.DLQ_SUFFIX).isPresent();
            assertThat(hasDlq).as("dead-letter topic of %s", t.name()).isEqualTo(!t.compacted());
        }
    }

    @Test
    void namesAreUniqueAndLowerCaseContextDotKind() {
        List<String> names = TopicCatalogue.all().stream().map(Topic::name).toList();
        assertThat(names).doesNotHaveDuplicates().allMatch(n -> n.equals(n.toLowerCase()));
        assertThat(names).contains("account.events", "consent.events", "consent.state", "rights.commands",
                "rights.replies", "rights-request.events", "notification.commands", "notification.events");
        assertThatThrownBy(() -> new Topic("Bad Name", "k", 1, false, Duration.ZERO, List.of("p"), List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void compactedTopicKeepsLatestValueForever() {
        Topic state = TopicCatalogue.find("consent.state").orElseThrow();
        assertThat(state.cleanupPolicy()).isEqualTo("compact");
        assertThat(state.retentionMs()).isEqualTo(-1L);
    }

    @Test
    void everyTopicButTheDeadLetterTopicsCarriesEventTypes() {
        for (Topic t : TopicCatalogue.all()) {
            List<EventType<?>> types = TopicCatalogue.eventTypes(t.name());
            if (t.isDeadLetter()) {
                assertThat(types).as(t.name()).isEmpty();
            } else {
                assertThat(types).as(t.name()).isNotEmpty().allMatch(type -> type.topic().equals(t.name()));
            }
        }
        int onSomeTopic = TopicCatalogue.all().stream().mapToInt(t -> TopicCatalogue.eventTypes(t.name()).size()).sum();
        assertThat(onSomeTopic).as("every event type is on exactly one topic").isEqualTo(EventTypes.all().size());
    }

    @Test
    void eventTypesOfAnUnknownTopicIsAnError() {
        assertThatThrownBy(() -> TopicCatalogue.eventTypes("consent.event"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("consent.event");
    }

    /** deploy/local/kafka-topics.tsv is what the local broker script creates; it must match the code. */
    @Test
    void localTopicTableMatchesCatalogue() throws IOException {
        String expected = TopicCatalogue.toTsv();
        if (Boolean.getBoolean("pledge.regenerate")) {
            Files.writeString(LOCAL_TABLE, expected, StandardCharsets.UTF_8);
        }
        assertThat(Files.readString(LOCAL_TABLE, StandardCharsets.UTF_8))
                .as("deploy/local/kafka-topics.tsv is stale; regenerate it (see its header)")
                .isEqualTo(expected);
    }

    /** deploy/k8s/base/kafka-topics.yaml holds a Strimzi KafkaTopic per catalogue topic; it must match the code. */
    @Test
    void kubernetesTopicsMatchCatalogue() throws IOException {
        String expected = strimziTopics();
        if (Boolean.getBoolean("pledge.regenerate")) {
            Files.writeString(STRIMZI_TOPICS, expected, StandardCharsets.UTF_8);
        }
        assertThat(Files.readString(STRIMZI_TOPICS, StandardCharsets.UTF_8))
                .as("deploy/k8s/base/kafka-topics.yaml is stale; regenerate it (see its header)")
                .isEqualTo(expected);
    }

    static String strimziTopics() {
        StringBuilder y = new StringBuilder("# generated from io.pledge.events.TopicCatalogue; regenerate with\n"
                + "# mvn -pl privacy-events test -Dtest=TopicCatalogueTest -Dpledge.regenerate=true\n");
        for (Topic t : TopicCatalogue.all()) {
            y.append("---\napiVersion: kafka.strimzi.io/v1beta2\nkind: KafkaTopic\nmetadata:\n")
                    .append("  name: ").append(t.name().replace('.', '-')).append('\n')
                    .append("  labels:\n    strimzi.io/cluster: pledge\n")
                    .append("spec:\n  topicName: ").append(t.name()).append('\n')
                    .append("  partitions: ").append(t.partitions()).append('\n')
                    .append("  replicas: 3\n  config:\n")
                    .append("    cleanup.policy: ").append(t.cleanupPolicy()).append('\n')
                    .append("    retention.ms: \"").append(t.retentionMs()).append("\"\n")
                    .append("    min.insync.replicas: \"2\"\n");
        }
        return y.toString();
    }
}
