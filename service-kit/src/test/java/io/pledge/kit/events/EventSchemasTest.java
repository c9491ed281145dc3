package io.pledge.kit.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pledge.events.EventJson;
import io.pledge.events.EventType;
import io.pledge.events.EventTypes;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Pure logic: the validator consumers run (Vert.x JSON Schema) accepts every published example and
 * what every record serialises to, and refuses a body with a required field removed — so a valid
 * event is never dead-lettered by a validator that reads the schemas differently from the
 * contract's own tests.
 */
class EventSchemasTest {

    private final EventSchemas schemas = new EventSchemas();

    static Stream<EventType<?>> types() {
        return EventTypes.all().stream();
    }

    @ParameterizedTest
    @MethodSource("types")
    void everyPublishedExampleAndItsRoundTripIsValid(EventType<?> type) throws IOException {
        String example = read(type.exampleResource());
        assertThatCode(() -> schemas.validate(type, new JsonObject(example))).doesNotThrowAnyException();
        Object event = EventJson.mapper().readValue(example, type.eventClass());
        String roundTrip = EventJson.mapper().writeValueAsString(event);
        assertThatCode(() -> schemas.validate(type, new JsonObject(roundTrip))).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @MethodSource("types")
    void aBodyMissingARequiredFieldIsPoisonNamingTheSchema(EventType<?> type) throws IOException {
        JsonObject body = new JsonObject(read(type.exampleResource()));
        JsonObject schema = new JsonObject(read(type.schemaResource()));
        String required = schema.getJsonArray("required").getString(0);
        body.remove(required);
        assertThatThrownBy(() -> schemas.validate(type, body))
                .isInstanceOf(PoisonRecordException.class)
                .hasMessageContaining(type.dataschema());
    }

    private static String read(String resource) throws IOException {
        try (InputStream in = EventSchemasTest.class.getClassLoader().getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
