package io.pledge.audit.export;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.pledge.audit.ledger.AuditEntry;
import io.pledge.audit.ledger.EntryHasher;
import io.pledge.audit.merkle.Checkpoint;
import java.io.IOException;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

/** The JSON form of entries and checkpoints in a regulator bundle, written and read back. Pure code. */
final class BundleJson {

    private BundleJson() {
    }

    static void writeEntry(JsonGenerator g, AuditEntry e) throws IOException {
        g.writeStartObject();
        g.writeNumberField("seq", e.seq());
        g.writeStringField("eventId", e.eventId());
        g.writeStringField("eventType", e.eventType());
        g.writeStringField("source", e.source());
        g.writeStringField("subjectId", e.subjectId() == null ? null : e.subjectId().toString());
        g.writeStringField("eventTime", e.eventTime().toString());
        g.writeStringField("dataschema", e.dataschema());
        g.writeStringField("topic", e.topic());
        g.writeNumberField("partition", e.partition());
        g.writeNumberField("offset", e.offset());
        g.writeStringField("category", e.category());
        g.writeStringField("actor", e.actor());
        g.writeStringField("recordedAt", e.recordedAt().toString());
        g.writeStringField("bodySha256", EntryHasher.hex(e.bodySha256()));
        g.writeStringField("body", e.body());
        g.writeStringField("bodySalt", EntryHasher.hex(e.bodySalt()));
        g.writeStringField("redactedAt", e.redactedAt() == null ? null : e.redactedAt().toString());
        g.writeStringField("prevHash", EntryHasher.hex(e.prevHash()));
        g.writeStringField("entryHash", EntryHasher.hex(e.entryHash()));
        g.writeEndObject();
    }

    static AuditEntry readEntry(JsonNode n) {
        return new AuditEntry(n.path("seq").asLong(), text(n, "eventId"), text(n, "eventType"), text(n, "source"),
                text(n, "subjectId") == null ? null : UUID.fromString(text(n, "subjectId")), instant(n, "eventTime"),
                text(n, "dataschema"), text(n, "topic"), n.path("partition").asInt(), n.path("offset").asLong(),
                text(n, "category"), text(n, "actor"), instant(n, "recordedAt"), hex(n, "bodySha256"), text(n, "body"),
                instant(n, "redactedAt"), hex(n, "prevHash"), hex(n, "entryHash"), hex(n, "bodySalt"));
    }

    static void writeCheckpoint(JsonGenerator g, Checkpoint c) throws IOException {
        g.writeStartObject();
        g.writeNumberField("treeSize", c.treeSize());
        g.writeStringField("rootHash", EntryHasher.hex(c.rootHash()));
        g.writeStringField("signedAt", c.signedAt().toString());
        g.writeStringField("keyId", c.keyId());
        g.writeStringField("signature", Base64.getEncoder().encodeToString(c.signature()));
        g.writeEndObject();
    }

    static Checkpoint readCheckpoint(JsonNode n) {
        return new Checkpoint(n.path("treeSize").asLong(), hex(n, "rootHash"), instant(n, "signedAt"),
                text(n, "keyId"), Base64.getDecoder().decode(text(n, "signature")));
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static Instant instant(JsonNode n, String field) {
        String t = text(n, field);
        return t == null ? null : Instant.parse(t);
    }

    private static byte[] hex(JsonNode n, String field) {
        String t = text(n, field);
        return t == null ? null : EntryHasher.unhex(t);
    }
}
