package io.pledge.events.rights;

import io.pledge.events.PrivacyEvent;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Holders processing a purpose must stop it for a subject: a consent withdrawal propagated to them (policy 6.4).
 *
 * @param requestId   the rights request (propagation ledger entry) replies refer to
 * @param subjectId   the data subject
 * @param purposeId   the purpose to stop
 * @param recipientId the recipient the withdrawn consent named, or null for every recipient
 * @param holderIds   the holders expected to act and reply, as recorded in the propagation ledger before sending
 * @param effectiveAt from when processing must have stopped (the withdrawal time)
 */
public record ProcessingStopRequested(UUID requestId, UUID subjectId, String purposeId, String recipientId,
                                      List<String> holderIds, Instant effectiveAt) implements PrivacyEvent {

    public ProcessingStopRequested {
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
