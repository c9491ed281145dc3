package io.pledge.events.rights;

import io.pledge.events.PrivacyEvent;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Holders must refresh fields of a subject they hold (policy 6.2), fetching the new values from account-service.
 *
 * @param requestId   the rights request (propagation ledger entry) replies refer to
 * @param subjectId   the data subject
 * @param fields      names of the corrected fields, e.g. {@code mobile}; holders fetch the new values with an
 *                    authorised call
 * @param holderIds   the holders expected to act and reply, as recorded in the propagation ledger before sending
 * @param requestedAt when the command was issued
 * @param dueAt       when every holder's reply is due; the watchdog escalates after it
 */
public record CorrectionRequested(UUID requestId, UUID subjectId, List<String> fields, List<String> holderIds,
                                  Instant requestedAt, Instant dueAt) implements PrivacyEvent {

    public CorrectionRequested {
        fields = List.copyOf(fields);
        holderIds = List.copyOf(holderIds);
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
