package io.pledge.e2e;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.restassured.http.ContentType;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Staff sign-in on the whole system (the five packaged services, real PostgreSQL and Kafka): the first administrator
 * from {@code deploy/local/admin create}, staff created by them, enrolled and signed in with password and TOTP
 * ({@link Staff}); the staff token is accepted by every service while its session is live, and refused by every
 * service once the staff member logs out or is disabled, and introspection answers {@code active: false}. Other
 * services learn it from account-service within their cache time ({@code PT1S}); the wait below allows for it and
 * for a slow machine, it measures nothing. Nothing is faked and no token is signed by the test.
 */
@ExtendWith(PledgeSystem.class)
class StaffSessionIT {

    private static void everyServiceAnswers(String token, int status) {
        for (PledgeSystem.Service s : PledgeSystem.ALL) {
            given().baseUri(s.url()).auth().oauth2(token).when().get("/v1/session").then().statusCode(status);
        }
    }

    private static void everyServiceRefuses(String token) {
        Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                everyServiceAnswers(token, 401));
    }

    @Test
    void aStaffTokenIsAcceptedEverywhereUntilLogoutAndThenRefusedEverywhere() throws Exception {
        Staff.Member m = Staff.signIn(Staff.enrol(Staff.invite("support-agent"), "support-agent"));
        for (PledgeSystem.Service s : PledgeSystem.ALL) {
            given().baseUri(s.url()).auth().oauth2(m.access).when().get("/v1/session").then().statusCode(200)
                    .body("subject", equalTo(m.id.toString())).body("roles", hasItem("support-agent"));
        }
        given().baseUri(PledgeSystem.ACCOUNT.url()).auth().oauth2(m.access).when().delete("/v1/staff/sessions/current")
                .then().statusCode(204);
        everyServiceRefuses(m.access);
        given().baseUri(PledgeSystem.ACCOUNT.url()).auth().oauth2(Subjects.officer()).contentType(ContentType.JSON)
                .body(Map.of("token", m.access)).when().post("/v1/tokens/introspect").then().statusCode(200)
                .body("active", equalTo(false));
        given().baseUri(PledgeSystem.AUDIT.url()).auth().oauth2(Subjects.officer()).contentType(ContentType.JSON)
                .body(Map.of("token", m.access)).when().post("/v1/tokens/introspect").then().statusCode(200)
                .body("active", equalTo(false));
    }

    @Test
    void aDisabledStaffMemberIsRefusedEverywhere() throws Exception {
        Staff.Member m = Staff.signIn(Staff.enrol(Staff.invite("security-officer"), "security-officer"));
        everyServiceAnswers(m.access, 200);
        given().baseUri(PledgeSystem.ACCOUNT.url()).auth().oauth2(Staff.administrator().token())
                .when().post("/v1/staff/{id}/disable", m.id).then().statusCode(200).body("status", equalTo("DISABLED"));
        everyServiceRefuses(m.access);
        given().baseUri(PledgeSystem.ACCOUNT.url()).contentType(ContentType.JSON)
                .body(Map.of("login", m.login, "password", m.password, "code", m.recoveryCodes.get(0)))
                .when().post("/v1/staff/sessions").then().statusCode(401);
    }

    @Test
    void onlyAnAdministratorCreatesStaff() throws Exception {
        given().baseUri(PledgeSystem.ACCOUNT.url()).auth().oauth2(Subjects.officer()).contentType(ContentType.JSON)
                .body(Map.of("login", "intruder-admin", "displayName", "X", "role", "administrator"))
                .when().post("/v1/staff").then().statusCode(403);
    }
}
