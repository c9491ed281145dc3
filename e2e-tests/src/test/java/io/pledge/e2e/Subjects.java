package io.pledge.e2e;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Real data subjects of the e2e system: registered at account-service, their mobile (and email)
 * verified with the code account-service issued, logged in. Codes are read the way notification-service
 * reads them, through account-service's audited secret endpoint with notification-service's own client token, so these tests do
 * not depend on a mailbox; the user journey through the gateway reads them from the channels instead.
 */
final class Subjects {

    /** A registered, verified, logged-in subject. */
    record Person(UUID id, String userName, String email, String mobile, String password, String access) {
    }

    private Subjects() {
    }

    static Person register(String tag) throws Exception {
        long n = ThreadLocalRandom.current().nextLong(1_000_000_000L, 9_999_999_999L);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("userName", tag + "-" + n);
        body.put("email", tag + n + "@example.com");
        body.put("mobile", "+861" + n);
        body.put("password", "Pw-" + UUID.randomUUID().toString().substring(0, 13));
        body.put("birthDate", LocalDate.now().minusYears(30).toString());
        JsonPath reg = account().header("X-Forwarded-For", address()).body(body)
                .when().post("/v1/accounts").then().statusCode(201).extract().jsonPath();
        UUID id = UUID.fromString(reg.getString("subjectId"));
        for (String channel : List.of("MOBILE", "EMAIL")) {
            UUID verification = UUID.fromString(reg.getString(
                    "verifications.find { it.channel == '" + channel + "' }.verificationId"));
            account().body(Map.of("purpose", "REGISTRATION", "code", code(verification)))
                    .when().post("/v1/verifications/{id}/confirmation", verification).then().statusCode(200);
        }
        String access = account().body(Map.of("login", body.get("mobile"), "password", body.get("password")))
                .when().post("/v1/sessions").then().statusCode(201).extract().path("accessToken");
        return new Person(id, (String) body.get("userName"), (String) body.get("email"), (String) body.get("mobile"),
                (String) body.get("password"), access);
    }

    /**
     * {@link #register}, for a test class's first registration of a run: notification-service writes its client
     * secret (which {@link #code} uses) only when it first needs a token, i.e. around the first registration, so an
     * attempt that comes before that file exists is made again (up to a minute).
     */
    static Person registerWhenReady(String tag) throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        while (true) {
            try {
                return register(tag);
            } catch (java.nio.file.NoSuchFileException notYet) {
                if (System.currentTimeMillis() > deadline) {
                    throw notYet;
                }
                Thread.sleep(1_000);
            }
        }
    }

    /** The code of a verification notice, as notification-service fetches it to deliver it (with what it holds there). */
    static String code(UUID noticeId) throws Exception {
        return given().baseUri(PledgeSystem.ACCOUNT.url())
                .auth().oauth2(Clients.service("notification-service", "account-service", List.of("notice.secret:read")))
                .when().get("/internal/v1/notices/{id}/secret", noticeId)
                .then().statusCode(200).extract().path("code");
    }

    /** A privacy officer's token, from a real staff sign-in (password and TOTP) of this run's officer. */
    static String officer() throws Exception {
        return Staff.token("privacy-officer");
    }

    private static io.restassured.specification.RequestSpecification account() {
        return given().baseUri(PledgeSystem.ACCOUNT.url()).contentType(ContentType.JSON);
    }

    /** A client address of its own per registration, so the per-address code limit never mixes tests. */
    private static String address() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return "10." + r.nextInt(256) + "." + r.nextInt(256) + "." + r.nextInt(1, 255);
    }
}
