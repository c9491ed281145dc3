package io.pledge.events.rights;

import io.pledge.events.PrivacyEvent;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Holders must export what they hold on a subject in the named categories (policies 6.1, 6.6) and say where it is.
 *
 * @param requestId   the rights request (propagation ledger entry) replies refer to
 * @param subjectId   the data subject
 * @param categories  the data categories concerned, from the holder registry
 * @param holderIds   the holders expected to act and reply, as recorded in the propagation ledger before sending
 * @param purpose     ACCESS (6.1), COPY (6.6) or TRANSFER to a designated recipient (6.6)
 * @param requestedAt when the command was issued
 * @param dueAt       when every holder's reply is due; the watchdog escalates after it
 */
public record ExportRequested(UUID requestId, UUID subjectId, List<String> categories, List<String> holderIds,
                              String purpose, Instant requestedAt, Instant dueAt) implements PrivacyEvent {

    public ExportRequested {
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
