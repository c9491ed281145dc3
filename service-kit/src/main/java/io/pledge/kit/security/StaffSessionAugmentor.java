package io.pledge.kit.security;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * On every service, a staff token whose session has ended (logout, a disabled staff member, expiry) fails
 * authentication: a 401 problem, as for a bad signature. A staff token without a session id is refused too, unless
 * {@code pledge.security.staff-session.required} is off (it is in the kit's {@code %test} profile only, where module
 * tests sign staff tokens with a test key; account-service never issues one).
 */
@ApplicationScoped
public class StaffSessionAugmentor implements SecurityIdentityAugmentor {

    private final StaffSessions sessions;
    private final boolean required;

    public StaffSessionAugmentor(StaffSessions sessions,
                                 @ConfigProperty(name = "pledge.security.staff-session.required", defaultValue = "true")
                                 boolean required) {
        this.sessions = sessions;
        this.required = required;
    }

    /** A registered holder's client token bound to its current credential ({@code sid}): ended by rotation or revocation. */
    private static boolean registryClientWithSession(JsonWebToken token) {
        return Scopes.isHolderClient(token.getSubject()) && StaffSessions.sessionId(token) != null;
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (identity.isAnonymous() || !(identity.getPrincipal() instanceof JsonWebToken token)
                || !(StaffSessions.isStaff(token) || registryClientWithSession(token))) {
            return Uni.createFrom().item(identity);
        }
        if (StaffSessions.sessionId(token) == null) {
            return required ? Uni.createFrom().failure(new AuthenticationFailedException("a staff token without a session"))
                    : Uni.createFrom().item(identity);
        }
        return context.runBlocking(() -> {
            if (!sessions.live(token)) {
                throw new AuthenticationFailedException("the staff session has ended");
            }
            return identity;
        });
    }
}
