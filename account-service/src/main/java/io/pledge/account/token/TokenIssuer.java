package io.pledge.account.token;

import io.pledge.kit.security.Roles;
import io.pledge.kit.security.Scopes;
import io.smallrye.jwt.build.Jwt;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Signs the RS256 access tokens that every Pledge service verifies against the JWKS. Subject and staff tokens carry
 * the audience {@link Scopes#PUBLIC_AUDIENCE}, which every service accepts; a client token (role {@code holder})
 * names the one service it is meant for and carries the scopes account-service granted it there.
 */
@ApplicationScoped
public class TokenIssuer {

    private final SigningKeys keys;
    private final Duration accessTtl;

    public TokenIssuer(SigningKeys keys, @ConfigProperty(name = "pledge.jwt.access-token-ttl") Duration accessTtl) {
        this.keys = keys;
        this.accessTtl = accessTtl;
    }

    /** An access token for that subject with those roles, valid for the configured time. */
    public String accessToken(String subject, Set<String> roles) {
        return sign(subject, roles, accessTtl);
    }

    /** An access token bound to a login session ({@code sid}), which account-service checks on every call. */
    public String accessToken(String subject, Set<String> roles, UUID sessionId) {
        long now = System.currentTimeMillis() / 1000;
        return Jwt.issuer(Roles.ISSUER)
                .subject(subject)
                .groups(roles)
                .audience(Scopes.PUBLIC_AUDIENCE)
                .claim("jti", UUID.randomUUID().toString())
                .claim("sid", sessionId.toString())
                .issuedAt(now)
                .expiresAt(now + accessTtl.toSeconds())
                .jws().keyId(keys.keyId())
                .sign(keys.privateKey());
    }

    /**
     * A staff member's access token: {@code sub} = their staff id, {@code groups} = their role, {@code sid} = the staff
     * session every service checks, and the OIDC standard claims {@code name} and {@code preferred_username}.
     */
    public String staffToken(UUID staffId, String role, UUID sessionId, String login, String displayName,
                             Duration validFor) {
        long now = System.currentTimeMillis() / 1000;
        return Jwt.issuer(Roles.ISSUER)
                .subject(staffId.toString())
                .groups(Set.of(role))
                .audience(Scopes.PUBLIC_AUDIENCE)
                .claim("jti", UUID.randomUUID().toString())
                .claim("sid", sessionId.toString())
                .claim("preferred_username", login)
                .claim("name", displayName)
                .issuedAt(now)
                .expiresAt(now + validFor.toSeconds())
                .jws().keyId(keys.keyId())
                .sign(keys.privateKey());
    }

    public Duration accessTtl() {
        return accessTtl;
    }

    /**
     * A subject or staff token valid for {@code validFor}; a negative duration gives an already expired token. Client
     * tokens come from {@link #clientToken}.
     */
    public String sign(String subject, Set<String> roles, Duration validFor) {
        if (roles.contains(Roles.HOLDER)) {
            throw new IllegalArgumentException("a client token names its audience and scopes");
        }
        long now = System.currentTimeMillis() / 1000;
        return Jwt.issuer(Roles.ISSUER)
                .subject(subject)
                .groups(roles)
                .audience(Scopes.PUBLIC_AUDIENCE)
                .claim("jti", UUID.randomUUID().toString())
                .issuedAt(now)
                .expiresAt(now + validFor.toSeconds())
                .jws().keyId(keys.keyId())
                .sign(keys.privateKey());
    }

    /** A client token of {@code client} meant for {@code audience} only, carrying exactly {@code scopes}. */
    public String clientToken(String client, String audience, Set<String> scopes, Duration validFor) {
        return clientToken(client, audience, scopes, validFor, null);
    }

    /**
     * A client token bound to a credential: {@code sid} = {@code credentialId}, so that it ends when that credential is
     * rotated or revoked (a registered holder's client; Pledge's own services' tokens carry none).
     */
    public String clientToken(String client, String audience, Set<String> scopes, Duration validFor, UUID credentialId) {
        long now = System.currentTimeMillis() / 1000;
        var claims = Jwt.issuer(Roles.ISSUER)
                .subject(client)
                .groups(Set.of(Roles.HOLDER))
                .audience(audience)
                .claim("scope", Scopes.format(scopes))
                .claim("jti", UUID.randomUUID().toString());
        if (credentialId != null) {
            claims.claim("sid", credentialId.toString());
        }
        return claims.issuedAt(now)
                .expiresAt(now + validFor.toSeconds())
                .jws().keyId(keys.keyId())
                .sign(keys.privateKey());
    }
}
