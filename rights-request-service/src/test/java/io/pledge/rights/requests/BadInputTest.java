package io.pledge.rights.requests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.agroal.api.AgroalDataSource;
import io.pledge.rights.support.AccountStub;
import io.pledge.rights.support.Api;
import io.pledge.kit.testing.Db;
import io.pledge.rights.support.RightsBroker;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Bad input on the request API gets a 4xx application/problem+json and changes nothing (real PostgreSQL; the
 * account-service stub answers identity verification as its contract says).
 */
@QuarkusTest
@WithTestResource(value = RightsBroker.class, scope = TestResourceScope.GLOBAL)
class BadInputTest {

    @Inject
    AgroalDataSource db;

    @BeforeAll
    static void stub() {
        AccountStub.ensure();
    }

    private long requestsOf(UUID subject) {
        return Db.count(db, "select count(*) from rights_request where subject_id = ?", subject);
    }

    @Test
    void malformedUnknownOversizedOrMissingInputIsAProblemAndCreatesNothing() {
        UUID s = UUID.randomUUID();
        Api.as(s).body("{\"type\": ").when().post("/v1/requests").then().statusCode(400).contentType(Api.PROBLEM)
                .body("type", equalTo("urn:pledge:problem:malformed-json"));
        Api.as(s).body("{\"type\":\"DELETION\",\"ground\":\"6.3.1\",\"extra\":1}").when().post("/v1/requests").then()
                .statusCode(400).contentType(Api.PROBLEM).body("field", equalTo("extra"));
        Api.as(s).body(Map.of("type", "TELEPORT")).when().post("/v1/requests").then().statusCode(400)
                .contentType(Api.PROBLEM).body("field", equalTo("type"));
        Api.as(s).body(Map.of("type", "DELETION")).when().post("/v1/requests").then().statusCode(422)
                .contentType(Api.PROBLEM).body("field", equalTo("ground"));
        Api.as(s).body(Map.of("type", "DELETION", "ground", "9.9.9")).when().post("/v1/requests").then().statusCode(400)
                .contentType(Api.PROBLEM).body("field", equalTo("ground"));
        Api.as(s).body(Map.of("type", "CORRECTION", "fields", java.util.List.of("favouriteColour"))).when()
                .post("/v1/requests").then().statusCode(422).contentType(Api.PROBLEM).body("field", equalTo("fields"));
        Api.as(s).body(Map.of("type", "COMPLAINT", "topic", "x".repeat(5000))).when().post("/v1/requests").then()
                .statusCode(400).contentType(Api.PROBLEM);
        Api.as(s).body("{\"type\":\"" + "A".repeat(300 * 1024) + "\"}").when().post("/v1/requests").then()
                .statusCode(413).contentType(Api.PROBLEM);
        // a subject submits for itself only
        Api.as(s).body(Map.of("type", "ACCESS", "subjectId", UUID.randomUUID().toString())).when().post("/v1/requests")
                .then().statusCode(403).contentType(Api.PROBLEM);
        // an operator needs the subject and the work order
        Api.officer().body(Map.of("type", "ACCESS")).when().post("/v1/requests").then().statusCode(400)
                .contentType(Api.PROBLEM).body("field", equalTo("subjectId"));
        assertThat(requestsOf(s)).isZero();
    }

    @Test
    void anotherSubjectsRequestIsNotFoundAndUntouched() {
        UUID owner = UUID.randomUUID();
        UUID id = Api.submit(owner, Map.of("type", "DELETION", "ground", "6.3.4"));
        UUID intruder = UUID.randomUUID();
        Api.as(intruder).when().get("/v1/requests/{id}", id).then().statusCode(404).contentType(Api.PROBLEM);
        Api.as(intruder).body(Map.of("code", AccountStub.CODE)).when().post("/v1/requests/{id}/verification", id).then()
                .statusCode(404).contentType(Api.PROBLEM);
        Api.as(intruder).when().get("/v1/requests?subjectId=" + owner).then().statusCode(403).contentType(Api.PROBLEM);
        Api.as(intruder).when().get("/v1/requests/{id}", UUID.randomUUID()).then().statusCode(404).contentType(Api.PROBLEM);
        Api.as(intruder).when().get("/v1/requests/not-a-uuid").then().statusCode(404).contentType(Api.PROBLEM);
        assertThat(Api.get(owner, id).getString("status")).isEqualTo("AWAITING_VERIFICATION");
        // a subject is no officer
        Api.as(owner).body(Map.of("reasonCode", "IMPRACTICAL")).when().post("/v1/requests/{id}/refusal", id).then()
                .statusCode(403).contentType(Api.PROBLEM);
        Api.as(owner).body(Map.of("id", "x-holder", "kind", "PARTNER")).when().post("/v1/holders").then().statusCode(403)
                .contentType(Api.PROBLEM);
    }

    @Test
    void anUnknownAccountOrOneWithoutVerifiedContactCannotStartARequestAndTheIdempotencyKeyReplays() {
        UUID none = UUID.randomUUID();
        AccountStub.NO_ACCOUNT.add(none.toString());
        Api.as(none).body(Map.of("type", "ACCESS")).when().post("/v1/requests").then().statusCode(404)
                .contentType(Api.PROBLEM).body("field", equalTo("subjectId"));
        UUID noContact = UUID.randomUUID();
        AccountStub.NO_CONTACT.add(noContact.toString());
        Api.as(noContact).body(Map.of("type", "ACCESS")).when().post("/v1/requests").then().statusCode(409)
                .contentType(Api.PROBLEM);
        assertThat(requestsOf(none) + requestsOf(noContact)).isZero();

        UUID s = UUID.randomUUID();
        String first = Api.as(s).header("Idempotency-Key", "k-1").body(Map.of("type", "ACCESS")).when()
                .post("/v1/requests").then().statusCode(201).extract().path("request.requestId");
        String again = Api.as(s).header("Idempotency-Key", "k-1").body(Map.of("type", "ACCESS")).when()
                .post("/v1/requests").then().statusCode(200).extract().path("request.requestId");
        assertThat(again).isEqualTo(first);
        assertThat(requestsOf(s)).isEqualTo(1);
    }
}
