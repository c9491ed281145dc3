package io.pledge.events;

/**
 * The descriptor of one event type: its CloudEvents type, Java record, topic and JSON Schema.
 *
 * @param type       CloudEvents {@code ce_type}, {@code io.pledge.<context>.<Name>.v<version>}
 * @param eventClass the record that carries it
 * @param topic      the topic it is published on
 * @param version    the schema version; a breaking change is a new version, never an edit
 */
public record EventType<T extends PrivacyEvent>(String type, Class<T> eventClass, String topic, int version) {

    /** Creates a descriptor; {@code context} is the event's bounded context, e.g. {@code consent}. */
    public static <T extends PrivacyEvent> EventType<T> of(String context, Class<T> eventClass, String topic, int version) {
        return new EventType<>("io.pledge." + context + "." + eventClass.getSimpleName() + ".v" + version,
                eventClass, topic, version);
    }

    /** The bounded context, e.g. {@code consent} in {@code io.pledge.consent.ConsentWithdrawn.v1}. */
    public String context() {
        return type.split("\\.")[2];
    }

    /** The event's name, e.g. {@code ConsentWithdrawn}. */
    public String name() {
        return eventClass.getSimpleName();
    }

    /** Classpath resource of its JSON Schema (draft 2020-12). */
    public String schemaResource() {
        return "io/pledge/events/schemas/" + context() + "/" + name() + ".v" + version + ".schema.json";
    }

    /** Classpath resource of its example instance, validated against the schema by a test. */
    public String exampleResource() {
        return "io/pledge/events/examples/" + context() + "/" + name() + ".v" + version + ".json";
    }

    /** CloudEvents {@code ce_dataschema}: the schema's stable URI. */
    public String dataschema() {
        return "urn:pledge:schema:" + context() + ":" + name() + ":v" + version;
    }
}
