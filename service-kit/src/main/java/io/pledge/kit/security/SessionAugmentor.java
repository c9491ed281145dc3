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
 * On every service, a token whose session has ended ({@link Sessions}) fails authentication: a 401 problem, as for a
 * bad signature. A person's token (subject, guardian, staff) without a session id is refused too, unless
 * {@code pledge.security.session.required} is off (it is in the kit's {@code %test} profile only, where module tests
 * sign tokens with a test key; account-service never issues one). A client token without a session is one of Pledge's
 * own services'.
 */
@ApplicationScoped
public class SessionAugmentor implements SecurityIdentityAugmentor {

    private final Sessions sessions;
    private final boolean required;

    public SessionAugmentor(Sessions sessions,
                            @ConfigProperty(name = "pledge.security.session.required", defaultValue = "true")
                            boolean required) {
        this.sessions = sessions;
        this.required = required;
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (identity.isAnonymous() || !(identity.getPrincipal() instanceof JsonWebToken token)) {
            return Uni.createFrom().item(identity);
        }
        if (Sessions.sessionId(token) == null) {
            return required && Sessions.needsSession(token)
                    ? Uni.createFrom().failure(new AuthenticationFailedException("a token without a session"))
                    : Uni.createFrom().item(identity);
        }
        return context.runBlocking(() -> {
            if (!sessions.live(token)) {
                throw new AuthenticationFailedException("the session has ended");
            }
            return identity;
        });
    }
}
