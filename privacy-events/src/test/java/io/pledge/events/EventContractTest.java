package io.pledge.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.pledge.events.rights.HolderReplied;
import java.io.IOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Pure logic: every registered event type against its JSON Schema and example. Nothing is faked: the schemas and
 * examples are the published resources, read from the classpath as a consumer reads them.
 */
class EventContractTest {

    static Stream<Named<EventType<?>>> types() {
        return EventTypes.all().stream().map(t -> Named.of(t.type(), t));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("types")
    void hasSchemaAndExampleWhereTheTypeSays(EventType<?> type) {
        assertThat(Contracts.exists(type.schemaResource())).as(type.schemaResource()).isTrue();
        assertThat(Contracts.exists(type.exampleResource())).as(type.exampleResource()).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("types")
    void schemaIsDraft202012WithIdEqualToDataschema(EventType<?> type) {
        JsonNode schema = Contracts.schemaOf(type);
        assertThat(schema.path("$schema").asText()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
        assertThat(schema.path("$id").asText()).isEqualTo(type.dataschema());
        assertThat(schema.path("title").asText()).isEqualTo(type.name() + " v" + type.version());
        assertThat(schema.path("description").asText()).isNotBlank();
        assertThat(schema.path("type").asText()).isEqualTo("object");
        // producers may add optional fields: a closed schema would make that a breaking change
        assertThat(schema.path("additionalProperties").isBoolean()).as("additionalProperties: false").isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("types")
    void exampleValidatesAgainstSchema(EventType<?> type) {
        assertThat(Contracts.validate(type, Contracts.text(type.exampleResource()))).isEmpty();
    }

    /** The example read into the record and written back loses nothing and still validates. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("types")
    void exampleRoundTripsThroughRecord(EventType<?> type) throws IOException {
        PrivacyEvent event = Contracts.exampleEvent(type);
        assertThat(event).isInstanceOf(type.eventClass());
        String written = EventJson.mapper().writeValueAsString(event);
        assertThat(Contracts.validate(type, written)).isEmpty();
        assertThat(Contracts.parse(written)).isEqualTo(Contracts.exampleOf(type));
    }

    /** A schema that accepted anything would make the two tests above vacuous. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("types")
    void schemaRejectsMissingRequiredAndMalformedValues(EventType<?> type) {
        JsonNode schema = Contracts.schemaOf(type);
        ObjectNode example = (ObjectNode) Contracts.exampleOf(type);
        for (JsonNode required : schema.path("required")) {
            ObjectNode without = example.deepCopy();
            without.remove(required.asText());
            assertThat(Contracts.validate(type, without.toString())).as("without %s", required.asText()).isNotEmpty();
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = schema.path("properties").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> property = it.next();
            if (property.getValue().has("format") && example.has(property.getKey())) {
                ObjectNode broken = example.deepCopy();
                broken.set(property.getKey(), TextNode.valueOf("not-a-" + property.getValue().path("format").asText()));
                assertThat(Contracts.validate(type, broken.toString()))
                        .as("malformed %s", property.getKey()).isNotEmpty();
            }
        }
    }

    /** The record and the schema describe the same fields with matching types, nested records included. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("types")
    void recordMatchesSchema(EventType<?> type) {
        JsonNode schema = Contracts.schemaOf(type);
        assertThat(mismatches(type.eventClass(), schema, schema, type.name())).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("types")
    void recordIsAPastTenseRecordInItsContextPackage(EventType<?> type) {
        assertThat(type.eventClass().isRecord()).isTrue();
        // a later version is a record of the same name in a sub-package: io.pledge.events.consent.v2.ConsentWithdrawn
        assertThat(type.eventClass().getPackageName()).isEqualTo("io.pledge.events." + type.context()
                + (type.version() == 1 ? "" : ".v" + type.version()));
        // a past participle: regular -ed, or an irregular one such as Withdrawn, Sent, Held
        assertThat(type.name()).as("past tense").matches("[A-Z][A-Za-z]*(ed|wn|en|nt|ld)");
        assertThat(type.type()).isEqualTo("io.pledge." + type.context() + "." + type.name() + ".v" + type.version());
        assertThat(EventTypes.find(type.type())).contains(type);
        assertThat(EventTypes.of(type.eventClass())).isSameAs(type);
    }

    /**
     * Key and CloudEvents subject follow the topic: subject-keyed topics use the subject id, replies the request id;
     * only the listed types concern no single subject and have a key of their own.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("types")
    void keyAndSubjectFollowTheTopic(EventType<?> type) {
        Set<Class<?>> noSubject = Set.of(io.pledge.events.consent.PolicyVersionPublished.class,
                io.pledge.events.rights.HolderOffboardingRequested.class,
                io.pledge.events.notification.BreachDeclared.class,
                io.pledge.events.rights.BreachMeasuresRequested.class,
                io.pledge.events.notification.CessationScheduled.class,
                io.pledge.events.account.StaffAccountChanged.class);
        PrivacyEvent event = Contracts.exampleEvent(type);
        JsonNode example = Contracts.exampleOf(type);
        assertThat(event.key()).isNotBlank().doesNotContain("@");
        if (type.topic().equals(TopicCatalogue.RIGHTS_REPLIES)) {
            assertThat(event.key()).isEqualTo(example.path("requestId").asText());
        } else if (noSubject.contains(type.eventClass())) {
            assertThat(event.subject()).isNull();
        } else {
            assertThat(event.key()).isEqualTo(example.path("subjectId").asText()).isEqualTo(event.subject());
        }
        if (event.subject() != null) {
            assertThat(event.subject()).isEqualTo(example.path("subjectId").asText());
        }
    }

    @Test
    void typeNamesAreUniqueAcrossContexts() {
        List<String> names = EventTypes.all().stream().map(t -> t.name() + ".v" + t.version()).toList();
        assertThat(names).doesNotHaveDuplicates();
    }

    @Test
    void everyTypeIsOnACatalogueTopicThatIsNotADeadLetterTopic() {
        for (EventType<?> type : EventTypes.all()) {
            Topic topic = TopicCatalogue.find(type.topic()).orElseThrow(() -> new AssertionError(type.topic()));
            assertThat(topic.isDeadLetter()).as(type.type()).isFalse();
        }
    }

    /** HolderReplied names the command it answers; its enum must list exactly the commands. */
    @Test
    void holderRepliedCommandEnumListsEveryCommand() {
        JsonNode command = Contracts.schemaOf(EventTypes.HOLDER_REPLIED).path("properties").path("command");
        List<String> listed = new ArrayList<>();
        command.path("enum").forEach(v -> listed.add(v.asText()));
        assertThat(listed).containsExactlyElementsOf(
                TopicCatalogue.eventTypes(TopicCatalogue.RIGHTS_COMMANDS).stream().map(EventType::name).toList());
        assertThat(EventTypes.of(HolderReplied.class).topic()).isEqualTo(TopicCatalogue.RIGHTS_REPLIES);
    }

    /** No schema or example is left behind by a type that was renamed or unregistered. */
    @Test
    void everySchemaAndExampleFileBelongsToARegisteredType() throws IOException {
        Set<String> expected = new HashSet<>();
        for (EventType<?> type : EventTypes.all()) {
            expected.add(type.schemaResource());
            expected.add(type.exampleResource());
        }
        Set<String> found = new HashSet<>();
        for (String folder : List.of("io/pledge/events/schemas", "io/pledge/events/examples")) {
            Path root = Contracts.folder(folder);
            try (Stream<Path> files = Files.walk(root)) {
                files.filter(Files::isRegularFile)
                        .forEach(f -> found.add(folder + "/" + root.relativize(f).toString().replace('\\', '/')));
            }
        }
        assertThat(found).containsExactlyInAnyOrderElementsOf(expected);
    }

    private static List<String> mismatches(Class<?> record, JsonNode objectSchema, JsonNode root, String where) {
        List<String> problems = new ArrayList<>();
        JsonNode properties = objectSchema.path("properties");
        Set<String> components = new HashSet<>();
        Set<String> required = new HashSet<>();
        objectSchema.path("required").forEach(r -> required.add(r.asText()));
        for (RecordComponent c : record.getRecordComponents()) {
            String at = where + "." + c.getName();
            components.add(c.getName());
            JsonNode property = properties.path(c.getName());
            if (property.isMissingNode()) {
                problems.add(at + ": not in the schema");
                continue;
            }
            if (c.getType().isPrimitive() && !required.contains(c.getName())) {
                problems.add(at + ": primitive but optional in the schema");
            }
            problems.addAll(typeMismatches(c.getType(), c.getGenericType(), resolve(property, root), root, at));
        }
        properties.fieldNames().forEachRemaining(p -> {
            if (!components.contains(p)) {
                problems.add(where + "." + p + ": in the schema but not in the record");
            }
        });
        required.stream().filter(r -> !components.contains(r))
                .forEach(r -> problems.add(where + ": requires unknown " + r));
        return problems;
    }

    private static List<String> typeMismatches(Class<?> raw, Type generic, JsonNode property, JsonNode root,
                                               String at) {
        String type = property.path("type").asText(null);
        String format = property.path("format").asText(null);
        boolean stringEnum = property.has("enum") && allText(property.path("enum"));
        List<String> problems = new ArrayList<>();
        if (raw == UUID.class) {
            expect(problems, at, "string/uuid", "string".equals(type) && "uuid".equals(format));
        } else if (raw == Instant.class) {
            expect(problems, at, "string/date-time", "string".equals(type) && "date-time".equals(format));
        } else if (raw == LocalDate.class) {
            expect(problems, at, "string/date", "string".equals(type) && "date".equals(format));
        } else if (raw == String.class) {
            expect(problems, at, "string or a string enum", "string".equals(type) || (type == null && stringEnum));
        } else if (raw == boolean.class || raw == Boolean.class) {
            expect(problems, at, "boolean", "boolean".equals(type));
        } else if (raw == int.class || raw == Integer.class || raw == long.class || raw == Long.class) {
            expect(problems, at, "integer", "integer".equals(type));
        } else if (List.class.isAssignableFrom(raw)) {
            expect(problems, at, "array", "array".equals(type));
            Type element = ((ParameterizedType) generic).getActualTypeArguments()[0];
            JsonNode items = resolve(property.path("items"), root);
            problems.addAll(elementMismatches(element, items, root, at + "[]"));
        } else if (Map.class.isAssignableFrom(raw)) {
            expect(problems, at, "object (a map)", "object".equals(type) && property.has("additionalProperties"));
            Type[] kv = ((ParameterizedType) generic).getActualTypeArguments();
            expect(problems, at, "String keys", kv[0] == String.class);
            problems.addAll(elementMismatches(kv[1], resolve(property.path("additionalProperties"), root), root,
                    at + "{}"));
        } else {
            problems.add(at + ": no rule for Java type " + raw.getName());
        }
        return problems;
    }

    private static List<String> elementMismatches(Type element, JsonNode schema, JsonNode root, String at) {
        Class<?> raw = element instanceof Class<?> c ? c : (Class<?>) ((ParameterizedType) element).getRawType();
        if (raw.isRecord()) {
            List<String> problems = new ArrayList<>();
            expect(problems, at, "object", "object".equals(schema.path("type").asText()));
            problems.addAll(mismatches(raw, schema, root, at));
            return problems;
        }
        return typeMismatches(raw, element, schema, root, at);
    }

    private static JsonNode resolve(JsonNode node, JsonNode root) {
        String ref = node.path("$ref").asText(null);
        return ref != null && ref.startsWith("#/") ? root.at(ref.substring(1)) : node;
    }

    private static boolean allText(JsonNode values) {
        for (JsonNode v : values) {
            if (!v.isTextual()) {
                return false;
            }
        }
        return true;
    }

    private static void expect(List<String> problems, String at, String what, boolean ok) {
        if (!ok) {
            problems.add(at + ": schema should be " + what);
        }
    }
}
