package io.pledge.audit.query;

import com.fasterxml.jackson.databind.JsonNode;
import io.pledge.audit.ledger.AuditEntry;
import io.pledge.audit.ledger.EntryHasher;
import io.pledge.events.EventJson;
import java.time.Instant;
import java.util.UUID;

/**
 * One entry as the API shows it: what happened ({@code action}, in words), who acted ({@code holder}), when, and the
 * body (ids and codes only), or none once retention redacted it.
 */
public record EntryView(long seq, String eventId, String type, String action, String holder, UUID subjectId,
                        Instant time, Instant recordedAt, String topic, String category, boolean redacted,
                        JsonNode body, String entryHash) {

    public static EntryView of(AuditEntry e) {
        return new EntryView(e.seq(), e.eventId(), e.eventType(), words(e.eventName()), e.actor(), e.subjectId(),
                e.eventTime(), e.recordedAt(), e.topic(), e.category(), e.body() == null, body(e.body()),
                EntryHasher.hex(e.entryHash()));
    }

    /** {@code ConsentWithdrawn} becomes {@code Consent withdrawn}. */
    static String words(String name) {
        String spaced = name.replaceAll("([a-z0-9])([A-Z])", "$1 $2");
        return spaced.isEmpty() ? spaced : spaced.charAt(0) + spaced.substring(1).toLowerCase(java.util.Locale.ROOT);
    }

    private static JsonNode body(String body) {
        if (body == null) {
            return null;
        }
        try {
            return EventJson.mapper().readTree(body);
        } catch (java.io.IOException e) {
            return null;
        }
    }
}
