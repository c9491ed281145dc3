package io.pledge.events.rights;

import io.pledge.events.PrivacyEvent;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Holders must erase (or anonymise) a subject's data in the named categories (policies 6.3, 6.5, 5.4, 7) and reply.
 *
 * @param requestId   the rights request (propagation ledger entry) replies refer to
 * @param subjectId   the data subject
 * @param ground      why: a policy clause 6.3.1 to 6.3.5, CANCELLATION (6.5), OFFBOARDING (4.1), RETENTION_EXPIRED
 *                    (5.4), MINOR_UNCONSENTED (7.3) or CESSATION (6.9)
 * @param categories  the data categories concerned, from the holder registry
 * @param holderIds   the holders expected to act and reply, as recorded in the propagation ledger before sending
 * @param requestedAt when the command was issued
 * @param dueAt       when every holder's reply is due; the watchdog escalates after it
 */
public record ErasureRequested(UUID requestId, UUID subjectId, String ground, List<String> categories,
                               List<String> holderIds, Instant requestedAt, Instant dueAt) implements PrivacyEvent {

    public ErasureRequested {
        categories = List.copyOf(categories);
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
