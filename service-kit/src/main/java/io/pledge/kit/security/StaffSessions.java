package io.pledge.kit.security;

import java.util.Collections;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Whether the session behind a token is still live. Staff tokens carry a staff session id ({@code sid}); the
 * session ends on logout, when the staff member is disabled, or when it expires, and from then on every service
 * refuses its tokens ({@link StaffSessionAugmentor}) and introspection answers {@code active: false}.
 * account-service, which holds the sessions, answers from its database; every other service asks it
 * ({@link RemoteStaffSessions}).
 */
public interface StaffSessions {

    /** Whether {@code token} is a staff token: it carries one of {@link Roles#STAFF}. */
    static boolean isStaff(JsonWebToken token) {
        return token != null && token.getGroups() != null
                && !Collections.disjoint(token.getGroups(), Roles.STAFF);
    }

    /** The {@code sid} claim, or null. */
    static String sessionId(JsonWebToken token) {
        Object sid = token.getClaim("sid");
        return sid == null ? null : sid.toString().replace("\"", "");
    }

    /**
     * Whether the token's session is live: for a staff token, its staff session; account-service also checks a
     * subject token's login session. Tokens without a session are judged by {@code required}.
     */
    boolean live(JsonWebToken token);
}
