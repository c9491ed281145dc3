package io.pledge.account.login;

import static io.pledge.account.support.Api.PROBLEM;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.pledge.account.support.Api;
import io.pledge.account.support.Topics;
import io.pledge.events.EventTypes;
import io.pledge.kit.events.EventSchemas;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Login, refresh rotation, logout, lockout and compromise reports on the real database and broker. */
@QuarkusTest
class LoginTest {

    @Inject
    EventSchemas schemas;

    @Inject
    Api api;

    private static io.restassured.response.ValidatableResponse refresh(String token) {
        return given().contentType(ContentType.JSON).body(Map.of("refreshToken", token))
                .when().post("/v1/sessions/refresh").then();
    }

    @Test
    @Tag("clause-2.1.1.1")
    void refreshTokensRotateAndAReusedOneRevokesTheSession() {
        Api.Person p = api.adult("rot");
        JsonPath next = refresh(p.refresh()).statusCode(200).extract().jsonPath();
        assertThat(next.getString("refreshToken")).isNotEqualTo(p.refresh());
        given().auth().oauth2(next.getString("accessToken")).when().get("/v1/accounts/{id}", p.id()).then().statusCode(200);
        // the old one again: stolen; the whole session ends
        refresh(p.refresh()).statusCode(401).contentType(PROBLEM);
        refresh(next.getString("refreshToken")).statusCode(401);
        given().auth().oauth2(next.getString("accessToken")).when().get("/v1/accounts/{id}", p.id()).then().statusCode(401);
    }

    @Test
    @Tag("clause-2.1.1.1")
    void logoutEndsTheSessionAndItsRefreshToken() {
        Api.Person p = api.adult("out");
        Api.as(p).when().delete("/v1/sessions/current").then().statusCode(204);
        Api.as(p).when().get("/v1/accounts/{id}", p.id()).then().statusCode(401).contentType(PROBLEM);
        refresh(p.refresh()).statusCode(401);
        api.login(p.email(), p.password()).statusCode(201);
    }

    @Test
    @Tag("clause-2.1.1.1")
    void repeatedFailuresLockTheAccountAndUnknownIdsLookTheSame() {
        Api.Person p = api.adult("lock");
        for (int i = 0; i < 5; i++) {
            api.login(p.mobile(), "wrong-password-" + i).statusCode(401).contentType(PROBLEM)
                    .body("detail", equalTo("The login id or the password is wrong."));
        }
        // locked: even the right password gets the answer a wrong one gets (a lock does not tell the account exists)
        api.login(p.mobile(), p.password()).statusCode(401).contentType(PROBLEM)
                .body("detail", equalTo("The login id or the password is wrong."));
        api.login("nobody-here@example.com", "whatever-password").statusCode(401)
                .body("detail", equalTo("The login id or the password is wrong."));
    }

    @Test
    @Tag("clause-5.1")
    void aCompromiseReportBySupportRevokesEverySessionForcesAResetAndIsASecurityEvent() {
        Api.Person p = api.adult("comp");
        JsonPath second = api.login(p.email(), p.password()).statusCode(201).extract().jsonPath();
        try (KafkaConsumer<String, byte[]> topic = Topics.tail("account.events")) {
            given().auth().oauth2(api.supportToken()).contentType(ContentType.JSON)
                    .when().post("/v1/accounts/{id}/compromise-reports", p.id()).then().statusCode(202)
                    .body("sessionsRevoked", equalTo(2)).body("passwordResetRequired", equalTo(true));
            List<Topics.Published> seen = Topics.read(topic, schemas,
                    Topics.has(EventTypes.SESSIONS_REVOKED, p.id().toString(), 1), Duration.ofSeconds(15));
            assertThat(seen).anySatisfy(e -> {
                assertThat(e.is(EventTypes.SESSIONS_REVOKED)).isTrue();
                assertThat(e.json().getString("reason")).isEqualTo("COMPROMISE_REPORTED");
            });
        }
        Api.as(p).when().get("/v1/accounts/{id}", p.id()).then().statusCode(401);
        given().auth().oauth2(second.getString("accessToken")).when().get("/v1/accounts/{id}", p.id()).then().statusCode(401);
        refresh(second.getString("refreshToken")).statusCode(401);
        // the right password no longer opens a session until it is reset with a code
        api.login(p.mobile(), p.password()).statusCode(403).contentType(PROBLEM).body("field", equalTo("password"));
        String notice = Api.from(Api.newAddress()).body(Map.of("purpose", "PASSWORD_RESET", "login", p.mobile()))
                .when().post("/v1/verifications").then().statusCode(202).extract().path("verificationId");
        String fresh = "Fresh-" + java.util.UUID.randomUUID().toString().substring(0, 10);
        api.confirm(java.util.UUID.fromString(notice), "PASSWORD_RESET", api.code(java.util.UUID.fromString(notice)), fresh)
                .statusCode(200);
        api.login(p.mobile(), fresh).statusCode(201);
    }

    @Test
    @Tag("clause-5.1")
    void theSubjectReportsTheirOwnCompromiseButNotSomeoneElses() {
        Api.Person a = api.adult("selfcomp");
        Api.Person b = api.adult("other");
        Api.as(a).when().post("/v1/accounts/{id}/compromise-reports", b.id()).then().statusCode(403).contentType(PROBLEM);
        Api.as(b).when().get("/v1/accounts/{id}", b.id()).then().statusCode(200);
        Api.as(a).when().post("/v1/accounts/{id}/compromise-reports", a.id()).then().statusCode(202);
        Api.as(a).when().get("/v1/accounts/{id}", a.id()).then().statusCode(401);
    }
}
