package io.pledge.e2e;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Policy 5.2.3 across the packaged services ({@link PledgeSystem}): a privacy officer, signed in for real (password
 * and TOTP, {@link Staff}), reads a real subject's data in every service — account, consents, messages, rights
 * requests, audit history — and must name why: without a purpose each service refuses with a problem. The officer
 * then downloads the subject's access package, for which rights-request-service, as the holder that assembles it,
 * reads each service's part. audit-service's access list then shows every one of those reads with who (the staff
 * member's own id, or the reading service), what (the fields or categories, never values) and why (the purpose), and
 * the subject's own history shows who read their data. Nothing is faked.
 */
@ExtendWith(PledgeSystem.class)
class AccessRecordsIT {

    private static final Duration PATIENCE = Duration.ofSeconds(120);
    private static final String PURPOSE = "rights-request";

    @Test
    @Tag("clause-5.2.3")
    @Tag("audit-service")
    @SuppressWarnings("unchecked")
    void everyReadByAnOfficerOrAHolderInEveryServiceIsListedWithWhoWhatAndWhy() throws Exception {
        Subjects.Person p = Subjects.register("reads");
        at(PledgeSystem.CONSENT.url(), p.access())
                .body(Map.of("purposeId", "marketing-email", "decision", "GIVEN", "channel", "WEB"))
                .when().post("/v1/consents/{s}/records", p.id()).then().statusCode(201);
        UUID request = submitAndVerify(p, Map.of("type", "ACCESS"));
        await().atMost(PATIENCE).pollInterval(Duration.ofSeconds(1)).until(() -> "COMPLETED".equals(
                at(PledgeSystem.RIGHTS.url(), p.access()).when().get("/v1/requests/{id}", request).then()
                        .statusCode(200).extract().path("status")));

        Staff.Member officer = Staff.signIn(Staff.enrol(Staff.invite("privacy-officer"), "privacy-officer"));
        String token = officer.token();
        Map<String, String> reads = Map.of(
                PledgeSystem.ACCOUNT.url(), "/v1/accounts/" + p.id() + "/export",
                PledgeSystem.CONSENT.url(), "/v1/consents/" + p.id() + "/records",
                PledgeSystem.NOTIFICATION.url(), "/v1/notifications/" + p.id() + "/export",
                PledgeSystem.AUDIT.url(), "/v1/audit/subjects/" + p.id() + "/entries",
                PledgeSystem.RIGHTS.url(), "/v1/requests/" + request + "/package");
        // no purpose, no read: a problem naming the parameter, in every service
        for (Map.Entry<String, String> r : reads.entrySet()) {
            at(r.getKey(), token).when().get(r.getValue()).then().statusCode(400)
                    .contentType("application/problem+json").body("field", equalTo("purpose"));
        }
        for (Map.Entry<String, String> r : reads.entrySet()) {
            if (!r.getKey().equals(PledgeSystem.RIGHTS.url())) {
                at(r.getKey(), token).queryParam("purpose", PURPOSE).when().get(r.getValue()).then().statusCode(200);
            }
        }
        at(PledgeSystem.RIGHTS.url(), token).queryParam("purpose", PURPOSE).when().get("/v1/requests/{id}", request)
                .then().statusCode(200).body("subjectId", equalTo(p.id().toString()));
        // the package: rights-request-service reads every exported part from its holder for it
        JsonPath pkg = at(PledgeSystem.RIGHTS.url(), token).queryParam("purpose", PURPOSE)
                .when().get("/v1/requests/{id}/package", request).then().statusCode(200).extract().jsonPath();
        Set<String> exported = pkg.getList("readme.parts", Map.class).stream()
                .filter(part -> "EXPORTED".equals(part.get("outcome"))).map(part -> (String) part.get("holderId"))
                .filter(h -> !h.equals("rights-request-service")).collect(Collectors.toSet());
        assertThat(exported).as("parts read from the other services").contains("account-service", "consent-service",
                "audit-service");

        // the officer's reads, one per service, each with what and why
        Map<String, String> fieldOf = Map.of("account-service", "userName", "consent-service", "consentRecords",
                "notification-service", "notices", "audit-service", "auditHistory", "rights-request-service",
                "rightsRequest");
        await().atMost(PATIENCE).pollInterval(Duration.ofSeconds(1)).until(() ->
                accesses(token, Map.of("accessor", officer.id.toString())).size() >= 6);
        List<Map<String, Object>> byOfficer = accesses(token, Map.of("accessor", officer.id.toString()));
        assertThat(byOfficer).hasSize(6).allSatisfy(a -> {
            assertThat(a.get("subjectId")).isEqualTo(p.id().toString());
            assertThat(a.get("accessorRole")).isEqualTo("PRIVACY_OFFICER");
            assertThat(a.get("purposeId")).isEqualTo(PURPOSE);
        });
        for (String field : fieldOf.values()) {
            assertThat(byOfficer).as("the officer's read of %s", field)
                    .anySatisfy(a -> assertThat((List<String>) a.get("fields")).contains(field));
        }
        assertThat(byOfficer).anySatisfy(a -> assertThat((List<String>) a.get("fields")).containsExactly("exportPackage"));

        // rights-request-service's reads for the package, in each service whose part it fetched
        await().atMost(PATIENCE).pollInterval(Duration.ofSeconds(1)).until(() ->
                accesses(token, Map.of("subjectId", p.id().toString(), "accessor", "rights-request-service")).size()
                        >= exported.size());
        List<Map<String, Object>> byService = accesses(token,
                Map.of("subjectId", p.id().toString(), "accessor", "rights-request-service")).stream()
                .filter(a -> "rights-export".equals(a.get("purposeId"))).toList();
        assertThat(byService).hasSize(exported.size())
                .allSatisfy(a -> assertThat(a.get("accessorRole")).isEqualTo("SERVICE"));
        for (String holder : exported) {
            assertThat(byService).as("rights-request-service's read in %s", holder)
                    .anySatisfy(a -> assertThat((List<String>) a.get("fields")).contains(fieldOf.get(holder)));
        }
        // no value is ever in the record
        assertThat(accesses(token, Map.of("subjectId", p.id().toString())).toString())
                .doesNotContain(p.email()).doesNotContain(p.mobile());

        // the subject's own history shows who read their data; their own reads were nobody else's
        // (notification-service's reads of the contact it sent the verification codes to are there too)
        String officerId = officer.id.toString();
        await().atMost(PATIENCE).pollInterval(Duration.ofSeconds(1)).until(() ->
                readersInHistory(p).stream().filter(officerId::equals).count() == 6);
        List<String> readers = readersInHistory(p);
        assertThat(readers).filteredOn(officerId::equals).hasSize(6);
        assertThat(readers).filteredOn("rights-request-service"::equals).hasSizeGreaterThanOrEqualTo(exported.size());
        assertThat(readers).doesNotContain(p.id().toString());
    }

    private static List<String> readersInHistory(Subjects.Person p) {
        return at(PledgeSystem.AUDIT.url(), p.access()).queryParam("type", "PersonalDataAccessed")
                .queryParam("size", 200).when().get("/v1/audit/subjects/{s}/entries", p.id()).then().statusCode(200)
                .extract().jsonPath().getList("items.holder", String.class);
    }

    private static List<Map<String, Object>> accesses(String token, Map<String, String> query) {
        return at(PledgeSystem.AUDIT.url(), token).queryParams(query).queryParam("size", 200)
                .when().get("/v1/audit/personal-data-access").then().statusCode(200).extract().jsonPath()
                .getList("items");
    }

    private static UUID submitAndVerify(Subjects.Person p, Map<String, Object> request) throws Exception {
        JsonPath submitted = at(PledgeSystem.RIGHTS.url(), p.access()).body(request).when().post("/v1/requests")
                .then().statusCode(201).extract().jsonPath();
        UUID id = UUID.fromString(submitted.getString("request.requestId"));
        UUID verification = UUID.fromString(submitted.getString("verification.verificationId"));
        at(PledgeSystem.RIGHTS.url(), p.access()).body(Map.of("code", Subjects.code(verification)))
                .when().post("/v1/requests/{id}/verification", id).then().statusCode(200);
        return id;
    }

    private static RequestSpecification at(String baseUri, String token) {
        return given().baseUri(baseUri).auth().oauth2(token).contentType(ContentType.JSON);
    }
}
