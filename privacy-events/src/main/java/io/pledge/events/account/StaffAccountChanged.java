package io.pledge.events.account;

import io.pledge.events.PrivacyEvent;
import java.time.Instant;
import java.util.UUID;

/**
 * A staff account changed (account-service's staff module): created by an administrator, enrolled by its owner,
 * disabled, or its second factor reset. Who did it travels as the event's {@code actor} (the administrator's staff
 * id); the staff member's login and name never leave account-service.
 *
 * @param staffId   the staff member whose account changed
 * @param change    CREATED, ENROLLED, DISABLED or SECOND_FACTOR_RESET
 * @param role      the staff member's role
 * @param changedAt when
 */
public record StaffAccountChanged(UUID staffId, String change, String role, Instant changedAt) implements PrivacyEvent {

    @Override
    public String key() {
        return staffId.toString();
    }

    /** Concerns no data subject: a staff member's account is not part of any subject's history. */
    @Override
    public String subject() {
        return null;
    }
}
