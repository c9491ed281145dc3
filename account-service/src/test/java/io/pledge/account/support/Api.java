package io.pledge.account.support;

import static io.restassured.RestAssured.given;

import io.pledge.account.token.ClientGrants;
import io.pledge.account.token.TokenIssuer;
import jakarta.inject.Singleton;
import io.pledge.kit.security.Roles;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Drives account-service over HTTP as its clients do. Verification codes are fetched the way
 * notification-service fetches them (the internal secret endpoint, with a client token for
 * {@code notification-service}, audience account-service and the scopes the grant table gives it, signed by
 * account-service's real issuer). Each test client
 * speaks from its own address (X-Forwarded-For, trusted from 127.0.0.1 like the gateway), so
 * per-address rate limits of one test do not spill into another. A bean: tests inject it.
 */
@Singleton
public class Api {

    public static final String PROBLEM = "application/problem+json";
    private static final AtomicInteger SEQ = new AtomicInteger();

    private final TokenIssuer issuer;
    private final ClientGrants grants;
    private final StaffAccounts staff;

    public Api(TokenIssuer issuer, ClientGrants grants, StaffAccounts staff) {
        this.issuer = issuer;
        this.grants = grants;
        this.staff = staff;
    }

    /** A registered account and the secrets its tests use. */
    public record Person(UUID id, String userName, String email, String mobile, String password, String access,
                         String refresh) {

    }

    public static String newAddress() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return "10." + r.nextInt(256) + "." + r.nextInt(256) + "." + r.nextInt(1, 255);
    }

    public static RequestSpecification from(String address) {
        return given().header("X-Forwarded-For", address).contentType(ContentType.JSON);
    }

    public static Map<String, Object> registration(String tag, LocalDate birthDate) {
        int n = SEQ.incrementAndGet();
        long r = ThreadLocalRandom.current().nextLong(1_000_000_000L, 9_999_999_999L);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("userName", "u" + tag + n + "_" + Long.toString(r, 36));
        m.put("email", "mail" + n + "x" + r + "@example.com");
        m.put("mobile", "+861" + String.format("%010d", r % 10_000_000_000L));
        m.put("password", "Pw-" + UUID.randomUUID().toString().substring(0, 13));
        m.put("birthDate", birthDate.toString());
        return m;
    }

    /** The client token account-service issues {@code client} for itself: exactly the scopes the grant table gives it here. */
    public String holderToken(String client) {
        return issuer.clientToken(client, "account-service", grants.held(client, "account-service"), Duration.ofMinutes(10));
    }

    /** A support agent's token from a real staff sign-in (password and TOTP), one agent per test run. */
    public String supportToken() {
        return staff.token(Roles.SUPPORT_AGENT);
    }

    /** The code of a notice, as notification-service fetches it. */
    public String code(UUID noticeId) {
        return given().auth().oauth2(holderToken("notification-service"))
                .when().get("/internal/v1/notices/{id}/secret", noticeId)
                .then().statusCode(200).extract().path("code");
    }

    public JsonPath register(Map<String, Object> body, String address) {
        return from(address).body(body).when().post("/v1/accounts").then().statusCode(201).extract().jsonPath();
    }

    public static UUID verificationId(JsonPath registered, String channel) {
        return UUID.fromString(registered.getString("verifications.find { it.channel == '" + channel + "' }.verificationId"));
    }

    public ValidatableResponse confirm(UUID verificationId, String purpose, String code, String newPassword) {
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("purpose", purpose);
        b.put("code", code);
        if (newPassword != null) {
            b.put("newPassword", newPassword);
        }
        return from(newAddress()).body(b).when()
                .post("/v1/verifications/{id}/confirmation", verificationId).then();
    }

    /** A password login from an address of its own (so that per-address limits of one test do not spill into another). */
    public ValidatableResponse login(String login, String password) {
        return login(login, password, newAddress());
    }

    public ValidatableResponse login(String login, String password, String address) {
        return from(address).body(Map.of("login", login, "password", password))
                .when().post("/v1/sessions").then();
    }

    /** Registers an adult, verifies mobile and email, and logs in with the mobile. */
    public Person adult(String tag) {
        return person(tag, LocalDate.now().minusYears(30), true);
    }

    public Person person(String tag, LocalDate birthDate, boolean verifyEmail) {
        return person(registration(tag, birthDate), verifyEmail);
    }

    /** Registers {@code body} (see {@link #registration}), verifies the mobile (and the email), logs in with the mobile. */
    public Person person(Map<String, Object> body, boolean verifyEmail) {
        JsonPath reg = register(body, newAddress());
        UUID id = UUID.fromString(reg.getString("subjectId"));
        UUID mobileCode = verificationId(reg, "MOBILE");
        confirm(mobileCode, "REGISTRATION", code(mobileCode), null).statusCode(200);
        if (verifyEmail) {
            UUID emailCode = verificationId(reg, "EMAIL");
            confirm(emailCode, "REGISTRATION", code(emailCode), null).statusCode(200);
        }
        Person p = new Person(id, (String) body.get("userName"), (String) body.get("email"), (String) body.get("mobile"),
                (String) body.get("password"), null, null);
        JsonPath t = login(p.mobile(), p.password()).statusCode(201).extract().jsonPath();
        return new Person(id, p.userName(), p.email(), p.mobile(), p.password(), t.getString("accessToken"),
                t.getString("refreshToken"));
    }

    public static RequestSpecification as(Person p) {
        return given().auth().oauth2(p.access()).contentType(ContentType.JSON);
    }
}
