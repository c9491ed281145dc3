package io.pledge.events.consent;

import io.pledge.events.PrivacyEvent;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The current consent state of one subject, every purpose at once; the compacted topic keeps the latest per subject.
 *
 * @param subjectId the data subject
 * @param purposes  purpose id to GIVEN, REFUSED, WITHDRAWN, EXPIRED or REQUESTED; a purpose not listed was never asked
 * @param asOf      the time of the latest ledger record reflected
 */
public record ConsentStateChanged(UUID subjectId, Map<String, String> purposes, Instant asOf) implements PrivacyEvent {

    public ConsentStateChanged {
        // sorted by key, so the same event always serialises to the same JSON
        purposes = Collections.unmodifiableMap(new TreeMap<>(purposes));
    }

    @Override
    public String key() {
        return subjectId.toString();
    }

    @Override
    public String subject() {
        return subjectId.toString();
    }
}
