package io.pledge.account.login;

import io.pledge.account.registration.Account;
import io.pledge.kit.problem.ProblemException;
import io.pledge.kit.problem.ProblemType;
import io.pledge.kit.security.Roles;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Who is calling, as this service checks it beyond the signature: a subject's token must belong to a
 * live session of a live account (so logout, a compromise report or a cancellation stop it at once),
 * and reaches only its own account or its wards'.
 */
@RequestScoped
public class Caller {

    /** The role a caller acts in on an account, as PersonalDataAccessed names it. */
    public enum Acting { SUBJECT, GUARDIAN }

    /** An account the caller may act on, and in which role. */
    public record Access(Account account, Acting acting) {
    }

    @Inject
    JsonWebToken jwt;

    public String id() {
        return jwt.getSubject();
    }

    public boolean has(String role) {
        return jwt.getGroups() != null && jwt.getGroups().contains(role);
    }

    /** The calling subject's id, from a token of a live session; 401 otherwise. */
    public UUID subject() {
        if (!has(Roles.SUBJECT)) {
            throw new ProblemException(ProblemType.FORBIDDEN, "This needs a data subject's token.");
        }
        UUID id;
        UUID sid;
        try {
            id = UUID.fromString(jwt.getSubject());
            sid = UUID.fromString(String.valueOf(jwt.<Object>getClaim("sid")));
        } catch (RuntimeException e) {
            throw new ProblemException(ProblemType.UNAUTHORIZED, "The token does not belong to a login session.");
        }
        LoginSession s = LoginSession.findById(sid);
        if (s == null || !s.subjectId.equals(id) || !s.active(Instant.now())) {
            throw new ProblemException(ProblemType.UNAUTHORIZED, "The session has ended; log in again.");
        }
        return id;
    }

    public UUID sessionId() {
        subject();
        return UUID.fromString(String.valueOf(jwt.<Object>getClaim("sid")));
    }

    /** The caller's own account; another subject's id is refused, as is a cancelled account. */
    public Account self(UUID accountId) {
        UUID me = subject();
        if (!me.equals(accountId)) {
            throw new ProblemException(ProblemType.FORBIDDEN, "A subject reaches only their own account.");
        }
        return live(Account.findById(accountId));
    }

    /** The caller's own account or that of a ward the caller is the linked guardian of. */
    public Access selfOrWard(UUID accountId) {
        UUID me = subject();
        if (me.equals(accountId)) {
            return new Access(live(Account.findById(accountId)), Acting.SUBJECT);
        }
        Account ward = Account.findById(accountId);
        if (ward == null || !me.equals(ward.guardianId)) {
            throw new ProblemException(ProblemType.FORBIDDEN, "A subject reaches only their own account and their wards'.");
        }
        return new Access(live(ward), Acting.GUARDIAN);
    }

    private static Account live(Account a) {
        if (a == null || Account.CANCELLED.equals(a.status)) {
            throw new ProblemException(ProblemType.UNAUTHORIZED, "The account is cancelled.");
        }
        return a;
    }
}
