package io.pledge.consent;

import static io.pledge.consent.support.Consent.PROBLEM;
import static io.pledge.consent.support.Consent.check;
import static io.pledge.consent.support.Consent.decide;
import static io.pledge.consent.support.Consent.decision;
import static io.pledge.consent.support.Consent.holderToken;
import static io.pledge.consent.support.Consent.subjectToken;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import io.agroal.api.AgroalDataSource;
import io.pledge.consent.support.Db;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The check API holders call before processing, against the real database and broker: every "no" comes
 * with its reason (withdrawn, expired, unknown purpose, never granted), batches answer in order, and only
 * holders may ask.
 */
@QuarkusTest
class CheckApiTest {

    @Inject
    AgroalDataSource db;

    @Test
    @Tag("clause-2.3")
    void anUnknownPurposeIsRefusedByTheCheckAndByEveryWrite() {
        UUID subject = UUID.randomUUID();
        assertThat(check(subject, "selling-data").getBoolean("permitted")).isFalse();
        assertThat(check(subject, "selling-data").getString("reason")).isEqualTo("UNKNOWN_PURPOSE");
        decide(subject, decision("selling-data", "GIVEN")).statusCode(422).contentType(PROBLEM)
                .body("type", equalTo("urn:pledge:problem:unprocessable")).body("field", equalTo("purposeId"));
        given().when().get("/v1/purposes/selling-data").then().statusCode(404).contentType(PROBLEM);
    }

    @Test
    void neverGrantedWithdrawnAndNecessaryEachHaveTheirReason() {
        UUID subject = UUID.randomUUID();
        assertThat(check(subject, "marketing-email").getString("reason")).isEqualTo("NEVER_GRANTED");
        assertThat(check(subject, "marketing-email").getBoolean("permitted")).isFalse();
        decide(subject, decision("marketing-email", "REFUSED")).statusCode(201);
        assertThat(check(subject, "marketing-email").getString("reason")).isEqualTo("REFUSED");
        decide(subject, decision("marketing-email", "GIVEN")).statusCode(201);
        decide(subject, decision("marketing-email", "WITHDRAWN")).statusCode(201);
        assertThat(check(subject, "marketing-email").getString("reason")).isEqualTo("WITHDRAWN");
        assertThat(check(subject, "security").getString("reason")).isEqualTo("NECESSARY");
        // an opt-out purpose is permitted until the subject objects
        assertThat(check(subject, "product-statistics").getString("reason")).isEqualTo("NOT_OBJECTED");
        decide(subject, decision("product-statistics", "REFUSED")).statusCode(201);
        assertThat(check(subject, "product-statistics").getBoolean("permitted")).isFalse();
    }

    @Test
    void anExpiredConsentSaysNoFromItsExpiryAndTheLedgerRecordsTheExpiry() {
        UUID subject = UUID.randomUUID();
        decide(subject, decision("marketing-phone", "REFUSED")).statusCode(201); // warm up: the expiry below is short
        Instant expires = Instant.now().plusSeconds(6);
        decide(subject, decision("profiling", "GIVEN", "expiresAt", expires.toString())).statusCode(201)
                .body("record.expiresAt", equalTo(expires.truncatedTo(java.time.temporal.ChronoUnit.MICROS).toString()));
        assertThat(check(subject, "profiling").getBoolean("permitted")).isTrue();
        await().atMost(Duration.ofSeconds(30)).until(() -> !check(subject, "profiling").getBoolean("permitted"));
        assertThat(check(subject, "profiling").getString("reason")).isEqualTo("EXPIRED");
        // the expiry pass appends an EXPIRED record with its receipt and ConsentExpired, never touching the grant
        await().atMost(Duration.ofSeconds(15)).until(() ->
                Db.count(db, "select count(*) from consent_record where subject_id = ? and status = 'EXPIRED'", subject) == 1);
        assertThat(Db.count(db, "select count(*) from consent_record where subject_id = ? and status = 'GIVEN'", subject))
                .isEqualTo(1);
        assertThat(Db.count(db, "select count(*) from consent_receipt where subject_id = ?", subject)).isEqualTo(3);
        assertThat(Db.count(db, "select count(*) from pledge_outbox where message_key = ? and ce_type like '%ConsentExpired%'",
                subject.toString())).isEqualTo(1);
        assertThat(check(subject, "profiling").getString("reason")).isEqualTo("EXPIRED");
    }

    @Test
    void aBatchOfAHundredAnswersInOrderAndALargerOneIsAProblem() {
        UUID granted = UUID.randomUUID();
        decide(granted, decision("cookies-analytics", "GIVEN")).statusCode(201);
        List<Map<String, Object>> checks = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            checks.add(Map.of("subjectId", (i % 2 == 0 ? granted : UUID.randomUUID()).toString(),
                    "purposeId", i % 10 == 9 ? "unknown-" + i : "cookies-analytics"));
        }
        var results = given().auth().oauth2(holderToken()).contentType(ContentType.JSON).body(Map.of("checks", checks))
                .when().post("/v1/checks/batch").then().statusCode(200).body("results", hasSize(100))
                .extract().jsonPath();
        for (int i = 0; i < 100; i++) {
            String reason = results.getString("results[" + i + "].reason");
            if (i % 10 == 9) {
                assertThat(reason).isEqualTo("UNKNOWN_PURPOSE");
            } else {
                assertThat(reason).isEqualTo(i % 2 == 0 ? "GRANTED" : "NEVER_GRANTED");
            }
            assertThat(results.getString("results[" + i + "].subjectId")).isEqualTo(checks.get(i).get("subjectId"));
        }
        checks.add(Map.of("subjectId", granted.toString(), "purposeId", "profiling"));
        given().auth().oauth2(holderToken()).contentType(ContentType.JSON).body(Map.of("checks", checks))
                .when().post("/v1/checks/batch").then().statusCode(400).contentType(PROBLEM).body("field", equalTo("checks"));
    }

    @Test
    void onlyHoldersMayAskAndBadQuestionsAreProblems() {
        UUID subject = UUID.randomUUID();
        given().auth().oauth2(subjectToken(subject)).contentType(ContentType.JSON)
                .body(Map.of("subjectId", subject.toString(), "purposeId", "profiling"))
                .when().post("/v1/checks").then().statusCode(403).contentType(PROBLEM);
        given().contentType(ContentType.JSON).body(Map.of("subjectId", subject.toString(), "purposeId", "profiling"))
                .when().post("/v1/checks").then().statusCode(401).contentType(PROBLEM);
        // a client token without consent:check (rights-request-service's real one here), or meant for another
        // service, is refused by the single-check route and the batch endpoint alike
        Map<String, Object> one = Map.of("subjectId", subject.toString(), "purposeId", "profiling");
        String noScope = io.pledge.kit.testing.TestTokens.service("rights-request-service", "consent-service");
        given().auth().oauth2(noScope).contentType(ContentType.JSON).body(one)
                .when().post("/v1/checks").then().statusCode(403).contentType(PROBLEM)
                .body("type", equalTo("urn:pledge:problem:forbidden"));
        given().auth().oauth2(noScope).contentType(ContentType.JSON).body(Map.of("checks", List.of(one)))
                .when().post("/v1/checks/batch").then().statusCode(403).contentType(PROBLEM)
                .body("type", equalTo("urn:pledge:problem:forbidden"));
        String elsewhere = io.pledge.kit.testing.TestTokens.service("notification-service", "account-service");
        given().auth().oauth2(elsewhere).contentType(ContentType.JSON).body(one)
                .when().post("/v1/checks").then().statusCode(401).contentType(PROBLEM);
        given().auth().oauth2(io.pledge.kit.testing.TestTokens.service("notification-service", "consent-service"))
                .contentType(ContentType.JSON).body(one).when().post("/v1/checks").then().statusCode(200);
        given().auth().oauth2(holderToken()).contentType(ContentType.JSON).body(Map.of("purposeId", "profiling"))
                .when().post("/v1/checks").then().statusCode(400).contentType(PROBLEM).body("field", equalTo("subjectId"));
        given().auth().oauth2(holderToken()).contentType(ContentType.JSON)
                .body(Map.of("subjectId", "nope", "purposeId", "profiling"))
                .when().post("/v1/checks").then().statusCode(400).contentType(PROBLEM);
        given().auth().oauth2(holderToken()).contentType(ContentType.JSON).body("{\"subjectId\":")
                .when().post("/v1/checks").then().statusCode(400).contentType(PROBLEM)
                .body("type", equalTo("urn:pledge:problem:malformed-json"));
    }

    /** The single check is served by a Vert.x route (CheckRoute): it answers every bad request as the REST layer would. */
    @Test
    void theSingleCheckRouteAnswersLikeTheRestLayer() {
        UUID subject = UUID.randomUUID();
        String holder = holderToken();
        given().auth().oauth2(holder).contentType(ContentType.TEXT).body("subjectId=" + subject)
                .when().post("/v1/checks").then().statusCode(415).contentType(PROBLEM);
        given().auth().oauth2(holder).contentType(ContentType.JSON)
                .body(Map.of("subjectId", subject.toString(), "purposeId", "profiling", "colour", "blue"))
                .when().post("/v1/checks").then().statusCode(400).contentType(PROBLEM).body("field", equalTo("colour"));
        given().auth().oauth2(holder).contentType(ContentType.JSON)
                .body(Map.of("subjectId", subject.toString(), "purposeId", "p".repeat(65)))
                .when().post("/v1/checks").then().statusCode(400).contentType(PROBLEM).body("field", equalTo("purposeId"));
        given().auth().oauth2(holder).contentType(ContentType.JSON)
                .body(Map.of("subjectId", subject.toString(), "purposeId", "profiling", "region", "somewhere far"))
                .when().post("/v1/checks").then().statusCode(400).contentType(PROBLEM).body("field", equalTo("region"));
        given().auth().oauth2(holder).contentType(ContentType.JSON).body("")
                .when().post("/v1/checks").then().statusCode(400).contentType(PROBLEM);
        given().auth().oauth2(holder).contentType(ContentType.JSON).body("null")
                .when().post("/v1/checks").then().statusCode(400).contentType(PROBLEM);
        given().auth().oauth2(holder).contentType(ContentType.JSON)
                .body("{\"subjectId\":\"" + subject + "\",\"purposeId\":\"" + "x".repeat(20_000) + "\"}")
                .when().post("/v1/checks").then().statusCode(413).contentType(PROBLEM);
        given().auth().oauth2(holder.substring(0, holder.length() - 3) + "abc").contentType(ContentType.JSON)
                .body(Map.of("subjectId", subject.toString(), "purposeId", "profiling"))
                .when().post("/v1/checks").then().statusCode(401).contentType(PROBLEM).header("WWW-Authenticate", "Bearer");
        // a good question: the answer, the request id carried back, and the operation in the OpenAPI document
        given().auth().oauth2(holder).contentType(ContentType.JSON).header("X-Request-Id", "check-route-test-1")
                .body(Map.of("subjectId", subject.toString(), "purposeId", "profiling"))
                .when().post("/v1/checks").then().statusCode(200).contentType(ContentType.JSON)
                .header("X-Request-Id", "check-route-test-1")
                .body("permitted", equalTo(false)).body("reason", equalTo("NEVER_GRANTED"));
        given().accept("application/json").when().get("/q/openapi").then().statusCode(200)
                .body("paths.'/v1/checks'.post.requestBody.content.'application/json'.schema.'$ref'",
                        equalTo("#/components/schemas/CheckRequest"));
    }

    /** The check route reads JSON by the kit's rules: no key twice, no coerced scalar, application/json only. */
    @Test
    void theSingleCheckRouteRefusesAKeyTwiceACoercedScalarAndAnyBodyThatIsNotSaidToBeJson() throws Exception {
        UUID subject = UUID.randomUUID();
        String holder = holderToken();
        String good = "{\"subjectId\":\"" + subject + "\",\"purposeId\":\"profiling\"}";
        // the last duplicate does not win: refused, naming the field
        given().auth().oauth2(holder).contentType(ContentType.JSON).header("X-Request-Id", "check-route-dup-1")
                .body("{\"subjectId\":\"" + subject + "\",\"purposeId\":\"profiling\",\"purposeId\":\"marketing-email\"}")
                .when().post("/v1/checks").then().statusCode(400).contentType(PROBLEM)
                .body("type", equalTo("urn:pledge:problem:invalid-input")).body("field", equalTo("purposeId"))
                .body("instance", equalTo("urn:pledge:request:check-route-dup-1"));
        given().auth().oauth2(holder).contentType(ContentType.JSON)
                .body("{\"subjectId\":\"" + subject + "\",\"subjectId\":\"" + UUID.randomUUID() + "\",\"purposeId\":\"p\"}")
                .when().post("/v1/checks").then().statusCode(400).contentType(PROBLEM).body("field", equalTo("subjectId"));
        // numbers and booleans are not strings
        for (String value : new String[] {"1", "1.5", "true"}) {
            given().auth().oauth2(holder).contentType(ContentType.JSON)
                    .body("{\"subjectId\":\"" + subject + "\",\"purposeId\":" + value + "}")
                    .when().post("/v1/checks").then().statusCode(400).contentType(PROBLEM)
                    .body("type", equalTo("urn:pledge:problem:invalid-input")).body("field", equalTo("purposeId"));
        }
        given().auth().oauth2(holder).contentType(ContentType.JSON)
                .body("{\"subjectId\":\"" + subject + "\",\"purposeId\":\"profiling\",\"region\":86}")
                .when().post("/v1/checks").then().statusCode(400).contentType(PROBLEM).body("field", equalTo("region"));
        // only application/json (any case, any parameters) is JSON; no Content-Type at all is not
        for (String type : new String[] {"text/json", "application/jsonx", "application/x-www-form-urlencoded", null}) {
            java.net.http.HttpRequest.Builder b = java.net.http.HttpRequest.newBuilder(
                            java.net.URI.create("http://127.0.0.1:" + io.restassured.RestAssured.port + "/v1/checks"))
                    .header("Authorization", "Bearer " + holder)
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(good));
            if (type != null) {
                b.header("Content-Type", type);
            }
            java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient()
                    .send(b.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as("Content-Type %s", type).isEqualTo(415);
            assertThat(r.body()).contains("urn:pledge:problem:unsupported-media-type");
        }
        given().auth().oauth2(holder).contentType("Application/JSON; charset=utf-8").body(good)
                .when().post("/v1/checks").then().statusCode(200).body("reason", equalTo("NEVER_GRANTED"));
    }
}
