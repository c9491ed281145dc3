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
    void aHolderRegistrationWithAKeyTwiceACoercedScalarOrNoJsonContentTypeRegistersNothing() {
        String id = "dup-" + UUID.randomUUID().toString().substring(0, 8);
        String valid = "{\"id\":\"" + id + "\",\"kind\":\"DOWNSTREAM\",\"categories\":[\"contact\"],"
                + "\"purposes\":[\"analytics\"],\"region\":\"CN\",\"channel\":\"KAFKA\",\"ackSlaSeconds\":3600}";
        // the same key twice: refused, whichever value would have won
        Api.officer().body(valid.replace("\"kind\":\"DOWNSTREAM\",", "\"kind\":\"DOWNSTREAM\",\"kind\":\"PARTNER\","))
                .when().post("/v1/holders").then().statusCode(400).contentType(Api.PROBLEM)
                .body("type", equalTo("urn:pledge:problem:invalid-input")).body("field", equalTo("kind"));
        Api.officer().body(valid.replace("}", ",\"id\":\"other-" + id + "\"}"))
                .when().post("/v1/holders").then().statusCode(400).contentType(Api.PROBLEM)
                .body("type", equalTo("urn:pledge:problem:invalid-input")).body("field", equalTo("id"));
        // scalars of the wrong kind are not coerced
        Api.officer().body(valid.replace("3600", "\"3600\"")).when().post("/v1/holders").then().statusCode(400)
                .contentType(Api.PROBLEM).body("type", equalTo("urn:pledge:problem:invalid-input"))
                .body("field", equalTo("ackSlaSeconds"));
        Api.officer().body(valid.replace("3600", "3600.5")).when().post("/v1/holders").then().statusCode(400)
                .contentType(Api.PROBLEM).body("field", equalTo("ackSlaSeconds"));
        Api.officer().body(valid.replace("\"CN\"", "86")).when().post("/v1/holders").then().statusCode(400)
                .contentType(Api.PROBLEM).body("field", equalTo("region"));
        // a JSON body must say it is JSON
        Api.officer().contentType("text/plain").body(valid).when().post("/v1/holders").then().statusCode(415)
                .contentType(Api.PROBLEM).body("type", equalTo("urn:pledge:problem:unsupported-media-type"));
        assertThat(Db.count(db, "select count(*) from holder where id in (?, ?)", id, "other-" + id)).isZero();
        // the same body, well formed, registers the holder: the refusals above were about the input only
        Api.officer().body(valid).when().post("/v1/holders").then().statusCode(201);
        assertThat(Db.count(db, "select count(*) from holder where id = ?", id)).isEqualTo(1);
        // out of the way of other tests' propagation (it will never acknowledge a command)
        Db.exec(db, "update holder set status = 'OFFBOARDED' where id = ?", id);
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
