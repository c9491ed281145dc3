package io.pledge.account.registration;

import static io.pledge.account.support.Api.PROBLEM;
import static io.pledge.account.support.Api.from;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import io.agroal.api.AgroalDataSource;
import io.pledge.account.support.Api;
import io.pledge.kit.testing.Db;
import io.pledge.account.support.Topics;
import io.pledge.events.EventTypes;
import io.pledge.kit.events.EventSchemas;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Registration, verification codes and login ids (policy 2.1.1(1)) against the real database and
 * broker. Codes are read the way notification-service reads them; nothing is faked.
 */
@QuarkusTest
@Tag("clause-2.1.1.1")
class RegistrationTest {

    @Inject
    AgroalDataSource db;
    @Inject
    EventSchemas schemas;

    @Inject
    Api api;

    @Test
    void registerVerifyByCodeFromNotificationServiceThenLogInWithEmailOrMobile() {
        UUID[] subject = new UUID[1];
        try (KafkaConsumer<String, byte[]> topics = Topics.tail("notification.commands", "account.events", "access.records")) {
            Map<String, Object> body = Api.registration("reg", LocalDate.of(1990, 5, 1));
            JsonPath reg = api.register(body, Api.newAddress());
            UUID id = UUID.fromString(reg.getString("subjectId"));
            subject[0] = id;
            assertThat(reg.getString("status")).isEqualTo("PENDING_VERIFICATION");
            UUID mobileNotice = Api.verificationId(reg, "MOBILE");
            UUID emailNotice = Api.verificationId(reg, "EMAIL");

            // the notice announces a code without carrying it; notification-service fetches it
            List<Topics.Published> seen = Topics.read(topics, schemas,
                    Topics.has(EventTypes.NOTICE_REQUESTED, emailNotice.toString(), 1)
                            .and(Topics.has(EventTypes.ACCOUNT_REGISTERED, id.toString(), 1)), Duration.ofSeconds(15));
            Topics.Published notice = seen.stream().filter(p -> p.is(EventTypes.NOTICE_REQUESTED)
                    && p.body().contains(mobileNotice.toString())).findFirst().orElseThrow();
            assertThat(notice.json().getString("kind")).isEqualTo("VERIFICATION_CODE");
            assertThat(notice.json().getJsonArray("channels").getString(0)).isEqualTo("SMS");
            String mobileCode = api.code(mobileNotice);
            assertThat(mobileCode).matches("[0-9]{6}");
            assertThat(notice.body()).doesNotContain(mobileCode).doesNotContain((String) body.get("mobile"));

            given().auth().oauth2(api.holderToken("notification-service")).when()
                    .get("/internal/v1/notices/{id}/secret", mobileNotice).then().statusCode(200)
                    .body("address", equalTo(body.get("mobile"))).body("channel", equalTo("MOBILE"));

            // not yet verified: no login
            api.login((String) body.get("mobile"), (String) body.get("password")).statusCode(401).contentType(PROBLEM);

            api.confirm(mobileNotice, "REGISTRATION", mobileCode, null).statusCode(200)
                    .body("status", equalTo("ACTIVE")).body("channel", equalTo("MOBILE"));
            api.login((String) body.get("mobile"), (String) body.get("password")).statusCode(201)
                    .body("accessToken", notNullValue()).body("refreshToken", notNullValue())
                    .body("subjectId", equalTo(id.toString()));
            // email works as a login id only once verified
            api.login((String) body.get("email"), (String) body.get("password")).statusCode(401);
            api.confirm(emailNotice, "REGISTRATION", api.code(emailNotice), null).statusCode(200);
            api.login(((String) body.get("email")).toUpperCase(), (String) body.get("password")).statusCode(201);
            // a used code is spent
            api.confirm(emailNotice, "REGISTRATION", "000000", null).statusCode(422);

            List<Topics.Published> more = Topics.read(topics, schemas,
                    Topics.has(EventTypes.CONTACT_VERIFIED, id.toString(), 2), Duration.ofSeconds(15));
            assertThat(more.stream().filter(p -> p.is(EventTypes.CONTACT_VERIFIED)).map(p -> p.json().getString("channel")))
                    .contains("EMAIL", "MOBILE");
            assertThat(more.stream().filter(p -> p.is(EventTypes.PERSONAL_DATA_ACCESSED)))
                    .anySatisfy(p -> assertThat(p.json().getString("accessorId")).isEqualTo("notification-service"));
        }
        // the password is stored only as an Argon2id hash
        assertThat(Db.string(db, "select password_hash from account where id = ?", subject[0]))
                .startsWith("$argon2id$v=19$m=19456,t=2,p=1$");
    }

    @Test
    void optionalProvinceAndCityAreNeverRequired() {
        Map<String, Object> body = Api.registration("opt", LocalDate.of(1985, 1, 1));
        JsonPath reg = api.register(body, Api.newAddress());
        assertThat(Db.count(db, "select count(*) from profile where subject_id = ?", UUID.fromString(reg.getString("subjectId"))))
                .isZero();
        Map<String, Object> withCity = Api.registration("opt", LocalDate.of(1985, 1, 1));
        withCity.put("province", "Shanghai");
        withCity.put("city", "Shanghai");
        JsonPath reg2 = api.register(withCity, Api.newAddress());
        assertThat(Db.string(db, "select city from profile where subject_id = ?", UUID.fromString(reg2.getString("subjectId"))))
                .startsWith("p1.").doesNotContain("Shanghai");
    }

    @Test
    void duplicatesAreRefusedNamingTheFieldAndCreateNothing() {
        Map<String, Object> first = Api.registration("dup", LocalDate.of(1980, 2, 2));
        api.register(first, Api.newAddress());
        long before = Db.count(db, "select count(*) from account");
        for (String field : List.of("userName", "email", "mobile")) {
            Map<String, Object> again = Api.registration("dup", LocalDate.of(1980, 2, 2));
            again.put(field, "email".equals(field) ? ((String) first.get(field)).toUpperCase() : first.get(field));
            from(Api.newAddress()).body(again).when().post("/v1/accounts").then()
                    .statusCode(409).contentType(PROBLEM)
                    .body("type", equalTo("urn:pledge:problem:conflict"))
                    .body("field", equalTo(field));
        }
        assertThat(Db.count(db, "select count(*) from account")).isEqualTo(before);
    }

    @Test
    void aCodeDiesAfterFiveWrongTries() {
        JsonPath reg = api.register(Api.registration("tries", LocalDate.of(1990, 1, 1)), Api.newAddress());
        UUID notice = Api.verificationId(reg, "MOBILE");
        String right = api.code(notice);
        String wrong = right.equals("111111") ? "222222" : "111111";
        for (int i = 0; i < 5; i++) {
            api.confirm(notice, "REGISTRATION", wrong, null).statusCode(422).contentType(PROBLEM).body("field", equalTo("code"));
        }
        api.confirm(notice, "REGISTRATION", right, null).statusCode(422);
        assertThat(Db.string(db, "select status from account where id = ?", UUID.fromString(reg.getString("subjectId"))))
                .isEqualTo("PENDING_VERIFICATION");
    }

    @Test
    void anExpiredCodeIsRefused() {
        JsonPath reg = api.register(Api.registration("exp", LocalDate.of(1990, 1, 1)), Api.newAddress());
        UUID notice = Api.verificationId(reg, "MOBILE");
        String code = api.code(notice);
        Db.exec(db, "update verification_code set expires_at = now() - interval '1 second' where id = ?", notice);
        api.confirm(notice, "REGISTRATION", code, null).statusCode(422);
        given().auth().oauth2(api.holderToken("notification-service")).when()
                .get("/internal/v1/notices/{id}/secret", notice).then().statusCode(404);
    }

    @Test
    void codesAreRateLimitedPerContactAndPerClientAddress() {
        // per contact: registration sent one; four resends fill the window of five; the sixth is refused
        JsonPath reg = api.register(Api.registration("rate", LocalDate.of(1990, 1, 1)), Api.newAddress());
        String subject = reg.getString("subjectId");
        for (int i = 0; i < 4; i++) {
            from(Api.newAddress()).body(Map.of("purpose", "REGISTRATION", "subjectId", subject, "channel", "MOBILE"))
                    .when().post("/v1/verifications").then().statusCode(202);
        }
        from(Api.newAddress()).body(Map.of("purpose", "REGISTRATION", "subjectId", subject, "channel", "MOBILE"))
                .when().post("/v1/verifications").then().statusCode(429).contentType(PROBLEM)
                .body("type", equalTo("urn:pledge:problem:too-many-requests"));
        // per client address: 20 codes per window from one address, whatever the contact
        String address = Api.newAddress();
        int sent = 0;
        int refusedAt = -1;
        for (int i = 0; i < 15 && refusedAt < 0; i++) {
            int status = from(address).body(Api.registration("addr", LocalDate.of(1990, 1, 1)))
                    .when().post("/v1/accounts").then().extract().statusCode();
            if (status == 201) {
                sent += 2;
            } else {
                assertThat(status).isEqualTo(429);
                refusedAt = sent;
            }
        }
        assertThat(refusedAt).isEqualTo(20);
        // a code for an unknown login id looks the same as one for a known id, and never verifies
        from(Api.newAddress()).body(Map.of("purpose", "LOGIN", "login", "nobody-" + UUID.randomUUID() + "@example.com"))
                .when().post("/v1/verifications").then().statusCode(202).body("verificationId", notNullValue());
    }

    @Test
    void onlyNotificationServiceReadsCodesAndEveryReadIsAudited() {
        JsonPath reg = api.register(Api.registration("sec", LocalDate.of(1990, 1, 1)), Api.newAddress());
        UUID notice = Api.verificationId(reg, "EMAIL");
        given().auth().oauth2(api.holderToken("billing")).when().get("/internal/v1/notices/{id}/secret", notice)
                .then().statusCode(403).contentType(PROBLEM);
        given().auth().oauth2(api.supportToken()).when().get("/internal/v1/notices/{id}/secret", notice)
                .then().statusCode(403).contentType(PROBLEM);
        given().when().get("/internal/v1/notices/{id}/secret", notice).then().statusCode(401).contentType(PROBLEM);
    }

    @Test
    void passwordRecoveryByCode() {
        Api.Person p = api.adult("reset");
        JsonPath issued = from(Api.newAddress()).body(Map.of("purpose", "PASSWORD_RESET", "login", p.email()))
                .when().post("/v1/verifications").then().statusCode(202).extract().jsonPath();
        UUID notice = UUID.fromString(issued.getString("verificationId"));
        String newPassword = "New-" + UUID.randomUUID().toString().substring(0, 12);
        api.confirm(notice, "PASSWORD_RESET", api.code(notice), "short").statusCode(400).body("field", equalTo("newPassword"));
        api.confirm(notice, "PASSWORD_RESET", api.code(notice), newPassword).statusCode(200);
        api.login(p.email(), p.password()).statusCode(401);
        api.login(p.mobile(), newPassword).statusCode(201);
        // the old session ended with the reset
        Api.as(p).when().get("/v1/accounts/{id}", p.id()).then().statusCode(401);
    }

    @Test
    void loginByCode() {
        Api.Person p = api.adult("codelogin");
        UUID notice = UUID.fromString(from(Api.newAddress()).body(Map.of("purpose", "LOGIN", "login", p.mobile()))
                .when().post("/v1/verifications").then().statusCode(202).extract().path("verificationId"));
        String access = api.confirm(notice, "LOGIN", api.code(notice), null).statusCode(200)
                .extract().path("tokens.accessToken");
        given().auth().oauth2(access).when().get("/v1/accounts/{id}", p.id()).then().statusCode(200)
                .body("email", equalTo(p.email()));
    }

    @Test
    void registrationWithAnIdempotencyKeyCreatesOnce() {
        Map<String, Object> body = Api.registration("idem", LocalDate.of(1990, 1, 1));
        String key = UUID.randomUUID().toString();
        String address = Api.newAddress();
        String first = from(address).header("Idempotency-Key", key).body(body).when().post("/v1/accounts")
                .then().statusCode(201).extract().path("subjectId");
        String second = from(address).header("Idempotency-Key", key).body(body).when().post("/v1/accounts")
                .then().statusCode(201).extract().path("subjectId");
        assertThat(second).isEqualTo(first);
        assertThat(Db.count(db, "select count(*) from account where id = ?", UUID.fromString(first))).isEqualTo(1);
    }
}
