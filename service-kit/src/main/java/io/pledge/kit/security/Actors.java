package io.pledge.kit.security;

import io.quarkus.arc.Arc;
import io.quarkus.arc.InstanceHandle;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Who is acting in the current request, for the record: the staff member's own id when a staff token (one of
 * {@link Roles#STAFF}) authenticated it, else nothing (the producing service acts: a consumer, a schedule, a
 * subject's own request, which names the subject already). The outbox stamps it on every event the request publishes
 * (CloudEvents extension attribute {@code actor}, header {@code ce_actor}), so audit-service records an operator's
 * action under their id, never the service's.
 */
@ApplicationScoped
public class Actors {

    /** The acting staff member's id, or null. */
    public String currentStaff() {
        if (!Arc.container().requestContext().isActive()) {
            return null;
        }
        try (InstanceHandle<JsonWebToken> h = Arc.container().instance(JsonWebToken.class)) {
            JsonWebToken token = h.isAvailable() ? h.get() : null;
            if (token == null || token.getRawToken() == null || !Sessions.isStaff(token)) {
                return null;
            }
            String sub = token.getSubject();
            return sub != null && UUID.fromString(sub).toString().equalsIgnoreCase(sub) ? sub : null;
        } catch (RuntimeException e) {
            return null;
        }
    }
}
