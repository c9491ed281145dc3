package io.pledge.account.token;

import io.pledge.kit.security.Roles;
import io.smallrye.jwt.build.Jwt;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Signs the RS256 access tokens that every Pledge service verifies against the JWKS. */
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
                .claim("jti", UUID.randomUUID().toString())
                .claim("sid", sessionId.toString())
                .issuedAt(now)
                .expiresAt(now + accessTtl.toSeconds())
                .jws().keyId(keys.keyId())
                .sign(keys.privateKey());
    }

    public Duration accessTtl() {
        return accessTtl;
    }

    /** A token valid for {@code validFor}; a negative duration gives an already expired token. */
    public String sign(String subject, Set<String> roles, Duration validFor) {
        long now = System.currentTimeMillis() / 1000;
        return Jwt.issuer(Roles.ISSUER)
                .subject(subject)
                .groups(roles)
                .claim("jti", UUID.randomUUID().toString())
                .issuedAt(now)
                .expiresAt(now + validFor.toSeconds())
                .jws().keyId(keys.keyId())
                .sign(keys.privateKey());
    }
}
