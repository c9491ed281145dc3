package io.pledge.kit.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.jwt.auth.principal.DefaultJWTCallerPrincipal;
import java.util.List;
import java.util.Set;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.Test;

/**
 * The client rule of {@link AllowedClients} (pure logic on parsed claims, nothing faked but the signature check,
 * which the services' own tests cover): a named client must be listed; a registered holder's client
 * ({@code holder-<id>}) needs no list but must carry the endpoint's scope, and only a scope a holder may hold.
 */
class ClientAccessTest {

    private final ClientAccess access = new ClientAccess("account-service");
    private static final String[] CONTACT_READERS = {"notification-service"};

    @Test
    void aNamedClientMustBeListedAndCarryTheScope() {
        assertThat(access.refusal(client("notification-service", Scopes.CONTACT_READ), CONTACT_READERS, Scopes.CONTACT_READ))
                .isEmpty();
        assertThat(access.refusal(client("marketing", Scopes.CONTACT_READ), CONTACT_READERS, Scopes.CONTACT_READ))
                .contains("This client may not call this endpoint.");
        assertThat(access.refusal(client("notification-service", Scopes.CONSENT_CHECK), CONTACT_READERS, Scopes.CONTACT_READ))
                .hasValueSatisfying(why -> assertThat(why).contains(Scopes.CONTACT_READ));
    }

    @Test
    void aRegisteredHolderPassesOnTheScopeItsTokenCarriesAndOnlyThat() {
        assertThat(access.refusal(client("holder-crm", Scopes.CONTACT_READ), CONTACT_READERS, Scopes.CONTACT_READ))
                .as("not listed, but granted the scope from the registry").isEmpty();
        assertThat(access.refusal(client("holder-crm", Scopes.USAGE_READ), CONTACT_READERS, Scopes.CONTACT_READ))
                .as("a holder token without the scope")
                .hasValueSatisfying(why -> assertThat(why).contains("does not carry the scope " + Scopes.CONTACT_READ));
        assertThat(access.refusal(client("holder-crm"), CONTACT_READERS, Scopes.CONTACT_READ)).isPresent();
        // a scope no holder may be granted stays closed to it even were it in the token
        String[] rightsOnly = {"rights-request-service"};
        for (String reserved : List.of(Scopes.ACCOUNT_EXPORT_READ, Scopes.NOTICE_SECRET_READ,
                Scopes.IDENTITY_VERIFICATION_WRITE, Scopes.HOLDER_CLIENT_WRITE)) {
            assertThat(access.refusal(client("holder-crm", reserved), rightsOnly, reserved)).as(reserved)
                    .contains("This client may not call this endpoint.");
        }
        // meant for another service
        assertThat(new ClientAccess("consent-service").refusal(client("holder-crm", Scopes.CONTACT_READ),
                CONTACT_READERS, Scopes.CONTACT_READ)).hasValueSatisfying(why -> assertThat(why).contains("not meant for"));
    }

    @Test
    void theHolderAllowListHoldsNoExportSecretOrRegistryScope() {
        assertThat(Scopes.AUDIENCE.keySet()).containsAll(Scopes.HOLDER_GRANTABLE);
        assertThat(Scopes.HOLDER_GRANTABLE).doesNotContain(Scopes.NOTICE_SECRET_READ, Scopes.IDENTITY_VERIFICATION_WRITE,
                Scopes.HOLDER_CLIENT_WRITE, Scopes.ACCOUNT_EXPORT_READ, Scopes.CONSENT_EXPORT_READ,
                Scopes.NOTIFICATION_EXPORT_READ, Scopes.AUDIT_HISTORY_READ, Scopes.RIGHTS_EXPORT_READ);
        assertThat(Scopes.HOLDER_GRANTABLE).noneMatch(s -> s.contains(".export:"));
        assertThat(Scopes.SERVICES).noneMatch(Scopes::isHolderClient);
    }

    private static JsonWebToken client(String subject, String... scopes) {
        JwtClaims c = new JwtClaims();
        c.setSubject(subject);
        c.setAudience("account-service");
        c.setStringListClaim("groups", Roles.HOLDER);
        if (scopes.length > 0) {
            c.setClaim("scope", Scopes.format(Set.of(scopes)));
        }
        return new DefaultJWTCallerPrincipal("JWT", c);
    }
}
