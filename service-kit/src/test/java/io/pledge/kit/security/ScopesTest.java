package io.pledge.kit.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The scope vocabulary and the reviewed grant table of Pledge's services (pure logic, nothing faked). */
class ScopesTest {

    @Test
    void everyGrantedScopeIsKnownAndMeantForAnotherService() {
        assertThat(Scopes.SERVICE_GRANTS.keySet()).isEqualTo(Scopes.SERVICES);
        Scopes.SERVICE_GRANTS.forEach((client, scopes) -> {
            assertThat(Scopes.AUDIENCE.keySet()).as(client).containsAll(scopes);
            assertThat(scopes).as("%s holds nothing at itself", client)
                    .allSatisfy(s -> assertThat(Scopes.AUDIENCE.get(s)).isNotEqualTo(client));
        });
        assertThat(Set.copyOf(Scopes.AUDIENCE.values())).allSatisfy(a ->
                assertThat(Scopes.SERVICES.contains(a) || Scopes.ANY_SERVICE.equals(a)).as(a).isTrue());
    }

    @Test
    void noServiceButRightsRequestServiceHoldsAnExportScope() {
        for (String export : List.of(Scopes.ACCOUNT_EXPORT_READ, Scopes.CONSENT_EXPORT_READ, Scopes.NOTIFICATION_EXPORT_READ,
                Scopes.AUDIT_HISTORY_READ)) {
            Scopes.SERVICE_GRANTS.forEach((client, scopes) -> assertThat(scopes.contains(export))
                    .as("%s holds %s", client, export).isEqualTo(client.equals("rights-request-service")));
        }
        Scopes.SERVICE_GRANTS.values().forEach(scopes -> assertThat(scopes).doesNotContain(Scopes.PAYMENT_READ,
                Scopes.PAYMENT_DISCLOSE));
    }

    @Test
    void aTokenForOneAudienceCarriesOnlyThatServicesScopes() {
        Set<String> rights = Scopes.SERVICE_GRANTS.get("rights-request-service");
        assertThat(Scopes.forAudience(rights, "account-service"))
                .containsExactlyInAnyOrder(Scopes.ACCOUNT_EXPORT_READ, Scopes.IDENTITY_VERIFICATION_WRITE,
                        Scopes.HOLDER_CLIENT_WRITE, Scopes.SESSION_READ);
        assertThat(Scopes.forAudience(rights, "consent-service")).containsExactly(Scopes.CONSENT_EXPORT_READ);
        assertThat(Scopes.forAudience(rights, "rights-request-service")).isEmpty();
        assertThat(Scopes.forAudience(Set.of(Scopes.TOKEN_INTROSPECT, "made-up:scope"), "audit-service"))
                .containsExactly(Scopes.TOKEN_INTROSPECT);
    }

    @Test
    void theScopeClaimIsSpaceSeparatedAndSorted() {
        assertThat(Scopes.parse(" b:read  a:write ")).containsExactly("a:write", "b:read");
        assertThat(Scopes.parse(null)).isEmpty();
        assertThat(Scopes.parse("")).isEmpty();
        assertThat(Scopes.format(List.of("b:read", "a:write"))).isEqualTo("a:write b:read");
    }
}
