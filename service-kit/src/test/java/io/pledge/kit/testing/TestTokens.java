package io.pledge.kit.testing;

import io.pledge.kit.security.Roles;
import io.pledge.kit.security.Scopes;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;
import io.smallrye.jwt.util.KeyUtils;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;

/**
 * Test-only: mints RS256 tokens with the test key pair in {@code pledge-test-jwt/}, which every
 * service trusts in its {@code %test} profile only. A real deployment trusts account-service's
 * JWKS and never this key. Claims are those account-service issues: subject and staff tokens carry the
 * audience {@link Scopes#PUBLIC_AUDIENCE}; client tokens (role {@code holder}) name one service and carry
 * scopes ({@link #client}, {@link #service} for what a Pledge service really holds).
 */
public final class TestTokens {

    private static final PrivateKey KEY = load("pledge-test-jwt/private.pem");

    private TestTokens() {
    }

    /** A token for a data subject with that id. */
    public static String subject(UUID subjectId) {
        return token(subjectId.toString(), Set.of(Roles.SUBJECT), Duration.ofMinutes(10));
    }

    /**
     * A subject or staff token with any subject and roles, valid for the given time (negative for an expired one).
     * Client tokens come from {@link #client} or {@link #service}: they need an audience and scopes.
     */
    public static String token(String subject, Set<String> roles, Duration validFor) {
        if (roles.contains(Roles.HOLDER)) {
            throw new IllegalArgumentException("a client token names its audience and scopes: use TestTokens.client or .service");
        }
        return mint(subject, roles, Set.of(Scopes.PUBLIC_AUDIENCE), Set.of(), validFor);
    }

    /** A client token of {@code clientId} meant for {@code audience} with exactly these scopes, as account-service grants it. */
    public static String client(String clientId, String audience, Set<String> scopes, Duration validFor) {
        return mint(clientId, Set.of(Roles.HOLDER), Set.of(audience), scopes, validFor);
    }

    /** The token Pledge service {@code service} gets for {@code audience}: the scopes {@link Scopes#SERVICE_GRANTS} gives it there. */
    public static String service(String service, String audience) {
        return client(service, audience, Scopes.forAudience(Scopes.SERVICE_GRANTS.getOrDefault(service, Set.of()), audience),
                Duration.ofMinutes(10));
    }

    /** A token with any claims (an empty audience set: no {@code aud} at all; no scopes: no {@code scope}). */
    public static String mint(String subject, Set<String> roles, Set<String> audiences, Set<String> scopes, Duration validFor) {
        return mint(subject, roles, audiences, scopes, validFor, java.util.Map.of());
    }

    /** {@link #mint(String, Set, Set, Set, Duration)} with further claims (e.g. a {@code sid}). */
    public static String mint(String subject, Set<String> roles, Set<String> audiences, Set<String> scopes, Duration validFor,
                              java.util.Map<String, Object> claims) {
        long now = System.currentTimeMillis() / 1000;
        JwtClaimsBuilder b = Jwt.issuer(Roles.ISSUER)
                .subject(subject)
                .groups(roles)
                .issuedAt(now - 5)
                .expiresAt(now + validFor.toSeconds());
        if (!audiences.isEmpty()) {
            b.audience(audiences);
        }
        if (!scopes.isEmpty()) {
            b.claim("scope", Scopes.format(scopes));
        }
        claims.forEach(b::claim);
        return b.jws().keyId("pledge-test").sign(KEY);
    }

    private static PrivateKey load(String resource) {
        try (InputStream in = TestTokens.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("test key not on the classpath: " + resource);
            }
            return KeyUtils.decodePrivateKey(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException | java.security.GeneralSecurityException e) {
            throw new IllegalStateException("cannot read test key " + resource, e);
        }
    }
}
