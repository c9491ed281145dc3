package io.pledge.events.notification;

import io.pledge.events.PrivacyEvent;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A security incident was declared (policy 5.3); notices to every affected subject follow.
 *
 * @param incidentId       the incident
 * @param categories       the data categories affected
 * @param affectedSubjects how many subjects are affected
 * @param declaredAt       when the incident was declared
 */
public record BreachDeclared(UUID incidentId, List<String> categories, int affectedSubjects,
                             Instant declaredAt) implements PrivacyEvent {

    public BreachDeclared {
        categories = List.copyOf(categories);
    }

    /** Keyed by incident: a breach concerns many subjects, named in the notices that follow. */
    @Override
    public String key() {
        return "incident:" + incidentId;
    }

    @Override
    public String subject() {
        return null;
    }
}
