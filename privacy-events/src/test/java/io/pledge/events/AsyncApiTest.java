package io.pledge.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Pure logic: {@code asyncapi.yaml} lists exactly the catalogue's topics and each topic's event types, and is what
 * {@link AsyncApiDocument} generates. The document is parsed as a reader would, with Jackson YAML.
 */
class AsyncApiTest {

    private static final Path SOURCE = Path.of("src", "main", "resources", AsyncApiDocument.RESOURCE);
    private static final ObjectMapper YAML = new YAMLMapper();

    private static JsonNode doc;

    @BeforeAll
    static void readDocument() throws Exception {
        if (Boolean.getBoolean("pledge.regenerate")) {
            Files.writeString(SOURCE, AsyncApiDocument.yaml(), StandardCharsets.UTF_8);
        }
        doc = YAML.readTree(Files.readString(SOURCE, StandardCharsets.UTF_8));
    }

    @Test
    void documentIsWhatTheCodeGenerates() throws Exception {
        assertThat(doc)
                .as("%s is stale; regenerate it (see its header)", SOURCE)
                .isEqualTo(YAML.readTree(AsyncApiDocument.yaml()));
        assertThat(Contracts.exists(AsyncApiDocument.RESOURCE)).as("packaged in the jar").isTrue();
    }

    @Test
    void isAsyncApi3() {
        assertThat(doc.path("asyncapi").asText()).isEqualTo("3.0.0");
        assertThat(doc.path("info").path("title").asText()).isNotBlank();
        assertThat(doc.path("info").path("version").asText()).isNotBlank();
    }

    @Test
    void listsExactlyTheCatalogueTopics() {
        List<String> addresses = new ArrayList<>();
        doc.path("channels").forEach(c -> addresses.add(c.path("address").asText()));
        assertThat(addresses).containsExactlyElementsOf(TopicCatalogue.all().stream().map(Topic::name).toList());
    }

    /** A topic's channel lists its event types; a dead-letter topic's those of the topic it serves. */
    @Test
    void eachChannelListsItsTopicsEventTypes() {
        for (Topic topic : TopicCatalogue.all()) {
            JsonNode channel = channelOf(topic.name());
            String served = topic.isDeadLetter()
                    ? topic.name().substring(0, topic.name().length() - TopicCatalogue.DLQ_SUFFIX.length())
                    : topic.name();
            List<String> types = new ArrayList<>();
            channel.path("messages").forEach(ref -> types.add(
                    resolve(ref).path("headers").path("allOf").path(1).path("properties").path("ce_type")
                            .path("const").asText()));
            assertThat(types).as(topic.name())
                    .isNotEmpty()
                    .containsExactlyElementsOf(
                            TopicCatalogue.eventTypes(served).stream().map(EventType::type).toList());
            assertThat(channel.path("bindings").path("kafka").path("partitions").asInt()).isEqualTo(topic.partitions());
            assertThat(channel.path("bindings").path("kafka").path("topicConfiguration").path("cleanup.policy")
                    .path(0).asText()).isEqualTo(topic.cleanupPolicy());
            assertThat(channel.path("x-pledge-key").asText()).isEqualTo(topic.key());
        }
    }

    /** Each message points at its JSON Schema file, whose $id is the message's ce_dataschema; its key is described. */
    @Test
    void everyMessageReferencesItsSchemaAndNamesItsKey() {
        assertThat(doc.path("components").path("messages").size()).isEqualTo(EventTypes.all().size());
        for (EventType<?> type : EventTypes.all()) {
            JsonNode message = doc.path("components").path("messages").path(AsyncApiDocument.messageId(type));
            assertThat(message.path("name").asText()).isEqualTo(type.name());
            String ref = message.path("payload").path("schema").path("$ref").asText();
            String file = "io/pledge/events/" + ref.replaceFirst("^\\./", "");
            assertThat(file).isEqualTo(type.schemaResource());
            assertThat(Contracts.tree(file).path("$id").asText()).isEqualTo(type.dataschema())
                    .isEqualTo(message.path("headers").path("allOf").path(1).path("properties")
                            .path("ce_dataschema").path("const").asText());
            JsonNode key = message.path("bindings").path("kafka").path("key");
            assertThat(key.path("type").asText()).as("key of %s", type.type()).isEqualTo("string");
            assertThat(key.path("description").asText()).as("key of %s", type.type()).isNotBlank();
            assertThat(Contracts.validate(Contracts.text(type.schemaResource()),
                    message.path("examples").path(0).path("payload").toString())).isEmpty();
        }
    }

    /** AsyncAPI 3 requires an operation's messages to be messages of its channel. */
    @Test
    void everyOperationSendsMessagesOfItsChannel() {
        assertThat(doc.path("operations").size()).isEqualTo(TopicCatalogue.all().size());
        for (Iterator<Map.Entry<String, JsonNode>> it = doc.path("operations").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> op = it.next();
            String channelRef = op.getValue().path("channel").path("$ref").asText();
            assertThat(resolve(op.getValue().path("channel")).isMissingNode()).as(op.getKey()).isFalse();
            for (JsonNode m : op.getValue().path("messages")) {
                assertThat(m.path("$ref").asText()).startsWith(channelRef + "/messages/");
                assertThat(resolve(m).isMissingNode()).as(m.toString()).isFalse();
            }
        }
    }

    private static JsonNode channelOf(String topic) {
        for (JsonNode c : doc.path("channels")) {
            if (c.path("address").asText().equals(topic)) {
                return c;
            }
        }
        throw new AssertionError("no channel for " + topic);
    }

    /** Follows an in-document {@code $ref}, reference chains included. */
    private static JsonNode resolve(JsonNode node) {
        JsonNode current = node;
        while (current.has("$ref") && current.path("$ref").asText().startsWith("#/")) {
            // the ids hold dots, never '/' or '~', so the fragment is a JSON Pointer as it is
            current = doc.at(current.path("$ref").asText().substring(1));
        }
        return current;
    }
}
