package io.pledge.kit.events;

import io.pledge.events.EventType;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.Validator;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Validates event bodies against their published JSON Schemas (draft 2020-12), loaded once per type
 * from the classpath ({@code privacy-events}). Errors name where and which rule failed, never the
 * value found there.
 */
@ApplicationScoped
public class EventSchemas {

    private final Map<String, Validator> validators = new ConcurrentHashMap<>();

    /**
     * @throws PoisonRecordException when the body does not satisfy the type's schema
     */
    public void validate(EventType<?> type, JsonObject body) {
        OutputUnit result = validators.computeIfAbsent(type.type(), k -> load(type)).validate(body);
        if (!Boolean.TRUE.equals(result.getValid())) {
            List<OutputUnit> errors = result.getErrors() == null ? List.of() : result.getErrors();
            String where = errors.stream().limit(5)
                    .map(e -> (e.getInstanceLocation() == null || e.getInstanceLocation().isEmpty() ? "/" : e.getInstanceLocation())
                            + " fails " + lastSegment(e.getKeywordLocation()))
                    .collect(Collectors.joining("; "));
            throw new PoisonRecordException("body is invalid against " + type.dataschema()
                    + (where.isEmpty() ? "" : ": " + where));
        }
    }

    private static Validator load(EventType<?> type) {
        try (InputStream in = EventSchemas.class.getClassLoader().getResourceAsStream(type.schemaResource())) {
            if (in == null) {
                throw new IllegalStateException("no schema on the classpath for " + type.type() + " at " + type.schemaResource());
            }
            JsonObject schema = new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            return Validator.create(JsonSchema.of(schema),
                    new JsonSchemaOptions().setDraft(Draft.DRAFT202012).setBaseUri("https://pledge.local/schemas/"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String lastSegment(String keywordLocation) {
        if (keywordLocation == null) {
            return "the schema";
        }
        int slash = keywordLocation.lastIndexOf('/');
        return "'" + keywordLocation.substring(slash + 1) + "'";
    }
}
