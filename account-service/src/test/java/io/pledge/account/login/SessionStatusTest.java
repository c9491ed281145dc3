package io.pledge.account.login;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.pledge.account.support.Api;
import io.pledge.account.token.TokenIssuer;
import io.pledge.kit.security.Roles;
import io.pledge.kit.security.Scopes;
import io.pledge.kit.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /internal/v1/sessions/status}, what every other service asks before it accepts a person's token
 * (service-kit {@code RemoteSessions}): live while the login session is, not after a logout or a compromise report;
 * only Pledge's services with {@code session:read} may ask. The subject logs in for real on the real database.
 */
@QuarkusTest
class SessionStatusTest {

    @Inject
    Api api;

    @Inject
    TokenIssuer issuer;

    private static ValidatableResponse status(String asker, String token) {
        return given().auth().oauth2(asker).contentType(ContentType.JSON).body(Map.of("token", token))
                .when().post("/internal/v1/sessions/status").then();
    }

    private String consentService() {
        return api.holderToken("consent-service");
    }

    private String auditService() {
        return api.holderToken("audit-service");
    }

    @Test
    @Tag("clause-5.1")
    void aSessionIsLiveUntilLogoutAndACompromiseReportEndsEveryOther() {
        Api.Person p = api.adult("status");
        status(consentService(), p.access()).statusCode(200).body("live", equalTo(true));
        Api.as(p).when().delete("/v1/sessions/current").then().statusCode(204);
        status(consentService(), p.access()).statusCode(200).body("live", equalTo(false));

        Api.Person q = api.adult("status-compromise");
        String second = api.login(q.email(), q.password()).statusCode(201).extract().path("accessToken");
        status(auditService(), second).statusCode(200).body("live", equalTo(true));
        Api.as(q).when().post("/v1/accounts/{id}/compromise-reports", q.id()).then().statusCode(202);
        status(auditService(), second).statusCode(200).body("live", equalTo(false));
        status(auditService(), q.access()).statusCode(200).body("live", equalTo(false));
    }

    @Test
    void tokensWithoutASessionOrWithSomeoneElsesAreNotLive() {
        Api.Person p = api.adult("status-other");
        String sid = sidOf(p.access());
        // a token that names another subject with this subject's session id
        String borrowed = issuer.accessToken(UUID.randomUUID().toString(), Set.of(Roles.SUBJECT), UUID.fromString(sid));
        status(consentService(), borrowed).statusCode(200).body("live", equalTo(false));
        // a token without a session, and one that is not a token at all
        status(consentService(), issuer.sign(p.id().toString(), Set.of(Roles.SUBJECT), Duration.ofMinutes(5)))
                .statusCode(200).body("live", equalTo(false));
        // a token signed with another key (the test-only key of the other modules' tests)
        status(consentService(), TestTokens.subject(p.id())).statusCode(200).body("live", equalTo(false));
        status(consentService(), "not-a-token").statusCode(200).body("live", equalTo(false));
    }

    @Test
    void onlyPledgeServicesWithTheScopeMayAsk() {
        Api.Person p = api.adult("status-who");
        status(p.access(), p.access()).statusCode(403);
        status(issuer.clientToken("consent-service", "account-service", Set.of(Scopes.CONTACT_READ), Duration.ofMinutes(5)),
                p.access()).statusCode(403);
        status(issuer.clientToken("marketing", "account-service", Set.of(Scopes.SESSION_READ), Duration.ofMinutes(5)),
                p.access()).statusCode(403);
        given().contentType(ContentType.JSON).body(Map.of("token", p.access()))
                .when().post("/internal/v1/sessions/status").then().statusCode(401);
        status(consentService(), "").statusCode(400).contentType(Api.PROBLEM);
    }

    private static String sidOf(String jwt) {
        String payload = new String(java.util.Base64.getUrlDecoder().decode(jwt.split("\\.")[1]),
                java.nio.charset.StandardCharsets.UTF_8);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"sid\"\\s*:\\s*\"([^\"]+)\"").matcher(payload);
        return m.find() ? m.group(1) : "";
    }
}
