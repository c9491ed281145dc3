package io.pledge.account.login;

import io.pledge.account.client.HolderClients;
import io.pledge.account.staff.StaffService;
import io.pledge.kit.security.Scopes;
import io.pledge.kit.security.Sessions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * account-service answers the session question from its own tables: a staff token's staff session (live, and its
 * staff member active), a subject token's login session (not revoked, not expired), a registered holder's client
 * token its credential (the client's current, active one). Replaces the kit's remote check here; every other service
 * asks this through {@link SessionStatusResource}.
 */
@ApplicationScoped
public class LocalSessions implements Sessions {

    private final StaffService staff;
    private final HolderClients holderClients;

    public LocalSessions(StaffService staff, HolderClients holderClients) {
        this.staff = staff;
        this.holderClients = holderClients;
    }

    @Override
    @Transactional
    public boolean live(JsonWebToken token) {
        String sid = Sessions.sessionId(token);
        if (sid == null) {
            return false;
        }
        if (Scopes.isHolderClient(token.getSubject())) {
            return holderClients.live(token.getSubject(), sid); // a registered holder's current credential
        }
        UUID session;
        UUID owner;
        try {
            session = UUID.fromString(sid);
            owner = UUID.fromString(token.getSubject());
        } catch (RuntimeException e) {
            return false;
        }
        if (Sessions.isStaff(token)) {
            return staff.liveSession(owner, session) != null;
        }
        if (Sessions.isClient(token)) {
            return false;
        }
        LoginSession s = LoginSession.findById(session);
        return s != null && s.subjectId.equals(owner) && s.active(Instant.now());
    }
}
