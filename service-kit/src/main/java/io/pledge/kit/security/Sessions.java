package io.pledge.kit.security;

import java.util.Collections;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Whether the session behind a token is still live. account-service puts a session id ({@code sid}) into every token
 * it issues to a person or a downstream team: a subject's login session, a staff member's staff session, a registered
 * holder's current client credential. The session ends on logout, a compromise report, a password reset, a cancelled
 * account, a disabled staff member, a rotated or revoked holder credential, or expiry, and from then on every service
 * refuses its tokens ({@link SessionAugmentor}) and introspection answers {@code active: false}. account-service, which
 * holds the sessions, answers from its database; every other service asks it ({@link RemoteSessions}). Pledge's own
 * services' client tokens carry no session (they live five minutes and no one can end them early).
 */
public interface Sessions {

    /** Whether {@code token} is a staff token: it carries one of {@link Roles#STAFF}. */
    static boolean isStaff(JsonWebToken token) {
        return token != null && token.getGroups() != null
                && !Collections.disjoint(token.getGroups(), Roles.STAFF);
    }

    /** Whether {@code token} is a client token (role {@link Roles#HOLDER}): a Pledge service or a registered holder. */
    static boolean isClient(JsonWebToken token) {
        return token != null && token.getGroups() != null && token.getGroups().contains(Roles.HOLDER);
    }

    /**
     * Whether a token of this kind must name a session: every person's token (subject, guardian, staff) and every
     * registered holder's ({@link Scopes#isHolderClient}); only Pledge's own services' client tokens have none.
     */
    static boolean needsSession(JsonWebToken token) {
        return token != null && (!isClient(token) || Scopes.isHolderClient(token.getSubject()));
    }

    /** The {@code sid} claim, or null. */
    static String sessionId(JsonWebToken token) {
        Object sid = token.getClaim("sid");
        return sid == null ? null : sid.toString().replace("\"", "");
    }

    /** Whether the session {@code token} names is live. Only asked for tokens that carry a {@code sid}. */
    boolean live(JsonWebToken token);
}
