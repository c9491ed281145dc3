package io.pledge.e2e;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.restassured.http.ContentType;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Ending a subject's session ends it everywhere (the five packaged services, real PostgreSQL and Kafka): a subject
 * registers and logs in for real; the access token is accepted by every service; after a logout, or a compromise
 * report, every service refuses it (401 problem) and introspection at another service answers {@code active: false}.
 * Other services ask account-service about the session ({@code RemoteSessions}, answers cached {@code PT1S}); the
 * wait below allows for that cache and a slow machine, it measures nothing.
 */
@ExtendWith(PledgeSystem.class)
class SubjectSessionIT {

    private static void everyServiceAnswers(String token, int status) {
        for (PledgeSystem.Service s : PledgeSystem.ALL) {
            given().baseUri(s.url()).auth().oauth2(token).when().get("/v1/session").then().statusCode(status);
        }
    }

    private static void everyServiceRefuses(String token) {
        Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            for (PledgeSystem.Service s : PledgeSystem.ALL) {
                given().baseUri(s.url()).auth().oauth2(token).when().get("/v1/session").then().statusCode(401)
                        .contentType("application/problem+json");
            }
        });
    }

    private static void inactiveAt(PledgeSystem.Service service, String token) throws Exception {
        given().baseUri(service.url()).auth().oauth2(Subjects.officer()).contentType(ContentType.JSON)
                .body(Map.of("token", token)).when().post("/v1/tokens/introspect").then().statusCode(200)
                .body("active", equalTo(false));
    }

    private static String login(Subjects.Person p) {
        return given().baseUri(PledgeSystem.ACCOUNT.url()).contentType(ContentType.JSON)
                .body(Map.of("login", p.mobile(), "password", p.password()))
                .when().post("/v1/sessions").then().statusCode(201).extract().path("accessToken");
    }

    @Test
    @Tag("clause-5.1")
    @Tag("account-service")
    void afterLogoutEveryServiceRefusesTheSessionsTokenAndOtherSessionsStay() throws Exception {
        Subjects.Person p = Subjects.register("logout");
        String other = login(p);
        everyServiceAnswers(p.access(), 200);
        everyServiceAnswers(other, 200);
        given().baseUri(PledgeSystem.ACCOUNT.url()).auth().oauth2(p.access()).when().delete("/v1/sessions/current")
                .then().statusCode(204);
        everyServiceRefuses(p.access());
        inactiveAt(PledgeSystem.CONSENT, p.access());
        inactiveAt(PledgeSystem.AUDIT, p.access());
        everyServiceAnswers(other, 200);
    }

    @Test
    @Tag("clause-5.1")
    @Tag("account-service")
    void aCompromiseReportEndsEverySessionOfTheSubjectEverywhere() throws Exception {
        Subjects.Person p = Subjects.register("compromise");
        String other = login(p);
        everyServiceAnswers(other, 200);
        given().baseUri(PledgeSystem.ACCOUNT.url()).auth().oauth2(p.access())
                .when().post("/v1/accounts/{id}/compromise-reports", p.id()).then().statusCode(202);
        everyServiceRefuses(p.access());
        everyServiceRefuses(other);
        inactiveAt(PledgeSystem.RIGHTS, other);
    }
}
