package io.pledge.account.cancellation;

import static io.pledge.account.support.Api.PROBLEM;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import io.pledge.account.support.Api;
import io.pledge.account.support.Topics;
import io.pledge.events.EventTypes;
import io.pledge.kit.events.EventSchemas;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Cancellation (policy 6.5) with holds placed by holder clients, on the real database and broker. */
@QuarkusTest
@Tag("clause-6.5")
class CancellationTest {

    @Inject
    EventSchemas schemas;

    @Inject
    Api api;

    private String place(String holder, UUID subject, String kind, String key) {
        var spec = given().auth().oauth2(api.holderToken(holder)).contentType(ContentType.JSON);
        if (key != null) {
            spec = spec.header("Idempotency-Key", key);
        }
        return spec.body(Map.of("kind", kind)).when().post("/internal/v1/accounts/{id}/holds", subject)
                .then().statusCode(201).extract().path("holdId");
    }

    @Test
    void holdsBlockCancellationNamingEachThenCancellationIsIrreversible() {
        Api.Person p = api.adult("cancel");
        String key = UUID.randomUUID().toString();
        String billingHold = place("billing", p.id(), "UNPAID_FEES", key);
        assertThat(place("billing", p.id(), "UNPAID_FEES", key)).isEqualTo(billingHold);
        String disputeHold = place("support-desk", p.id(), "DISPUTE", null);
        // a subject cannot place or lift holds
        Api.as(p).body(Map.of("kind", "DISPUTE")).when().post("/internal/v1/accounts/{id}/holds", p.id())
                .then().statusCode(403);
        Api.as(p).when().post("/v1/accounts/{id}/cancellation", p.id()).then().statusCode(409).contentType(PROBLEM)
                .body("field", equalTo("holds"))
                .body("errors.message", containsInAnyOrder("UNPAID_FEES", "DISPUTE"))
                .body("detail", containsString("UNPAID_FEES"));
        Api.as(p).when().get("/v1/accounts/{id}", p.id()).then().statusCode(200).body("status", equalTo("ACTIVE"));
        // only the holder that placed a hold lifts it
        given().auth().oauth2(api.holderToken("support-desk")).when()
                .delete("/internal/v1/accounts/{id}/holds/{h}", p.id(), billingHold).then().statusCode(403);
        given().auth().oauth2(api.holderToken("billing")).when()
                .delete("/internal/v1/accounts/{id}/holds/{h}", p.id(), billingHold).then().statusCode(200);
        Api.as(p).when().post("/v1/accounts/{id}/cancellation", p.id()).then().statusCode(409)
                .body("errors", hasSize(1)).body("errors[0].message", equalTo("DISPUTE"));
        given().auth().oauth2(api.holderToken("support-desk")).when()
                .delete("/internal/v1/accounts/{id}/holds/{h}", p.id(), disputeHold).then().statusCode(200);

        String verification = Api.as(p).body(Map.of("method", "FACE", "providerRef", "mps-77"))
                .when().post("/v1/accounts/{id}/real-name", p.id()).then().statusCode(201).extract().path("verificationId");
        given().auth().oauth2(api.holderToken("realname-provider")).contentType(ContentType.JSON)
                .body(Map.of("result", "VERIFIED")).when().post("/internal/v1/real-name/{v}/decision", verification)
                .then().statusCode(200);

        String other = api.login(p.email(), p.password()).statusCode(201).extract().path("accessToken");
        try (KafkaConsumer<String, byte[]> topic = Topics.tail("account.events")) {
            Api.as(p).header("Idempotency-Key", UUID.randomUUID().toString())
                    .when().post("/v1/accounts/{id}/cancellation", p.id()).then().statusCode(201)
                    .body("status", equalTo("CANCELLED")).body("sessionsRevoked", equalTo(2))
                    .body("retained[0].category", equalTo("real-name"))
                    .body("retained[0].legalBasis", equalTo("INTERNET_REAL_NAME_RULES"))
                    .body("retained[0].until", equalTo(java.time.LocalDate.now(java.time.ZoneOffset.UTC).plusYears(3).toString()));
            List<Topics.Published> seen = Topics.read(topic, schemas,
                    Topics.has(EventTypes.ACCOUNT_CANCELLED, p.id().toString(), 1)
                            .and(Topics.has(EventTypes.CANCELLATION_REQUESTED, p.id().toString(), 1))
                            .and(Topics.has(EventTypes.SESSIONS_REVOKED, p.id().toString(), 1)), Duration.ofSeconds(15));
            assertThat(seen).anySatisfy(e -> {
                assertThat(e.is(EventTypes.SESSIONS_REVOKED)).isTrue();
                assertThat(e.json().getString("reason")).isEqualTo("CANCELLATION");
            });
        }
        // at once and for good: tokens, refresh, login by either id
        Api.as(p).when().get("/v1/accounts/{id}", p.id()).then().statusCode(401);
        given().auth().oauth2(other).when().get("/v1/accounts/{id}", p.id()).then().statusCode(401);
        given().contentType(ContentType.JSON).body(Map.of("refreshToken", p.refresh()))
                .when().post("/v1/sessions/refresh").then().statusCode(401);
        api.login(p.email(), p.password()).statusCode(401);
        api.login(p.mobile(), p.password()).statusCode(401);
        Api.from(Api.newAddress()).body(Map.of("purpose", "LOGIN", "login", p.mobile())).when().post("/v1/verifications")
                .then().statusCode(202);
        given().auth().oauth2(api.holderToken("billing")).contentType(ContentType.JSON).body(Map.of("kind", "DISPUTE"))
                .when().post("/internal/v1/accounts/{id}/holds", p.id()).then().statusCode(404);
    }

    @Test
    void cancellationWithNothingRetainedSaysSo() {
        Api.Person p = api.adult("plain");
        Api.as(p).when().post("/v1/accounts/{id}/cancellation", p.id()).then().statusCode(201)
                .body("retained", hasSize(0));
        api.login(p.mobile(), p.password()).statusCode(401).contentType(PROBLEM);
    }
}
