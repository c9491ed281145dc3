package io.pledge.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Pure logic: every current schema stays compatible with its published baseline in
 * {@code src/test/resources/published/} (see {@link SchemaCompatibility} for the rule). A baseline is never edited;
 * a breaking change is a new type version with a new schema and a new baseline.
 */
class SchemaCompatibilityTest {

    private static final String PUBLISHED = "published";
    private static final Path PUBLISHED_SOURCE = Path.of("src", "test", "resources", PUBLISHED);

    static Stream<Named<EventType<?>>> types() {
        return EventTypes.all().stream().map(t -> Named.of(t.type(), t));
    }

    /** The baseline of a type: {@code published/<context>/<Name>.v<version>.schema.json}. */
    static String baseline(EventType<?> type) {
        return type.schemaResource().replace("io/pledge/events/schemas", PUBLISHED);
    }

    /**
     * Every registered type has a baseline. Run with {@code -Dpledge.publish=true} to copy the schema of a new type
     * into place; existing baselines are never overwritten.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("types")
    void everyTypeHasAPublishedBaseline(EventType<?> type) throws IOException {
        if (Boolean.getBoolean("pledge.publish") && !Contracts.exists(baseline(type))) {
            Path target = PUBLISHED_SOURCE.resolve(baseline(type).substring(PUBLISHED.length() + 1));
            Files.createDirectories(target.getParent());
            if (!Files.exists(target)) {
                Files.writeString(target, Contracts.text(type.schemaResource()), StandardCharsets.UTF_8);
            }
            return;
        }
        assertThat(Contracts.exists(baseline(type)))
                .as("no published baseline %s; copy the schema there (-Dpledge.publish=true)", baseline(type))
                .isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("types")
    void currentSchemaIsCompatibleWithPublished(EventType<?> type) {
        if (!Contracts.exists(baseline(type))) {
            return; // reported by everyTypeHasAPublishedBaseline
        }
        assertThat(SchemaCompatibility.breakingChanges(Contracts.tree(baseline(type)), Contracts.schemaOf(type)))
                .as("breaking changes to %s: publish a new version instead", type.type())
                .isEmpty();
    }

    /** A published type may be superseded by a new version, but never unregistered while consumers may read it. */
    @Test
    void everyPublishedBaselineIsStillRegistered() throws IOException {
        Set<String> registered = new HashSet<>();
        EventTypes.all().forEach(t -> registered.add(baseline(t)));
        List<String> published = new ArrayList<>();
        Path root = Contracts.folder(PUBLISHED);
        try (Stream<Path> files = Files.walk(root)) {
            files.filter(Files::isRegularFile)
                    .forEach(f -> published.add(PUBLISHED + "/" + root.relativize(f).toString().replace('\\', '/')));
        }
        assertThat(published).isNotEmpty();
        assertThat(registered).containsAll(published);
    }

    // The rule itself, on small schemas.

    private static final String BASE = """
            {"$id": "urn:t", "type": "object", "required": ["a"],
             "properties": {
               "a": {"type": "string", "format": "uuid"},
               "b": {"enum": ["X", "Y"]},
               "c": {"type": "array", "items": {"$ref": "#/$defs/Item"}},
               "d": {"type": "string", "maxLength": 40}},
             "$defs": {"Item": {"type": "object", "properties": {"k": {"type": "integer", "minimum": 0}}}}}
            """;

    private static List<String> changes(String current) {
        return SchemaCompatibility.breakingChanges(Contracts.parse(BASE), Contracts.parse(current));
    }

    @Test
    void ruleAllowsAdditiveChanges() {
        assertThat(changes(BASE)).isEmpty();
        assertThat(changes(BASE.replace("\"d\": {\"type\": \"string\", \"maxLength\": 40}",
                "\"d\": {\"type\": \"string\", \"maxLength\": 80, \"description\": \"longer\"},"
                        + " \"e\": {\"type\": \"boolean\"}"))).isEmpty();
        assertThat(changes(BASE.replace("[\"X\", \"Y\"]", "[\"X\", \"Y\", \"Z\"]"))).isEmpty();
        assertThat(changes(BASE.replace("\"required\": [\"a\"]", "\"required\": []"))).isEmpty();
    }

    @Test
    void ruleRejectsNarrowingChanges() {
        assertThat(changes(BASE.replace("\"d\": {\"type\": \"string\", \"maxLength\": 40}", "\"x\": {}")))
                .anyMatch(p -> p.contains("/d: property removed"));
        assertThat(changes(BASE.replace("[\"X\", \"Y\"]", "[\"X\"]"))).anyMatch(p -> p.contains("enum values removed"));
        assertThat(changes(BASE.replace("\"required\": [\"a\"]", "\"required\": [\"a\", \"d\"]")))
                .anyMatch(p -> p.contains("d became required"));
        assertThat(changes(BASE.replace("\"format\": \"uuid\"", "\"format\": \"uri\""))).isNotEmpty();
        assertThat(changes(BASE.replace("{\"type\": \"string\", \"maxLength\": 40}", "{\"type\": \"integer\"}")))
                .anyMatch(p -> p.contains("type changed"));
        assertThat(changes(BASE.replace("\"maxLength\": 40", "\"maxLength\": 20")))
                .anyMatch(p -> p.contains("lowered"));
        assertThat(changes(BASE.replace("\"maxLength\": 40", "\"maxLength\": 40, \"pattern\": \"^[a-z]+$\"")))
                .anyMatch(p -> p.contains("pattern added"));
        assertThat(changes(BASE.replace("\"minimum\": 0", "\"minimum\": 1"))).anyMatch(p -> p.contains("/c/items/k"));
        assertThat(changes(BASE.replace("\"properties\": {\"k\"", "\"properties\": {\"j\"")))
                .anyMatch(p -> p.contains("/c/items/k: property removed"));
        assertThat(changes(BASE.replace("\"type\": \"object\", \"required\"",
                "\"type\": \"object\", \"additionalProperties\": false, \"required\""))).isNotEmpty();
        assertThat(changes(BASE.replace("\"urn:t\"", "\"urn:u\""))).anyMatch(p -> p.contains("$id"));
    }

    private static final String CONDITIONAL = """
            {"$id": "urn:c", "type": "object", "properties": {"k": {"type": "string"}, "s": {"type": "string"}},
             "allOf": [{"if": {"properties": {"k": {"not": {"const": "A"}}}}, "then": {"required": ["s"]}}]}
            """;

    @Test
    void aConditionalRequirementMayApplyToFewerValuesButNotToMore() {
        var published = Contracts.parse(CONDITIONAL);
        String narrowed = CONDITIONAL.replace("{\"const\": \"A\"}", "{\"enum\": [\"A\", \"B\"]}");
        assertThat(SchemaCompatibility.breakingChanges(published, Contracts.parse(narrowed))).isEmpty();
        String widened = CONDITIONAL.replace("{\"const\": \"A\"}", "{\"enum\": [\"B\"]}");
        assertThat(SchemaCompatibility.breakingChanges(published, Contracts.parse(widened)))
                .anyMatch(p -> p.contains("allOf"));
        String otherThen = narrowed.replace("[\"s\"]", "[\"s\", \"k\"]");
        assertThat(SchemaCompatibility.breakingChanges(published, Contracts.parse(otherThen)))
                .anyMatch(p -> p.contains("allOf"));
    }

    /** The baselines are what the schemas were when published; they hold real schemas, not placeholders. */
    @Test
    void baselinesAreSchemas() {
        for (EventType<?> type : EventTypes.all()) {
            if (Contracts.exists(baseline(type))) {
                JsonNode published = Contracts.tree(baseline(type));
                assertThat(published.path("$id").asText()).isEqualTo(type.dataschema());
            }
        }
    }
}
