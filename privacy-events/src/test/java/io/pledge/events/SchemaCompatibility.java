package io.pledge.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The evolution rule as code: what a current schema may not do relative to the published one of the same type
 * version. A consumer built against the published schema must read every event a producer of the current one writes.
 * Allowed: new optional properties, new enum values, dropping a constraint, dropping a property from
 * {@code required}, descriptions. Anything else is a new type version.
 */
final class SchemaCompatibility {

    private static final List<String> LOWER_BOUNDS =
            List.of("minLength", "minItems", "minProperties", "minimum", "exclusiveMinimum");
    private static final List<String> UPPER_BOUNDS =
            List.of("maxLength", "maxItems", "maxProperties", "maximum", "exclusiveMaximum");
    /** Compared as a whole: a change to any of them may narrow what is valid in ways not worth reasoning about. */
    private static final List<String> OPAQUE = List.of("allOf", "anyOf", "oneOf", "not", "if", "then", "else",
            "dependentRequired", "dependentSchemas", "patternProperties", "unevaluatedProperties");

    private SchemaCompatibility() {
    }

    /** Each breaking change of {@code current} relative to {@code published}, as a readable line; empty when none. */
    static List<String> breakingChanges(JsonNode published, JsonNode current) {
        List<String> problems = new ArrayList<>();
        if (!Objects.equals(published.get("$id"), current.get("$id"))) {
            problems.add("$id changed from " + published.get("$id") + " to " + current.get("$id"));
        }
        compare("", published, current, published, current, problems);
        return problems;
    }

    /**
     * The one reasoned exception to {@link #OPAQUE}: an {@code allOf} whose entries are unchanged except
     * that a rule "{@code if p is not X then …}" now reads "{@code if p is not one of [X, Y…] then …}",
     * with the same {@code then}. It applies to fewer events than before, so everything valid before
     * stays valid.
     */
    private static boolean onlyConditionsNarrowed(JsonNode old, JsonNode cur) {
        if (old == null || cur == null || !old.isArray() || !cur.isArray() || old.size() != cur.size()) {
            return false;
        }
        for (int i = 0; i < old.size(); i++) {
            JsonNode o = old.get(i);
            JsonNode c = cur.get(i);
            if (o.equals(c)) {
                continue;
            }
            if (!Objects.equals(o.get("then"), c.get("then")) || o.size() != 2 || c.size() != 2) {
                return false;
            }
            JsonNode oProps = o.path("if").path("properties");
            JsonNode cProps = c.path("if").path("properties");
            if (oProps.size() != 1 || cProps.size() != 1 || o.path("if").size() != 1 || c.path("if").size() != 1) {
                return false;
            }
            String name = oProps.fieldNames().next();
            JsonNode oNot = oProps.path(name).path("not");
            JsonNode cNot = cProps.path(name).path("not");
            Set<JsonNode> before = new HashSet<>();
            if (oNot.has("const")) {
                before.add(oNot.get("const"));
            }
            oNot.path("enum").forEach(before::add);
            Set<JsonNode> after = new HashSet<>();
            cNot.path("enum").forEach(after::add);
            if (cNot.has("const")) {
                after.add(cNot.get("const"));
            }
            if (before.isEmpty() || !after.containsAll(before) || oProps.path(name).size() != 1
                    || cProps.path(name).size() != 1) {
                return false;
            }
        }
        return true;
    }

    private static void compare(String at, JsonNode oldNode, JsonNode newNode, JsonNode oldRoot, JsonNode newRoot,
                                List<String> problems) {
        JsonNode old = resolve(oldNode, oldRoot);
        JsonNode cur = resolve(newNode, newRoot);
        String where = at.isEmpty() ? "(root)" : at;
        if (!old.isObject() || !cur.isObject()) {
            if (!old.equals(cur) && !(cur.isBoolean() && cur.asBoolean())) {
                problems.add(where + ": schema changed from " + old + " to " + cur);
            }
            return;
        }
        if (old.has("type") && !old.get("type").equals(cur.get("type"))) {
            problems.add(where + ": type changed from " + old.get("type") + " to " + cur.get("type"));
        }
        if (cur.has("enum")) {
            if (!old.has("enum")) {
                problems.add(where + ": enum added " + cur.get("enum"));
            } else {
                Set<JsonNode> now = new HashSet<>();
                cur.get("enum").forEach(now::add);
                List<String> removed = new ArrayList<>();
                old.get("enum").forEach(v -> {
                    if (!now.contains(v)) {
                        removed.add(v.toString());
                    }
                });
                if (!removed.isEmpty()) {
                    problems.add(where + ": enum values removed " + removed);
                }
            }
        }
        for (String keyword : List.of("const", "format", "pattern")) {
            if (cur.has(keyword) && !cur.get(keyword).equals(old.get(keyword))) {
                problems.add(where + ": " + keyword + " added or changed from " + old.get(keyword) + " to "
                        + cur.get(keyword));
            }
        }
        for (String keyword : LOWER_BOUNDS) {
            if (cur.has(keyword) && (!old.has(keyword) || cur.get(keyword).decimalValue()
                    .compareTo(old.get(keyword).decimalValue()) > 0)) {
                problems.add(where + ": " + keyword + " raised from " + old.get(keyword) + " to " + cur.get(keyword));
            }
        }
        for (String keyword : UPPER_BOUNDS) {
            if (cur.has(keyword) && (!old.has(keyword) || cur.get(keyword).decimalValue()
                    .compareTo(old.get(keyword).decimalValue()) < 0)) {
                problems.add(where + ": " + keyword + " lowered from " + old.get(keyword) + " to " + cur.get(keyword));
            }
        }
        if (cur.path("uniqueItems").asBoolean(false) && !old.path("uniqueItems").asBoolean(false)) {
            problems.add(where + ": uniqueItems added");
        }
        for (String keyword : OPAQUE) {
            if ("allOf".equals(keyword) && onlyConditionsNarrowed(old.get(keyword), cur.get(keyword))) {
                continue;
            }
            if (!Objects.equals(old.get(keyword), cur.get(keyword))) {
                problems.add(where + ": " + keyword + " added or changed");
            }
        }
        Set<String> required = new HashSet<>();
        old.path("required").forEach(r -> required.add(r.asText()));
        cur.path("required").forEach(r -> {
            if (!required.contains(r.asText())) {
                problems.add(where + ": " + r.asText() + " became required");
            }
        });
        for (Iterator<Map.Entry<String, JsonNode>> it = old.path("properties").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> property = it.next();
            JsonNode now = cur.path("properties").get(property.getKey());
            String path = at + "/" + property.getKey();
            if (now == null) {
                problems.add(path + ": property removed");
            } else {
                compare(path, property.getValue(), now, oldRoot, newRoot, problems);
            }
        }
        for (String keyword : List.of("items", "additionalProperties", "propertyNames")) {
            if (old.has(keyword)) {
                compare(at + "/" + keyword, old.get(keyword),
                        cur.has(keyword) ? cur.get(keyword) : BooleanNode.TRUE,
                        oldRoot, newRoot, problems);
            } else if (cur.has(keyword) && !(cur.get(keyword).isBoolean() && cur.get(keyword).asBoolean())) {
                problems.add(at + "/" + keyword + ": added");
            }
        }
    }

    /** Follows a local {@code $ref} ({@code #/$defs/...}); other nodes are returned as they are. */
    private static JsonNode resolve(JsonNode node, JsonNode root) {
        String ref = node.path("$ref").asText(null);
        return ref != null && ref.startsWith("#/") ? root.at(ref.substring(1)) : node;
    }
}
