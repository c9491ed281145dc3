package io.pledge.audit.query;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One read of personal data (policy 5.2.3): whose data, who read it in which role, which fields, for which purpose
 * and when. Fields are null once retention redacted the entry's body.
 */
public record AccessView(long seq, UUID subjectId, String accessorId, String accessorRole, List<String> fields,
                         String purposeId, Instant accessedAt, Instant recordedAt) {
}
