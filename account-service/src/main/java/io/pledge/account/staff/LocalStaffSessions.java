package io.pledge.account.staff;

import io.pledge.account.client.HolderClients;
import io.pledge.account.login.LoginSession;
import io.pledge.kit.security.Scopes;
import io.pledge.kit.security.StaffSessions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * account-service answers the session question from its own tables: a staff token's staff session (live, and its
 * staff member active), a subject token's login session, a registered holder's client token its credential (the
 * client's current, active one). Replaces the kit's remote check here.
 */
@ApplicationScoped
public class LocalStaffSessions implements StaffSessions {

    private final StaffService staff;
    private final HolderClients holderClients;

    public LocalStaffSessions(StaffService staff, HolderClients holderClients) {
        this.staff = staff;
        this.holderClients = holderClients;
    }

    @Override
    @Transactional
    public boolean live(JsonWebToken token) {
        String sid = StaffSessions.sessionId(token);
        if (sid == null) {
            return !StaffSessions.isStaff(token);
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
        if (StaffSessions.isStaff(token)) {
            return staff.liveSession(owner, session) != null;
        }
        LoginSession s = LoginSession.findById(session);
        return s != null && s.subjectId.equals(owner) && s.active(Instant.now());
    }
}
