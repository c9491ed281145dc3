package io.pledge.audit.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Finds a property whose name looks like personal data (the same words privacy-events' NoPersonalDataTest bans from
 * schemas): events carry none, so a body that has one is refused and flagged, never recorded. Properties the type's
 * published schema declares were vetted when it was published; the keys of a schema's maps (purpose ids, category
 * names) are data, not names. So the screen looks at every property the schema does not declare, at any depth.
 * Pure code.
 */
public final class PersonalFieldScreen {

    private static final Set<String> PERSONAL_WORDS = Set.of(
            "email", "mail", "mobile", "phone", "telephone", "tel", "fax", "name", "nickname", "username", "surname",
            "address", "addr", "street", "postcode", "zip", "password", "passwd", "pwd", "secret", "pin", "bank",
            "card", "iban", "passport", "licence", "license", "birth", "birthday", "birthdate", "dob", "age", "gender",
            "sex", "qq", "wechat", "ip", "geo", "gps", "latitude", "longitude", "face", "photo", "image", "biometric",
            "text", "comment", "note", "notes", "message", "body", "remark");
    private static final Set<String> PERSONAL_PAIRS = Set.of("idnumber", "idcard", "idno", "realname", "creditcode");
    private static final String SAFE_NAME = "[A-Za-z_][A-Za-z0-9_-]{0,39}";
    private static final java.util.regex.Pattern SAFE_NAME_PATTERN = java.util.regex.Pattern.compile(SAFE_NAME);

    private PersonalFieldScreen() {
    }

    /**
     * The path of the first property (at any depth) whose name looks personal, e.g. {@code profile.email}; a name that
     * might itself be a value (not a plain identifier) is shown as {@code ?}.
     */
    public static Optional<String> firstPersonalProperty(JsonNode node) {
        return scan(node, null, null, "");
    }

    /** As {@link #firstPersonalProperty(JsonNode)}, skipping what the type's JSON Schema declares. */
    public static Optional<String> firstPersonalProperty(JsonNode node, JsonNode schema) {
        return scan(node, schema, schema, "");
    }

    private static Optional<String> scan(JsonNode node, JsonNode schema, JsonNode root, String path) {
        JsonNode s = resolve(schema, root);
        if (node.isObject()) {
            JsonNode declared = s == null ? null : s.get("properties");
            JsonNode additional = s == null ? null : s.get("additionalProperties");
            boolean map = s != null && declared == null && (s.has("propertyNames")
                    || (additional != null && additional.isObject()));
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                String name = field.getKey();
                String shown = path + (path.isEmpty() ? "" : ".") + (SAFE_NAME_PATTERN.matcher(name).matches() ? name : "?");
                JsonNode inner;
                if (declared != null && declared.has(name)) {
                    inner = declared.get(name);
                } else if (map) {
                    inner = additional != null && additional.isObject() ? additional : null;
                } else {
                    if (looksPersonal(name)) {
                        return Optional.of(shown);
                    }
                    inner = null;
                }
                Optional<String> found = scan(field.getValue(), inner, root, shown);
                if (found.isPresent()) {
                    return found;
                }
            }
        } else if (node.isArray()) {
            JsonNode items = s == null ? null : s.get("items");
            for (JsonNode item : node) {
                Optional<String> found = scan(item, items, root, path + "[]");
                if (found.isPresent()) {
                    return found;
                }
            }
        }
        return Optional.empty();
    }

    /** Follows a local {@code $ref} ({@code #/$defs/Name}). */
    private static JsonNode resolve(JsonNode schema, JsonNode root) {
        if (schema != null && schema.has("$ref") && root != null) {
            String ref = schema.get("$ref").asText();
            if (ref.startsWith("#/")) {
                JsonNode target = root.at(ref.substring(1));
                return target.isMissingNode() ? null : target;
            }
        }
        return schema;
    }

    /** True when a property name contains a word that names personal data, e.g. {@code homeAddress}, {@code id_number}. */
    public static boolean looksPersonal(String propertyName) {
        if (propertyName.contains("@")) {
            return true;
        }
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
}
