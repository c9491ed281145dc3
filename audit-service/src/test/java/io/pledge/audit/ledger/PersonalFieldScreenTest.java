package io.pledge.audit.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pledge.events.EventJson;
import io.pledge.events.EventTypes;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

/** Pure logic: the screen flags undeclared personal-looking properties at any depth, never map keys or declared ones. */
class PersonalFieldScreenTest {

    private static JsonNode json(String s) throws IOException {
        return EventJson.mapper().readTree(s);
    }


    private static JsonNode schemaOf(io.pledge.events.EventType<?> type) throws IOException {
        try (InputStream in = PersonalFieldScreenTest.class.getClassLoader().getResourceAsStream(type.schemaResource())) {
            return EventJson.mapper().readTree(in);
        }
    }

    @Test
    void mapKeysAndDeclaredPropertiesPassUndeclaredPersonalOnesDoNot() throws IOException {
        JsonNode state = schemaOf(EventTypes.CONSENT_STATE_CHANGED);
        assertThat(PersonalFieldScreen.firstPersonalProperty(json(
                "{\"subjectId\":\"x\",\"purposes\":{\"marketing-email\":\"GIVEN\"}}"), state)).isEmpty();
        assertThat(PersonalFieldScreen.firstPersonalProperty(json(
                "{\"subjectId\":\"x\",\"homeAddress\":\"1 Main St\"}"), state)).contains("homeAddress");

        JsonNode reply = schemaOf(EventTypes.HOLDER_REPLIED);
        assertThat(PersonalFieldScreen.firstPersonalProperty(json(
                "{\"retained\":[{\"category\":\"billing\",\"bankAccount\":\"123\"}]}"), reply)).contains("retained[].bankAccount");
        assertThat(PersonalFieldScreen.firstPersonalProperty(json("{\"extra\":{\"a@b.c\":1}}"), reply)).contains("extra.?");
        assertThat(PersonalFieldScreen.firstPersonalProperty(json("{\"extra\":{\"id_number\":1}}"))).contains("extra.id_number");
    }

    @Test
    void namesThatLookPersonal() {
        assertThat(PersonalFieldScreen.looksPersonal("email")).isTrue();
        assertThat(PersonalFieldScreen.looksPersonal("idNumber")).isTrue();
        assertThat(PersonalFieldScreen.looksPersonal("mobilePhone")).isTrue();
        assertThat(PersonalFieldScreen.looksPersonal("subjectId")).isFalse();
        assertThat(PersonalFieldScreen.looksPersonal("purposeId")).isFalse();
    }
}
