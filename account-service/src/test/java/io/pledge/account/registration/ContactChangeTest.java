package io.pledge.account.registration;

import static io.pledge.account.support.Api.PROBLEM;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.agroal.api.AgroalDataSource;
import io.pledge.account.support.Api;
import io.pledge.account.support.Topics;
import io.pledge.events.EventTypes;
import io.pledge.kit.events.EventSchemas;
import io.pledge.kit.testing.Db;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Issue 17.4, account takeover is not one stolen session away: changing email or mobile needs the caller's current
 * password (a wrong one counts towards the login lock), tells the old address (a {@code NoticeRequested} read back
 * from the real {@code notification.commands} topic; the old address is what notification-service's fetch answers)
 * and ends every other session, here at once and for its refresh token. Real database and broker; nothing faked.
 */
@QuarkusTest
@Tag("clause-6.3")
class ContactChangeTest {

    @Inject
    AgroalDataSource db;

    @Inject
    EventSchemas schemas;

    @Inject
    Api api;

    private static ValidatableResponse change(Api.Person p, String channel, Map<String, Object> body) {
        return Api.as(p).header("X-Forwarded-For", Api.newAddress()).body(body)
                .when().post("/v1/accounts/{id}/contacts/{channel}", p.id(), channel).then();
    }

    private static String newEmail() {
        return "new-" + UUID.randomUUID() + "@example.com";
    }

    private long changeCodes(UUID subject) {
        return Db.count(db, "select count(*) from verification_code where subject_id = ? and purpose = 'CONTACT_CHANGE'",
                subject);
    }

    private static UUID sid(String accessToken) {
        String claims = new String(Base64.getUrlDecoder().decode(accessToken.split("\\.")[1]), StandardCharsets.UTF_8);
        return UUID.fromString(new JsonObject(claims).getString("sid"));
    }

    @Test
    void withoutThePasswordNothingIsIssuedOrChanged() {
        Api.Person p = api.adult("nopw");
        String before = Db.string(db, "select concat(email_lookup, mobile_lookup) from account where id = ?", p.id());
        change(p, "email", Map.of("value", newEmail())).statusCode(400).contentType(PROBLEM)
                .body("field", equalTo("currentPassword"));
        change(p, "mobile", Map.of("value", "+8613900000001", "currentPassword", "")).statusCode(400)
                .contentType(PROBLEM).body("field", equalTo("currentPassword"));
        assertThat(changeCodes(p.id())).isZero();
        assertThat(Db.string(db, "select concat(email_lookup, mobile_lookup) from account where id = ?", p.id()))
                .isEqualTo(before);
        assertThat(Db.count(db, "select failed_logins from account where id = ?", p.id())).isZero();
    }

    @Test
    void aWrongPasswordIsRefusedCountedTowardsTheLockAndChangesNothing() {
        Api.Person p = api.adult("wrongpw");
        String before = Db.string(db, "select concat(email_lookup, mobile_lookup) from account where id = ?", p.id());
        change(p, "email", Map.of("value", newEmail(), "currentPassword", "not-" + p.password())).statusCode(403)
                .contentType(PROBLEM).body("field", equalTo("currentPassword"));
        assertThat(Db.count(db, "select failed_logins from account where id = ?", p.id())).isEqualTo(1);
        assertThat(changeCodes(p.id())).isZero();
        // four more wrong ones (here or at login) lock the account: then the right password is refused alike, and
        // login with it too
        for (int i = 0; i < 2; i++) {
            change(p, "email", Map.of("value", newEmail(), "currentPassword", "still-wrong-" + i)).statusCode(403);
        }
        api.login(p.email(), "wrong-at-login-1").statusCode(401);
        api.login(p.email(), "wrong-at-login-2").statusCode(401);
        String lockedAnswer = change(p, "email", Map.of("value", newEmail(), "currentPassword", p.password()))
                .statusCode(403).contentType(PROBLEM).extract().path("detail");
        assertThat(lockedAnswer).startsWith("The current password is wrong");
        api.login(p.email(), p.password()).statusCode(401);
        assertThat(changeCodes(p.id())).isZero();
        assertThat(Db.string(db, "select concat(email_lookup, mobile_lookup) from account where id = ?", p.id())).isEqualTo(before);
        Api.as(p).when().get("/v1/accounts/{id}", p.id()).then().statusCode(200).body("email", equalTo(p.email()));
        // the session itself is not ended by a wrong password (it was not the thief's proof; the lock is)
        Api.as(p).when().get("/v1/accounts/{id}", p.id()).then().statusCode(200);
    }

    @Test
    void aChangeWithThePasswordTellsTheOldAddressAndEndsEveryOtherSession() {
        Api.Person p = api.adult("chg");
        // a second session, say a thief's
        JsonPath other = api.login(p.mobile(), p.password()).statusCode(201).extract().jsonPath();
        String otherAccess = other.getString("accessToken");
        given().auth().oauth2(otherAccess).when().get("/v1/accounts/{id}", p.id()).then().statusCode(200);
        String fresh = newEmail();
        try (KafkaConsumer<String, byte[]> topics = Topics.tail("notification.commands", "account.events")) {
            String notice = change(p, "email", Map.of("value", fresh, "currentPassword", p.password())).statusCode(202)
                    .extract().path("verificationId");
            api.confirm(UUID.fromString(notice), "CONTACT_CHANGE", api.code(UUID.fromString(notice)), null).statusCode(200)
                    .body("channel", equalTo("EMAIL"));
            List<Topics.Published> seen = Topics.read(topics, schemas, l ->
                    Topics.has(EventTypes.SESSIONS_REVOKED, p.id().toString(), 1).test(l)
                            && l.stream().anyMatch(e -> e.is(EventTypes.NOTICE_REQUESTED)
                            && e.json().getString("templateId").equals("contact-changed")), Duration.ofSeconds(20));
            Topics.Published told = seen.stream().filter(e -> e.is(EventTypes.NOTICE_REQUESTED)
                    && "contact-changed".equals(e.json().getString("templateId"))).findFirst().orElseThrow();
            assertThat(told.json().getString("subjectId")).isEqualTo(p.id().toString());
            assertThat(told.json().getJsonArray("channels").getList()).containsExactly("EMAIL");
            assertThat(told.json().getJsonObject("params").getString("channel")).isEqualTo("EMAIL");
            Topics.Published revoked = seen.stream().filter(e -> e.is(EventTypes.SESSIONS_REVOKED)
                    && e.body().contains(p.id().toString())).findFirst().orElseThrow();
            assertThat(revoked.json().getString("reason")).isEqualTo("CONTACT_CHANGED");
            assertThat(revoked.json().getString("keptSessionId")).isEqualTo(sid(p.access()).toString());
            // neither value is in any event
            for (Topics.Published e : seen) {
                assertThat(e.body() + e.headers()).doesNotContain(fresh).doesNotContain(p.email());
            }
            // the notice goes to the OLD address: what notification-service's fetch answers for it
            given().auth().oauth2(api.holderToken("notification-service")).when()
                    .get("/internal/v1/notices/{id}/secret", told.json().getString("noticeId")).then().statusCode(200)
                    .body("address", equalTo(p.email())).body("channel", equalTo("EMAIL"))
                    .body("templateId", equalTo("contact-changed"));
        }
        // every other session ended: its access token fails here at once and its refresh token is refused
        given().auth().oauth2(otherAccess).when().get("/v1/accounts/{id}", p.id()).then().statusCode(401).contentType(PROBLEM);
        given().contentType(ContentType.JSON).body(Map.of("refreshToken", other.getString("refreshToken")))
                .when().post("/v1/sessions/refresh").then().statusCode(401);
        // the caller's own session stays, and the new address is the login id
        Api.as(p).when().get("/v1/accounts/{id}", p.id()).then().statusCode(200).body("email", equalTo(fresh));
        given().contentType(ContentType.JSON).body(Map.of("refreshToken", p.refresh()))
                .when().post("/v1/sessions/refresh").then().statusCode(200);
        api.login(fresh, p.password()).statusCode(201);
        api.login(p.email(), p.password()).statusCode(401);
    }
}
