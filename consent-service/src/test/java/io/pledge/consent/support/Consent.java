package io.pledge.consent.support;

import static io.restassured.RestAssured.given;

import io.pledge.kit.security.Roles;
import io.pledge.kit.security.Scopes;
import io.pledge.kit.testing.TestTokens;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Test helpers that drive consent-service over HTTP with tokens minted by {@link TestTokens} (the one
 * thing faked: the signer of tokens, which only the %test profile trusts).
 */
public final class Consent {

    public static final String PROBLEM = "application/problem+json";

    private Consent() {
    }

    public static String subjectToken(UUID subject) {
        return TestTokens.subject(subject);
    }

    public static String guardianToken(UUID guardian) {
        return TestTokens.token(guardian.toString(), Set.of(Roles.GUARDIAN), Duration.ofMinutes(10));
    }

    /** A downstream holder's token for consent-service: it may check consent, nothing else. */
    public static String holderToken() {
        return TestTokens.client("holder-" + UUID.randomUUID(), "consent-service", Set.of(Scopes.CONSENT_CHECK),
                Duration.ofMinutes(10));
    }

    /** The token Pledge service {@code service} really gets for consent-service (its grants there). */
    public static String serviceToken(String service) {
        return TestTokens.service(service, "consent-service");
    }

    public static String officerToken() {
        return TestTokens.token(UUID.randomUUID().toString(), Set.of(Roles.PRIVACY_OFFICER), Duration.ofMinutes(10));
    }

    /** A decision body: purpose and decision, channel WEB, plus extra fields. */
    public static Map<String, Object> decision(String purposeId, String decision, Object... extra) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("purposeId", purposeId);
        m.put("decision", decision);
        m.put("channel", "WEB");
        for (int i = 0; i < extra.length; i += 2) {
            m.put((String) extra[i], extra[i + 1]);
        }
        return m;
    }

    /** POSTs a decision as the subject itself. */
    public static ValidatableResponse decide(UUID subject, Map<String, Object> body) {
        return decideAs(subjectToken(subject), subject, body);
    }

    public static ValidatableResponse decideAs(String token, UUID subject, Map<String, Object> body) {
        return given().auth().oauth2(token).contentType(ContentType.JSON).body(body)
                .when().post("/v1/consents/{s}/records", subject).then();
    }

    /** Asks the check API as a holder. */
    public static JsonPath check(UUID subject, String purposeId, String recipientId, String region) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("subjectId", subject.toString());
        body.put("purposeId", purposeId);
        if (recipientId != null) {
            body.put("recipientId", recipientId);
        }
        if (region != null) {
            body.put("region", region);
        }
        return given().auth().oauth2(holderToken()).contentType(ContentType.JSON).body(body)
                .when().post("/v1/checks").then().statusCode(200).extract().jsonPath();
    }

    public static JsonPath check(UUID subject, String purposeId) {
        return check(subject, purposeId, null, null);
    }
}
