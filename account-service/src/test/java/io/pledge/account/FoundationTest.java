package io.pledge.account;

import io.pledge.account.token.SigningKeys;
import io.pledge.account.token.TokenIssuer;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Set;
import io.pledge.kit.testing.ServiceFoundationContract;
import io.quarkus.test.junit.QuarkusTest;

/**
 * account-service against the real PostgreSQL database pledge_account and the real local Kafka broker: started,
 * migrated, UP, and answering bad input with problems (see {@link ServiceFoundationContract}).
 */
@QuarkusTest
class FoundationTest extends ServiceFoundationContract {

    @Inject
    TokenIssuer issuer;

    /** account-service trusts only its own signing key, so its tokens come from the real issuer. */
    @Override
    protected String token(String subject, Set<String> roles, Duration validFor) {
        return issuer.sign(subject, roles, validFor);
    }

    @Inject
    SigningKeys keys;

    /** Any claims, signed with account-service's own current key (as its issuer would). */
    @Override
    protected String mint(String subject, Set<String> roles, Set<String> audiences, Set<String> scopes, Duration validFor) {
        long now = System.currentTimeMillis() / 1000;
        io.smallrye.jwt.build.JwtClaimsBuilder b = io.smallrye.jwt.build.Jwt.issuer(io.pledge.kit.security.Roles.ISSUER)
                .subject(subject).groups(roles).issuedAt(now).expiresAt(now + validFor.toSeconds());
        if (!audiences.isEmpty()) {
            b.audience(audiences);
        }
        if (!scopes.isEmpty()) {
            b.claim("scope", io.pledge.kit.security.Scopes.format(scopes));
        }
        return b.jws().keyId(keys.keyId()).sign(keys.privateKey());
    }

    @Override
    protected String clientToken(String client, String audience, Set<String> scopes, Duration validFor) {
        return issuer.clientToken(client, audience, scopes, validFor);
    }

    @Override
    protected String database() {
        return "pledge_account";
    }
}
