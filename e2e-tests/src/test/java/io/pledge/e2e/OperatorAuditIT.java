package io.pledge.e2e;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every operator action is recorded in the audit log under the staff member's own id, not the service's (the five
 * packaged services, real PostgreSQL and Kafka; staff signed in for real with password and TOTP): an administrator
 * creating and disabling a staff member in account-service, and a privacy officer registering and offboarding a
 * holder in rights-request-service. The outbox stamps the acting staff member on the events their request
 * publishes (CloudEvents extension {@code actor}) and audit-service records it as the entry's actor.
 */
@ExtendWith(PledgeSystem.class)
class OperatorAuditIT {

    private static List<Map<String, Object>> entries(Map<String, String> query) throws Exception {
        return given().baseUri(PledgeSystem.AUDIT.url()).auth().oauth2(Subjects.officer()).queryParams(query)
                .queryParam("size", 200).when().get("/v1/audit/entries").then().statusCode(200)
                .extract().jsonPath().getList("items");
    }

    private static List<Map<String, Object>> changesOf(List<Map<String, Object>> entries, String staffId) {
        return entries.stream().filter(e -> staffId.equals(((Map<?, ?>) e.get("body")).get("staffId"))).toList();
    }

    private static String actorOf(List<Map<String, Object>> entries, String field, String value) {
        return entries.stream().filter(e -> value.equals(((Map<?, ?>) e.get("body")).get(field)))
                .map(e -> (String) e.get("holder")).findFirst().orElse(null);
    }

    @Test
    @Tag("clause-5.2")
    @Tag("audit-service")
    void anAdministratorsChangesToStaffAccountsAreRecordedUnderTheirOwnId() throws Exception {
        String since = java.time.Instant.now().minusSeconds(5).toString();
        Staff.Member admin = Staff.administrator();
        Staff.Member m = Staff.signIn(Staff.enrol(Staff.invite("support-agent"), "support-agent"));
        given().baseUri(PledgeSystem.ACCOUNT.url()).auth().oauth2(admin.token())
                .when().post("/v1/staff/{id}/disable", m.id).then().statusCode(200);

        Map<String, String> q = Map.of("type", "StaffAccountChanged", "from", since);
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                .until(() -> actorOf(changesOf(entries(q), m.id.toString()), "change", "DISABLED") != null);
        List<Map<String, Object>> changes = changesOf(entries(q), m.id.toString());
        assertThat(actorOf(changes, "change", "CREATED")).isEqualTo(admin.id.toString());
        assertThat(actorOf(changes, "change", "DISABLED")).isEqualTo(admin.id.toString());
        // enrolment is the staff member's own step, before they hold a token: the service records it
        assertThat(actorOf(changes, "change", "ENROLLED")).isEqualTo("account-service");
    }

    @Test
    @Tag("clause-5.2")
    @Tag("audit-service")
    void aPrivacyOfficersOffboardingOfAHolderIsRecordedUnderTheirOwnId() throws Exception {
        String officer = Subjects.officer();
        String officerId = JsonPath.from(new String(java.util.Base64.getUrlDecoder().decode(officer.split("\\.")[1]),
                java.nio.charset.StandardCharsets.UTF_8)).getString("sub");
        String holderId = "audited-" + PledgeSystem.RUN;
        ExternalHolder.registered(holderId, given().baseUri(PledgeSystem.RIGHTS.url()).auth().oauth2(officer)
                .contentType(ContentType.JSON).body(Map.of("id", holderId, "kind", "DOWNSTREAM",
                        "categories", List.of("account"), "purposes", List.of("profiling"), "region", "CN",
                        "channel", "KAFKA",
                        "agreement", Map.of("matters", "user analytics", "period", "P1Y", "nature", "processing",
                                "purpose", "profiling", "responsibilities", "erase on request", "documentRef", "DPA-9"),
                        "ackSlaSeconds", 60, "signingKeys", List.of(ExternalHolder.publicJwk(holderId))))
                .when().post("/v1/holders").then().statusCode(201).extract().path("kafka"));
        given().baseUri(PledgeSystem.RIGHTS.url()).auth().oauth2(officer).when()
                .post("/v1/holders/{id}/offboarding", holderId).then().statusCode(202);

        Map<String, String> q = Map.of("type", "HolderOffboardingRequested", "holder", officerId);
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                .until(() -> actorOf(entries(q), "holderId", holderId) != null);
        assertThat(actorOf(entries(q), "holderId", holderId)).isEqualTo(officerId);
    }
}
