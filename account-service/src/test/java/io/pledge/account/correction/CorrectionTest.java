package io.pledge.account.correction;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.agroal.api.AgroalDataSource;
import io.pledge.account.support.Api;
import io.pledge.account.support.Topics;
import io.pledge.events.EventTypes;
import io.pledge.events.rights.CorrectionRequested;
import io.pledge.kit.events.EventSchemas;
import io.pledge.kit.testing.Db;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A correction at its source (policy 6.2), against the real database and the real rights.commands / rights.replies
 * topics: the subject stages new values for its correction request over the HTTP API (bound to the request by the
 * identity code account-service issued for it, a new email proven by a code sent to it), the verified
 * {@code CorrectionRequested} is sent as rights-request-service sends it, and the reply and the account are read
 * back. What is faked: rights-request-service itself (its identity-verification calls are made here with its holder
 * token, issued by account-service's own key).
 */
@QuarkusTest
class CorrectionTest {

    @Inject
    Api api;
    @Inject
    EventSchemas schemas;
    @Inject
    AgroalDataSource db;

    @Test
    @Tag("clause-6.2")
    void stagedValuesApplyWhenTheVerifiedRequestArrivesAndTheReplyCountsWhatChanged() throws Exception {
        Api.Person p = api.adult("correct");
        Api.as(p).body(Map.of("nickname", "old-nick", "city", "Hangzhou")).when().put("/v1/accounts/{id}/profile", p.id())
                .then().statusCode(200);
        UUID request = UUID.randomUUID();
        UUID identity = identityCode(p.id(), request);
        String newEmail = "corrected-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";

        // a new email is staged with a code sent to it (the secret endpoint addresses the new value), then confirmed
        JsonPath staged = stage(p, request, "email", newEmail).statusCode(202).body("status", equalTo("AWAITING_CODE"))
                .extract().jsonPath();
        UUID code = UUID.fromString(staged.getString("verification.verificationId"));
        given().auth().oauth2(api.holderToken("notification-service")).when()
                .get("/internal/v1/notices/{id}/secret", code).then().statusCode(200).body("address", equalTo(newEmail));
        api.confirm(code, "CORRECTION", api.code(code), null).statusCode(200).body("purpose", equalTo("CORRECTION"));
        stage(p, request, "nickname", "new-nick").statusCode(200).body("status", equalTo("STAGED"));

        // bad input changes nothing: a field not held here, a value that is the current one, an empty profile field,
        // a request this account has none of, another subject
        stage(p, request, "birthDate", "1990-01-01").statusCode(422).contentType(Api.PROBLEM).body("field", equalTo("field"));
        stage(p, request, "city", "Hangzhou").statusCode(422).contentType(Api.PROBLEM).body("field", equalTo("value"));
        stage(p, request, "qq", "123456").statusCode(422).contentType(Api.PROBLEM).body("field", equalTo("field"));
        stage(p, request, "qq", "x").statusCode(422).contentType(Api.PROBLEM);
        stage(p, UUID.randomUUID(), "nickname", "other").statusCode(404).contentType(Api.PROBLEM)
                .body("field", equalTo("requestId"));
        Api.Person other = api.adult("correct-other");
        stage(other, request, "nickname", "hijack").statusCode(404).contentType(Api.PROBLEM);
        Api.as(other).body(Map.of("value", "hijack")).when()
                .put("/v1/accounts/{id}/corrections/{r}/{f}", p.id(), request, "nickname").then().statusCode(403)
                .contentType(Api.PROBLEM);
        Api.as(p).contentType(ContentType.JSON).body("{\"value\":").when()
                .put("/v1/accounts/{id}/corrections/{r}/{f}", p.id(), request, "nickname").then().statusCode(400)
                .contentType(Api.PROBLEM);
        Api.as(p).when().get("/v1/accounts/{id}/corrections/{r}", p.id(), request).then().statusCode(200)
                .body("size()", equalTo(2)).body("find { it.field == 'email' }.status", equalTo("STAGED"))
                .body("find { it.field == 'nickname' }.status", equalTo("STAGED"));

        // nothing is applied before the request is verified
        account(p).body("email", equalTo(p.email())).body("profile.nickname", equalTo("old-nick"));
        verifyIdentity(p.id(), identity);
        // once verified, no more values are taken for it
        stage(p, request, "city", "Suzhou").statusCode(409).contentType(Api.PROBLEM).body("field", equalTo("requestId"));

        CorrectionRequested cmd = new CorrectionRequested(request, p.id(), List.of("email", "nickname"),
                List.of("account-service"), Instant.now(), Instant.now().plus(Duration.ofDays(21)));
        String eventId = UUID.randomUUID().toString();
        try (KafkaConsumer<String, byte[]> topic = Topics.tail("rights.replies")) {
            Topics.send(EventTypes.CORRECTION_REQUESTED, cmd, eventId);
            Topics.send(EventTypes.CORRECTION_REQUESTED, cmd, eventId);
            JsonObject reply = reply(topic, request);
            assertThat(reply.getString("outcome")).isEqualTo("CORRECTED");
            assertThat(reply.getJsonObject("counts").getMap()).isEqualTo(Map.of("contact", 1, "profile", 1));
            assertThat(reply.getString("failureCode")).isNull();
            // the duplicate delivery produced no second reply
            assertThat(Topics.read(topic, schemas, l -> false, Duration.ofSeconds(3)).stream()
                    .filter(x -> x.body().contains(request.toString()))).isEmpty();
        }
        account(p).body("email", equalTo(newEmail)).body("emailVerified", equalTo(true))
                .body("profile.nickname", equalTo("new-nick")).body("profile.city", equalTo("Hangzhou"))
                .body("mobile", equalTo(p.mobile()));
        api.login(newEmail, p.password()).statusCode(201);
        api.login(p.email(), p.password()).statusCode(401);
        // the applied values are not kept
        assertThat(Db.count(db, "select count(*) from staged_correction where request_id = ? and value is not null",
                request)).isZero();

        // the same command again (a re-send has a new event id) is answered as before and changes nothing more
        try (KafkaConsumer<String, byte[]> topic = Topics.tail("rights.replies")) {
            Topics.send(EventTypes.CORRECTION_REQUESTED, cmd);
            JsonObject again = reply(topic, request);
            assertThat(again.getString("outcome")).isEqualTo("CORRECTED");
            assertThat(again.getJsonObject("counts").getMap()).isEqualTo(Map.of("contact", 1, "profile", 1));
        }
        account(p).body("email", equalTo(newEmail)).body("profile.nickname", equalTo("new-nick"));
    }

    @Test
    @Tag("clause-6.2")
    void withoutAStagedValueForEveryFieldTheCorrectionFailsAndNothingChanges() throws Exception {
        Api.Person p = api.adult("correct-none");
        Api.as(p).body(Map.of("nickname", "kept-nick")).when().put("/v1/accounts/{id}/profile", p.id())
                .then().statusCode(200);
        // nothing staged at all
        UUID nothing = UUID.randomUUID();
        verifyIdentity(p.id(), identityCode(p.id(), nothing));
        assertFailed(new CorrectionRequested(nothing, p.id(), List.of("mobile"), List.of("account-service"),
                Instant.now(), Instant.now().plus(Duration.ofDays(21))), "CORRECTION_NOT_STAGED");

        // one field staged, one not: neither applies
        UUID partly = UUID.randomUUID();
        UUID identity = identityCode(p.id(), partly);
        stage(p, partly, "nickname", "changed-nick").statusCode(200);
        verifyIdentity(p.id(), identity);
        assertFailed(new CorrectionRequested(partly, p.id(), List.of("nickname", "userName"), List.of("account-service"),
                Instant.now(), Instant.now().plus(Duration.ofDays(21))), "CORRECTION_NOT_STAGED");

        // a new email whose code was never confirmed does not apply
        UUID unproven = UUID.randomUUID();
        identity = identityCode(p.id(), unproven);
        stage(p, unproven, "email", "unproven-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com")
                .statusCode(202);
        verifyIdentity(p.id(), identity);
        assertFailed(new CorrectionRequested(unproven, p.id(), List.of("email"), List.of("account-service"),
                Instant.now(), Instant.now().plus(Duration.ofDays(21))), "CORRECTION_NOT_STAGED");

        account(p).body("email", equalTo(p.email())).body("mobile", equalTo(p.mobile()))
                .body("userName", equalTo(p.userName())).body("profile.nickname", equalTo("kept-nick"));

        // fields account-service is not the source of, or a subject it has no account for: NOT_HELD
        try (KafkaConsumer<String, byte[]> topic = Topics.tail("rights.replies")) {
            CorrectionRequested unknown = new CorrectionRequested(UUID.randomUUID(), UUID.randomUUID(), List.of("email"),
                    List.of("account-service"), Instant.now(), Instant.now().plus(Duration.ofDays(21)));
            Topics.send(EventTypes.CORRECTION_REQUESTED, unknown);
            JsonObject reply = reply(topic, unknown.requestId());
            assertThat(reply.getString("outcome")).isEqualTo("NOT_HELD");
            assertThat(reply.containsKey("counts")).isFalse();
        }
    }

    private void assertFailed(CorrectionRequested cmd, String failureCode) throws Exception {
        try (KafkaConsumer<String, byte[]> topic = Topics.tail("rights.replies")) {
            Topics.send(EventTypes.CORRECTION_REQUESTED, cmd);
            JsonObject reply = reply(topic, cmd.requestId());
            assertThat(reply.getString("outcome")).isEqualTo("FAILED");
            assertThat(reply.getString("failureCode")).isEqualTo(failureCode);
            assertThat(reply.containsKey("counts")).isFalse();
        }
    }

    private JsonObject reply(KafkaConsumer<String, byte[]> topic, UUID requestId) {
        List<Topics.Published> got = Topics.read(topic, schemas, Topics.has(EventTypes.HOLDER_REPLIED,
                requestId.toString(), 1), Duration.ofSeconds(30)).stream()
                .filter(x -> x.is(EventTypes.HOLDER_REPLIED) && x.body().contains(requestId.toString())).toList();
        assertThat(got).hasSize(1);
        return got.get(0).json();
    }

    private static io.restassured.response.ValidatableResponse stage(Api.Person p, UUID request, String field,
                                                                     String value) {
        return Api.as(p).header("X-Forwarded-For", Api.newAddress()).body(Map.of("value", value)).when()
                .put("/v1/accounts/{id}/corrections/{r}/{f}", p.id(), request, field).then();
    }

    private static io.restassured.response.ValidatableResponse account(Api.Person p) {
        return Api.as(p).when().get("/v1/accounts/{id}", p.id()).then().statusCode(200);
    }

    /** The identity code rights-request-service asks for when the request is submitted (its reference: the request). */
    private UUID identityCode(UUID subject, UUID request) {
        return UUID.fromString(given().auth().oauth2(api.holderToken("rights-request-service"))
                .contentType(ContentType.JSON).body(Map.of("subjectId", subject, "reference", request.toString()))
                .when().post("/internal/v1/identity-verifications").then().statusCode(202)
                .extract().path("verificationId"));
    }

    /** The subject's answer to it, relayed as rights-request-service relays it. */
    private void verifyIdentity(UUID subject, UUID verification) {
        given().auth().oauth2(api.holderToken("rights-request-service")).contentType(ContentType.JSON)
                .body(Map.of("subjectId", subject, "code", api.code(verification)))
                .when().post("/internal/v1/identity-verifications/{id}/confirmation", verification).then()
                .statusCode(200).body("verified", equalTo(true));
    }
}
