package io.pledge.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Test support: reads the schemas and examples of the registered types from the classpath and validates JSON against
 * them with networknt's draft 2020-12 validator, formats asserted (uuid, date-time, date, uri are checked, not just
 * annotated).
 */
final class Contracts {

    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
            builder -> builder.schemaRegistryConfig(
                    SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()));
    private static final Map<String, Schema> SCHEMAS = new ConcurrentHashMap<>();

    private Contracts() {
    }

    /** The text of a classpath resource, or an assertion-friendly exception naming it. */
    static String text(String resource) {
        try (InputStream in = Contracts.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing classpath resource " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether a classpath resource exists. */
    static boolean exists(String resource) {
        return Contracts.class.getClassLoader().getResource(resource) != null;
    }

    /** A classpath folder as a path (the module's tests run from target/classes and target/test-classes). */
    static Path folder(String resource) {
        URL url = Contracts.class.getClassLoader().getResource(resource);
        if (url == null) {
            throw new IllegalStateException("missing classpath folder " + resource);
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A JSON resource as a tree. */
    static JsonNode tree(String resource) {
        return parse(text(resource));
    }

    static JsonNode parse(String json) {
        try {
            return EventJson.mapper().readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode schemaOf(EventType<?> type) {
        return tree(type.schemaResource());
    }

    static JsonNode exampleOf(EventType<?> type) {
        return tree(type.exampleResource());
    }

    /** The example of a type read into its record with {@link EventJson#mapper()}. */
    static PrivacyEvent exampleEvent(EventType<?> type) {
        try {
            return EventJson.mapper().readValue(text(type.exampleResource()), type.eventClass());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The validation errors of a JSON document against a schema text, as readable lines; empty when valid. */
    static List<String> validate(String schemaText, String json) {
        Schema schema = SCHEMAS.computeIfAbsent(schemaText, s -> REGISTRY.getSchema(s, InputFormat.JSON));
        List<Error> errors = schema.validate(json, InputFormat.JSON);
        return errors.stream().map(Error::toString).toList();
    }

    /** The validation errors of a JSON document against a registered type's schema. */
    static List<String> validate(EventType<?> type, String json) {
        return validate(text(type.schemaResource()), json);
    }
}
