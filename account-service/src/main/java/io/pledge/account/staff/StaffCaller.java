package io.pledge.account.staff;

import io.pledge.kit.problem.ProblemException;
import io.pledge.kit.problem.ProblemType;
import io.pledge.kit.security.Sessions;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;

/** The calling staff member, from a staff token whose session the kit's augmentor has already found live. */
@RequestScoped
public class StaffCaller {

    @Inject
    JsonWebToken jwt;

    public UUID staffId() {
        try {
            return UUID.fromString(jwt.getSubject());
        } catch (RuntimeException e) {
            throw new ProblemException(ProblemType.UNAUTHORIZED, "This needs a staff member's token.");
        }
    }

    public UUID sessionId() {
        String sid = Sessions.sessionId(jwt);
        if (sid == null || !Sessions.isStaff(jwt)) {
            throw new ProblemException(ProblemType.UNAUTHORIZED, "This needs a staff member's token of a staff session.");
        }
        return UUID.fromString(sid);
    }
}
