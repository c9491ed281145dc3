package io.pledge.events.rights;

import io.pledge.events.PrivacyEvent;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Every holder of the affected data categories must take its own measures after a declared security incident
 * (policy 5.3) and acknowledge with {@code APPLIED} (or {@code NOT_HELD}, {@code FAILED}).
 *
 * @param requestId   the propagation ledger entry replies refer to
 * @param incidentId  the incident, as declared on notification.events ({@code BreachDeclared})
 * @param categories  the data categories affected
 * @param holderIds   the holders expected to act and reply, as recorded in the propagation ledger before sending
 * @param requestedAt when the command was issued
 * @param dueAt       when every holder's reply is due; the watchdog escalates after it
 */
public record BreachMeasuresRequested(UUID requestId, UUID incidentId, List<String> categories, List<String> holderIds,
                                      Instant requestedAt, Instant dueAt) implements PrivacyEvent {

    public BreachMeasuresRequested {
        categories = List.copyOf(categories);
        holderIds = List.copyOf(holderIds);
    }

    /** Keyed by incident: a breach concerns many subjects. */
    @Override
    public String key() {
        return "incident:" + incidentId;
    }

    @Override
    public String subject() {
        return null;
    }
}
