package io.pledge.audit.query;

import static io.pledge.audit.AuditTestSupport.awaitRecorded;
import static io.pledge.audit.AuditTestSupport.example;
import static io.pledge.audit.AuditTestSupport.officer;
import static io.pledge.audit.AuditTestSupport.publish;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agroal.api.AgroalDataSource;
import io.pledge.events.EventTypes;
import io.pledge.kit.security.Scopes;
import io.pledge.kit.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A subject's own history over HTTP (real service, database and broker): only their entries, with holder and action
 * readable, filtered by time, type and holder; another subject's id is a 403 problem and bad parameters are 400
 * problems naming the parameter.
 */
@QuarkusTest
@Tag("clause-6.1")
class SubjectHistoryTest {

    private static final String PROBLEM = "application/problem+json";

    @Inject
    AgroalDataSource db;

    UUID alice;
    UUID bob;

    @BeforeEach
    void twoSubjectsWithHistory() {
        alice = UUID.randomUUID();
        bob = UUID.randomUUID();
        for (UUID s : new UUID[] {alice, bob}) {
            ObjectNode granted = example(EventTypes.CONSENT_GRANTED);
            granted.put("subjectId", s.toString());
            awaitRecorded(db, publish(EventTypes.CONSENT_GRANTED, granted).id());
            ObjectNode withdrawn = example(EventTypes.CONSENT_WITHDRAWN);
            withdrawn.put("subjectId", s.toString());
            awaitRecorded(db, publish(EventTypes.CONSENT_WITHDRAWN, withdrawn).id());
            ObjectNode reply = example(EventTypes.HOLDER_REPLIED);
            reply.put("subjectId", s.toString());
            awaitRecorded(db, publish(EventTypes.HOLDER_REPLIED, reply).id());
        }
    }

    @Test
    void aSubjectSeesOnlyTheirOwnEntriesWithHolderAndActionReadable() {
        given().auth().oauth2(TestTokens.subject(alice)).when().get("/v1/audit/subjects/" + alice + "/entries").then()
                .statusCode(200)
                .body("total", equalTo(3))
                .body("items", hasSize(3))
                .body("items.subjectId", everyItem(equalTo(alice.toString())))
                .body("items.action", hasItems("Consent granted", "Consent withdrawn", "Holder replied"))
                .body("items.holder", hasItems("audit-test", "partner-sg-analytics"));
    }

    @Test
    void historyFiltersByTypeHolderAndTimeRange() {
        String token = TestTokens.subject(alice);
        String base = "/v1/audit/subjects/" + alice + "/entries";
        given().auth().oauth2(token).queryParam("type", "ConsentWithdrawn").when().get(base).then()
                .statusCode(200).body("total", equalTo(1)).body("items[0].type", equalTo(EventTypes.CONSENT_WITHDRAWN.type()));
        given().auth().oauth2(token).queryParam("type", EventTypes.HOLDER_REPLIED.type()).when().get(base).then()
                .statusCode(200).body("total", equalTo(1));
        given().auth().oauth2(token).queryParam("holder", "partner-sg-analytics").when().get(base).then()
                .statusCode(200).body("total", equalTo(1)).body("items[0].action", equalTo("Holder replied"));
        given().auth().oauth2(token).queryParam("from", "2000-01-01T00:00:00Z").queryParam("to", "2000-01-02T00:00:00Z")
                .when().get(base).then().statusCode(200).body("total", equalTo(0));
        given().auth().oauth2(token).queryParam("from", "2000-01-01T00:00:00Z").when().get(base).then()
                .statusCode(200).body("total", equalTo(3));
        given().auth().oauth2(token).queryParam("size", 2).queryParam("page", 1).when().get(base).then()
                .statusCode(200).body("total", equalTo(3)).body("items", hasSize(1));
    }

    @Test
    void anotherSubjectsHistoryIsA403ProblemButAPrivacyOfficerMayReadIt() {
        given().auth().oauth2(TestTokens.subject(alice)).when().get("/v1/audit/subjects/" + bob + "/entries").then()
                .statusCode(403).contentType(PROBLEM).body("type", equalTo("urn:pledge:problem:forbidden"));
        given().auth().oauth2(officer()).queryParam("purpose", "rights-request")
                .when().get("/v1/audit/subjects/" + bob + "/entries").then()
                .statusCode(200).body("total", equalTo(3)).body("items.subjectId", everyItem(equalTo(bob.toString())));
        given().auth().oauth2(TestTokens.subject(alice)).when().get("/v1/audit/entries").then()
                .statusCode(403).contentType(PROBLEM);
        given().when().get("/v1/audit/subjects/" + alice + "/entries").then().statusCode(401).contentType(PROBLEM);
    }

    @Test
    @org.junit.jupiter.api.Tag("clause-6.1")
    void rightsRequestServiceReadsAHistoryForTheExportPackageButNoOtherHolderDoes() {
        given().auth().oauth2(TestTokens.service("rights-request-service", "audit-service")).when()
                .get("/v1/audit/subjects/" + bob + "/entries").then()
                .statusCode(200).body("total", equalTo(3)).body("items.subjectId", everyItem(equalTo(bob.toString())));
        // another client, even one holding the scope; rights-request-service without it, or with a token for another service
        for (String other : java.util.List.of(
                TestTokens.client("analytics-team", "audit-service", java.util.Set.of(Scopes.AUDIT_HISTORY_READ), java.time.Duration.ofMinutes(5)),
                TestTokens.service("notification-service", "audit-service"),
                TestTokens.client("rights-request-service", "audit-service", java.util.Set.of(Scopes.TOKEN_INTROSPECT), java.time.Duration.ofMinutes(5)))) {
            given().auth().oauth2(other).when().get("/v1/audit/subjects/" + bob + "/entries").then().statusCode(403)
                    .contentType(PROBLEM).body("type", equalTo("urn:pledge:problem:forbidden")).body("items", org.hamcrest.Matchers.nullValue());
        }
        given().auth().oauth2(TestTokens.service("rights-request-service", "account-service")).when()
                .get("/v1/audit/subjects/" + bob + "/entries").then().statusCode(401).contentType(PROBLEM);
    }

    /**
     * The export part holds every entry of the subject, not a page: more than the history's 50-entry default page and
     * more than one cursor fetch ({@link AuditQueries#EXPORT_FETCH_SIZE}), in seq order, none of another subject's;
     * read as rights-request-service does, and by the subject; no other holder, another subject or a bad id.
     */
    @Test
    @Tag("clause-6.1")
    void theExportPartHoldsEveryEntryOfTheSubjectUnpaged() {
        UUID carol = UUID.randomUUID();
        int n = AuditQueries.EXPORT_FETCH_SIZE + 20;
        for (int i = 0; i < n; i++) {
            ObjectNode granted = example(EventTypes.CONSENT_GRANTED);
            granted.put("subjectId", carol.toString());
            publish(EventTypes.CONSENT_GRANTED, granted);
        }
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(120))
                .pollInterval(java.time.Duration.ofMillis(500))
                .until(() -> io.pledge.audit.AuditTestSupport.count(db,
                        "select count(*) from audit_entry where subject_id = ?", carol) == n);
        // the paged history shows one page; the export shows everything
        given().auth().oauth2(TestTokens.subject(carol)).when().get("/v1/audit/subjects/" + carol + "/entries").then()
                .statusCode(200).body("total", equalTo(n)).body("items", hasSize(50));
        io.restassured.path.json.JsonPath all = given().auth()
                .oauth2(TestTokens.service("rights-request-service", "audit-service"))
                .when().get("/v1/audit/subjects/" + carol + "/export").then().statusCode(200)
                .contentType("application/json").extract().jsonPath();
        org.assertj.core.api.Assertions.assertThat(all.getInt("count")).isEqualTo(n);
        java.util.List<Long> seqs = all.getList("entries.seq", Long.class);
        org.assertj.core.api.Assertions.assertThat(seqs).hasSize(n).isSorted().doesNotHaveDuplicates();
        org.assertj.core.api.Assertions.assertThat(all.getList("entries.subjectId", String.class))
                .containsOnly(carol.toString());
        org.assertj.core.api.Assertions.assertThat(all.getString("subjectId")).isEqualTo(carol.toString());
        // rights-request-service's read is recorded (policy 5.2.3) and joins carol's history after the export it made
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60))
                .pollInterval(java.time.Duration.ofMillis(500))
                .until(() -> io.pledge.audit.AuditTestSupport.count(db,
                        "select count(*) from audit_entry where subject_id = ?", carol) == n + 1);
        io.restassured.path.json.JsonPath own = given().auth().oauth2(TestTokens.subject(carol)).when()
                .get("/v1/audit/subjects/" + carol + "/export").then().statusCode(200).extract().jsonPath();
        org.assertj.core.api.Assertions.assertThat(own.getInt("count")).isEqualTo(n + 1);
        org.assertj.core.api.Assertions.assertThat(own.getList("entries.type", String.class))
                .filteredOn(t -> t.contains("PersonalDataAccessed")).hasSize(1);
        // nobody else's export, and no other holder's read
        given().auth().oauth2(TestTokens.subject(alice)).when().get("/v1/audit/subjects/" + carol + "/export").then()
                .statusCode(403).contentType(PROBLEM);
        given().auth().oauth2(TestTokens.service("notification-service", "audit-service")).when()
                .get("/v1/audit/subjects/" + carol + "/export").then().statusCode(403).contentType(PROBLEM);
        given().auth().oauth2(officer()).when().get("/v1/audit/subjects/not-a-uuid/export").then()
                .statusCode(400).contentType(PROBLEM).body("field", equalTo("subjectId"));
    }

    @Test
    void badQueriesAre400ProblemsNamingTheParameter() {
        String token = TestTokens.subject(alice);
        String base = "/v1/audit/subjects/" + alice + "/entries";
        given().auth().oauth2(officer()).when().get("/v1/audit/subjects/not-a-uuid/entries").then()
                .statusCode(400).contentType(PROBLEM).body("field", equalTo("subjectId"));
        bad(token, base, "from", "yesterday", "from");
        bad(token, base, "to", "2026-13-45T00:00:00Z", "to");
        bad(token, base, "type", "io.pledge.nothing.Nothing.v1", "type");
        bad(token, base, "holder", "<script>", "holder");
        bad(token, base, "size", "0", "size");
        bad(token, base, "size", "100000", "size");
        bad(token, base, "page", "-1", "page");
        given().auth().oauth2(token).queryParam("from", "2026-01-02T00:00:00Z").queryParam("to", "2026-01-01T00:00:00Z")
                .when().get(base).then().statusCode(400).contentType(PROBLEM).body("field", equalTo("from"));
    }

    private static void bad(String token, String path, String param, String value, String field) {
        given().auth().oauth2(token).queryParam(param, value).when().get(path).then()
                .statusCode(400).contentType(PROBLEM)
                .body("type", equalTo("urn:pledge:problem:invalid-input"))
                .body("field", equalTo(field));
    }
}
