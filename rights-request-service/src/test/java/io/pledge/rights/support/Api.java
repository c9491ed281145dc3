package io.pledge.rights.support;

import static io.restassured.RestAssured.given;

import io.pledge.kit.security.Roles;
import io.pledge.kit.testing.TestTokens;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.awaitility.Awaitility;

/** Drives rights-request-service over HTTP as subjects and operators do, with test-minted tokens. */
public final class Api {

    public static final String PROBLEM = "application/problem+json";

    private Api() {
    }

    public static String subjectToken(UUID subject) {
        return TestTokens.subject(subject);
    }

    public static String officerToken() {
        return TestTokens.token("officer-1", Set.of(Roles.PRIVACY_OFFICER), Duration.ofMinutes(10));
    }

    public static String agentToken() {
        return TestTokens.token("agent-1", Set.of(Roles.SUPPORT_AGENT), Duration.ofMinutes(10));
    }

    /** A client token of {@code client} for this service with exactly these scopes. */
    public static String holderToken(String client, String... scopes) {
        return TestTokens.client(client, "rights-request-service", Set.of(scopes), Duration.ofMinutes(10));
    }

    public static RequestSpecification as(UUID subject) {
        return given().auth().oauth2(subjectToken(subject)).contentType(ContentType.JSON);
    }

    public static RequestSpecification officer() {
        return given().auth().oauth2(officerToken()).contentType(ContentType.JSON);
    }

    /** Submits a request as the subject; returns its id. */
    public static UUID submit(UUID subject, Map<String, Object> body) {
        String id = as(subject).body(body).when().post("/v1/requests").then().statusCode(201)
                .extract().path("request.requestId");
        return UUID.fromString(id);
    }

    /** Gives the (stub's) verification code. */
    public static JsonPath verify(UUID subject, UUID requestId) {
        return as(subject).body(Map.of("code", AccountStub.CODE)).when()
                .post("/v1/requests/{id}/verification", requestId).then().statusCode(200).extract().jsonPath();
    }

    /** Submits and verifies. */
    public static UUID submitVerified(UUID subject, Map<String, Object> body) {
        UUID id = submit(subject, body);
        verify(subject, id);
        return id;
    }

    public static JsonPath get(UUID subject, UUID requestId) {
        return as(subject).when().get("/v1/requests/{id}", requestId).then().statusCode(200).extract().jsonPath();
    }

    public static JsonPath awaitStatus(UUID subject, UUID requestId, String status) {
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> status.equals(get(subject, requestId).getString("status")));
        return get(subject, requestId);
    }
}
