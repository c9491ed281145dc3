package io.pledge.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Builds {@code asyncapi.yaml} (AsyncAPI 3.0) from the topic catalogue and the event registry, so the document cannot
 * drift from the code: one channel per topic, one message per event type, payloads by reference to the JSON Schemas.
 */
final class AsyncApiDocument {

    static final String RESOURCE = "io/pledge/events/asyncapi.yaml";
    static final String MESSAGES = "#/components/messages/";
    static final String HEADERS = "#/components/schemas/CloudEventHeaders";
    static final String KAFKA_BINDING_VERSION = "0.5.0";

    /** Writes YAML with every string quoted, so no YAML 1.1 reader takes a date or a version for something else. */
    static final ObjectMapper YAML = new YAMLMapper(YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .disable(YAMLGenerator.Feature.SPLIT_LINES)
            .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
            .build());

    private static final ObjectMapper JSON = EventJson.mapper();

    private AsyncApiDocument() {
    }

    static String yaml() throws Exception {
        return "# generated from io.pledge.events.TopicCatalogue and EventTypes; regenerate with\n"
                + "# mvn -pl privacy-events test -Dtest=AsyncApiTest -Dpledge.regenerate=true\n"
                + YAML.writeValueAsString(build());
    }

    static ObjectNode build() {
        ObjectNode doc = JSON.createObjectNode();
        doc.put("asyncapi", "3.0.0");
        ObjectNode info = doc.putObject("info");
        info.put("title", "Pledge privacy events");
        info.put("version", "1.0.0");
        info.put("description", "Every Kafka topic of Pledge and the events on it. Records are CloudEvents 1.0 in "
                + "Kafka binary mode (ce_* headers, JSON body). Events carry ids, codes, counts and timestamps, never "
                + "personal values. Evolution: optional fields and enum values may be added; anything else is a new "
                + "type version. Generated from privacy-events; do not edit by hand.");
        doc.put("defaultContentType", "application/json");
        ObjectNode local = doc.putObject("servers").putObject("local");
        local.put("host", "127.0.0.1:9092");
        local.put("protocol", "kafka");
        local.put("description", "The single KRaft broker that deploy/local starts.");

        ObjectNode channels = doc.putObject("channels");
        ObjectNode operations = doc.putObject("operations");
        for (Topic topic : TopicCatalogue.all()) {
            String id = channelId(topic.name());
            Topic served = topic.isDeadLetter()
                    ? TopicCatalogue.find(topic.name().substring(0, topic.name().length()
                            - TopicCatalogue.DLQ_SUFFIX.length())).orElseThrow()
                    : topic;
            List<EventType<?>> types = TopicCatalogue.eventTypes(served.name());
            ObjectNode channel = channels.putObject(id);
            channel.put("address", topic.name());
            channel.put("title", topic.name());
            channel.put("description", describe(topic, served));
            ObjectNode messages = channel.putObject("messages");
            for (EventType<?> type : types) {
                messages.putObject(messageId(type)).put("$ref", MESSAGES + messageId(type));
            }
            ObjectNode kafka = channel.putObject("bindings").putObject("kafka");
            kafka.put("topic", topic.name());
            kafka.put("partitions", topic.partitions());
            ObjectNode config = kafka.putObject("topicConfiguration");
            config.putArray("cleanup.policy").add(topic.cleanupPolicy());
            config.put("retention.ms", topic.retentionMs());
            kafka.put("bindingVersion", KAFKA_BINDING_VERSION);
            channel.put("x-pledge-key", topic.key());
            channel.put("x-pledge-producer", topic.producer());
            ArrayNode consumers = channel.putArray("x-pledge-consumers");
            topic.consumers().forEach(consumers::add);

            ObjectNode send = operations.putObject("send" + Character.toUpperCase(id.charAt(0)) + id.substring(1));
            send.put("action", "send");
            send.putObject("channel").put("$ref", "#/channels/" + id);
            send.put("summary", (topic.isDeadLetter() ? "Any consumer of " + served.name() : topic.producer())
                    + " publishes to " + topic.name() + ".");
            ArrayNode sent = send.putArray("messages");
            for (EventType<?> type : types) {
                sent.addObject().put("$ref", "#/channels/" + id + "/messages/" + messageId(type));
            }
        }

        ObjectNode components = doc.putObject("components");
        components.putObject("schemas").set("CloudEventHeaders", cloudEventHeaders());
        ObjectNode messages = components.putObject("messages");
        for (EventType<?> type : EventTypes.all()) {
            messages.set(messageId(type), message(type));
        }
        return doc;
    }

    static String channelId(String topic) {
        StringBuilder id = new StringBuilder();
        boolean upper = false;
        for (char c : topic.toCharArray()) {
            if (c == '.' || c == '-') {
                upper = true;
            } else {
                id.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return id.toString();
    }

    static String messageId(EventType<?> type) {
        return type.name() + ".v" + type.version();
    }

    private static String describe(Topic topic, Topic served) {
        if (topic.isDeadLetter()) {
            return "Dead letters of " + served.name() + ": its records unchanged, keyed as there, with the failure "
                    + "reason in headers. Kept " + topic.retention().toDays() + " days.";
        }
        return "Keyed by " + topic.key() + ", so all events of one key are ordered. "
                + (topic.compacted() ? "Compacted: the latest record per key is kept forever."
                        : "Kept " + topic.retention().toDays() + " days.")
                + " Published by " + topic.producer() + "; read by " + String.join(", ", topic.consumers()) + ".";
    }

    private static ObjectNode cloudEventHeaders() {
        ObjectNode schema = JSON.createObjectNode();
        schema.put("type", "object");
        schema.put("description", "CloudEvents 1.0 attributes as Kafka headers (binary content mode).");
        ArrayNode required = schema.putArray("required");
        List.of("ce_specversion", "ce_id", "ce_source", "ce_type", "ce_time", "ce_dataschema").forEach(required::add);
        ObjectNode properties = schema.putObject("properties");
        properties.putObject("ce_specversion").put("const", "1.0");
        property(properties, "ce_id", "string", null, "Unique per event; the idempotency key of every consumer.");
        property(properties, "ce_source", "string", "uri-reference", "The producing module or holder.");
        property(properties, "ce_type", "string", null, "The event type, io.pledge.<context>.<Name>.v<version>.");
        property(properties, "ce_subject", "string", "uuid", "The data subject's id, when the event concerns one.");
        property(properties, "ce_time", "string", "date-time", "When the event happened.");
        property(properties, "ce_dataschema", "string", "uri", "The $id of the payload's JSON Schema.");
        properties.putObject("content-type").put("const", "application/json");
        return schema;
    }

    private static void property(ObjectNode properties, String name, String type, String format, String description) {
        ObjectNode p = properties.putObject(name);
        p.put("type", type);
        if (format != null) {
            p.put("format", format);
        }
        p.put("description", description);
    }

    private static ObjectNode message(EventType<?> type) {
        JsonNode schema = Contracts.schemaOf(type);
        JsonNode example = Contracts.exampleOf(type);
        ObjectNode message = JSON.createObjectNode();
        message.put("name", type.name());
        message.put("title", type.name() + " v" + type.version());
        message.put("summary", schema.path("description").asText());
        message.put("contentType", "application/json");

        ObjectNode headers = message.putObject("headers");
        headers.put("type", "object");
        ArrayNode allOf = headers.putArray("allOf");
        allOf.addObject().put("$ref", HEADERS);
        ObjectNode own = allOf.addObject();
        own.put("type", "object");
        ObjectNode properties = own.putObject("properties");
        properties.putObject("ce_type").put("const", type.type());
        properties.putObject("ce_dataschema").put("const", type.dataschema());
        if (requires(schema, "subjectId")) {
            own.putArray("required").add("ce_subject");
            properties.putObject("ce_subject").put("description", "Equals the payload's subjectId.");
        } else if (!schema.path("properties").has("subjectId")) {
            properties.putObject("ce_subject").put("description", "Absent: the event concerns no single subject.");
        }

        ObjectNode payload = message.putObject("payload");
        payload.put("schemaFormat", "application/schema+json;version=draft-2020-12");
        payload.putObject("schema").put("$ref", "./" + type.schemaResource().substring("io/pledge/events/".length()));

        if (schema.path("properties").has("requestId")) {
            ObjectNode correlation = message.putObject("correlationId");
            correlation.put("description", "The rights request that commands and replies share.");
            correlation.put("location", "$message.payload#/requestId");
        }

        ObjectNode kafka = message.putObject("bindings").putObject("kafka");
        kafka.set("key", keySchema(type, schema, example));
        kafka.put("bindingVersion", KAFKA_BINDING_VERSION);

        ObjectNode named = message.putArray("examples").addObject();
        named.put("name", type.name());
        named.set("payload", example);
        return message;
    }

    /** The record key as a schema, found by matching the example's {@link PrivacyEvent#key()} to its fields. */
    static ObjectNode keySchema(EventType<?> type, JsonNode schema, JsonNode example) {
        String key = Contracts.exampleEvent(type).key();
        for (Iterator<Map.Entry<String, JsonNode>> it = example.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (field.getValue().isTextual() && key.equals(field.getValue().asText())) {
                ObjectNode k = schema.path("properties").path(field.getKey()).deepCopy();
                k.remove("description");
                k.put("description", "The payload's " + field.getKey() + ".");
                return k;
            }
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = example.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String value = field.getValue().asText();
            if (field.getValue().isTextual() && key.endsWith(":" + value)) {
                String prefix = key.substring(0, key.length() - value.length());
                ObjectNode k = JSON.createObjectNode();
                k.put("type", "string");
                k.put("pattern", "^" + prefix);
                k.put("description", "\"" + prefix + "\" followed by the payload's " + field.getKey() + ".");
                return k;
            }
        }
        throw new IllegalStateException("cannot tell what the key of " + type.type() + " is: " + key);
    }

    private static boolean requires(JsonNode schema, String property) {
        for (JsonNode r : schema.path("required")) {
            if (r.asText().equals(property)) {
                return true;
            }
        }
        return false;
    }
}
