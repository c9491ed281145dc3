package io.pledge.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;

/**
 * Pure logic: a guard that events carry ids, codes, counts and timestamps, never personal values (ARCHITECTURE.md,
 * "personal data by reference, not by copy"). It reads every registered schema; nothing is faked.
 */
class NoPersonalDataTest {

    /** Words that name personal data or free text when they appear in a property name. */
    private static final Set<String> PERSONAL_WORDS = Set.of(
            "email", "mail", "mobile", "phone", "telephone", "tel", "fax", "name", "nickname", "username", "surname",
            "address", "addr", "street", "postcode", "zip", "password", "passwd", "pwd", "secret", "pin", "bank",
            "card", "iban", "passport", "licence", "license", "birth", "birthday", "birthdate", "dob", "age", "gender",
            "sex", "qq", "wechat", "ip", "geo", "gps", "latitude", "longitude", "face", "photo", "image", "biometric",
            "text", "comment", "note", "notes", "message", "body", "remark");
    /** Two adjacent words that together name personal data, e.g. idNumber. */
    private static final Set<String> PERSONAL_PAIRS = Set.of("idnumber", "idcard", "idno", "realname", "creditcode");

    /**
     * String properties published before this guard with only a length limit. Tighten them in the next version of
     * their type; do not add to this list.
     */
    private static final Map<String, Set<String>> UNCONSTRAINED_STRINGS_ALLOWED = Map.of(
            "ConsentWithdrawn", Set.of("recipientId", "policyVersion"));

    @Test
    void noPropertyNameLooksLikePersonalData() {
        List<String> offending = new ArrayList<>();
        for (EventType<?> type : EventTypes.all()) {
            forEachProperty(Contracts.schemaOf(type), (name, schema) -> {
                if (looksPersonal(name)) {
                    offending.add(type.name() + "." + name);
                }
            });
        }
        assertThat(offending).isEmpty();
    }

    /** A string that is not an enum, const, pattern or format could carry free text, so a name or an address. */
    @Test
    void everyStringIsAnIdCodeOrTimestamp() {
        List<String> offending = new ArrayList<>();
        for (EventType<?> type : EventTypes.all()) {
            Set<String> allowed = UNCONSTRAINED_STRINGS_ALLOWED.getOrDefault(type.name(), Set.of());
            forEachProperty(Contracts.schemaOf(type), (name, schema) -> {
                if (!allowed.contains(name)) {
                    unconstrainedStrings(schema, type.name() + "." + name, offending);
                }
            });
        }
        assertThat(offending).isEmpty();
    }

    @Test
    void theGuardCatchesWhatItShould() {
        assertThat(List.of("email", "contactEmail", "mobile", "mobileNumber", "phone", "realName", "userName",
                "homeAddress", "idNumber", "id_number", "password", "bankAccount", "cardNo", "birthDate", "ipAddress",
                "freeText", "comment", "nickname", "qq"))
                .allMatch(NoPersonalDataTest::looksPersonal);
        assertThat(List.of("subjectId", "recipientId", "accountType", "contentSha256", "exportLocation", "templateId",
                "affectedSubjects", "reasonCode", "fieldsAdded", "legalBasis", "channels", "params", "locale",
                "purposes", "holderIds", "guardianId", "certificateId", "accessorRole", "minor", "until"))
                .noneMatch(NoPersonalDataTest::looksPersonal);
    }

    static boolean looksPersonal(String propertyName) {
        String[] words = propertyName.replaceAll("([a-z0-9])([A-Z])", "$1 $2").replace('_', ' ').replace('-', ' ')
                .toLowerCase(Locale.ROOT).split(" +");
        for (int i = 0; i < words.length; i++) {
            if (PERSONAL_WORDS.contains(words[i])
                    || (i + 1 < words.length && PERSONAL_PAIRS.contains(words[i] + words[i + 1]))) {
                return true;
            }
        }
        return false;
    }

    /** Every named property of a schema, its {@code $defs} and nested object schemas included. */
    private static void forEachProperty(JsonNode schema, BiConsumer<String, JsonNode> action) {
        if (schema == null || !schema.isContainerNode()) {
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = schema.path("properties").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> p = it.next();
            action.accept(p.getKey(), p.getValue());
            forEachProperty(p.getValue(), action);
        }
        schema.path("$defs").forEach(d -> forEachProperty(d, action));
        forEachProperty(schema.get("items"), action);
        forEachProperty(schema.get("additionalProperties"), action);
    }

    private static void unconstrainedStrings(JsonNode schema, String at, List<String> offending) {
        if (schema == null || !schema.isObject()) {
            return;
        }
        boolean constrained = schema.has("enum") || schema.has("const") || schema.has("pattern") || schema.has("format")
                || schema.has("$ref");
        if ("string".equals(schema.path("type").asText()) && !constrained) {
            offending.add(at);
        }
        unconstrainedStrings(schema.get("items"), at + "[]", offending);
        unconstrainedStrings(schema.get("additionalProperties"), at + "{}", offending);
        unconstrainedStrings(schema.get("propertyNames"), at + "{key}", offending);
    }
}
