package io.pledge.account.staff;

import static io.pledge.account.support.Api.PROBLEM;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.pledge.account.config.AccountConfig;
import io.pledge.account.support.StaffAccounts;
import io.pledge.kit.crypto.Totp;
import io.pledge.kit.security.Roles;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Staff accounts on the real database: enrolment with a one-time token, sign-in with password and TOTP (codes computed
 * here from the enrolment secret, as an authenticator app does), recovery codes, replay refusal, the lock, logout and
 * disabling (token refused here and inactive at introspection), administrator-only endpoints, and the bootstrap of the
 * first administrator with the secret {@code deploy/local/admin} presents. Nothing is faked.
 */
@QuarkusTest
class StaffTest {

    private static final String WRONG = "The login, the password or the second factor is wrong.";

    @Inject
    StaffAccounts staff;

    @Inject
    AccountConfig config;

    @Inject
    EntityManager em;

    private static JsonPath claims(String jwt) {
        return new JsonPath(new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), StandardCharsets.UTF_8));
    }

    private static io.restassured.response.ValidatableResponse introspect(String as, String token) {
        return given().auth().oauth2(as).contentType(ContentType.JSON).body(Map.of("token", token))
                .when().post("/v1/tokens/introspect").then().statusCode(200);
    }

    private static String other(String code) {
        return String.format("%06d", (Integer.parseInt(code) + 1) % 1_000_000);
    }

    @Test
    void rightCodeSignsInAndWrongOrReplayedCodesAreRefusedWithOneAnswer() {
        StaffAccounts.Member m = staff.enrol(staff.invite(Roles.SUPPORT_AGENT));
        String code = m.nextCode();
        JsonPath t = staff.login(m, code).statusCode(201).extract().jsonPath();
        JsonPath c = claims(t.getString("accessToken"));
        assertThat(c.getString("sub")).isEqualTo(m.id.toString());
        assertThat(c.getList("groups")).containsExactly(Roles.SUPPORT_AGENT);
        assertThat(c.getString("sid")).isEqualTo(t.getString("sessionId"));
        assertThat(c.getString("preferred_username")).isEqualTo(m.login);
        assertThat(c.getString("name")).isEqualTo("Staff support-agent");
        assertThat(c.getString("aud")).isEqualTo("pledge-api");
        assertThat(c.getLong("exp") - c.getLong("iat")).isEqualTo(config.staff().accessTokenTtl().toSeconds());

        // the same code again (its step was used): refused, as a wrong code and a wrong password are
        staff.login(m, code).statusCode(401).contentType(PROBLEM).body("detail", equalTo(WRONG));
        staff.login(m, other(code)).statusCode(401).contentType(PROBLEM).body("detail", equalTo(WRONG));
        given().contentType(ContentType.JSON).body(Map.of("login", m.login, "password", "not-the-password-1",
                        "code", m.nextCode())).when().post("/v1/staff/sessions").then().statusCode(401)
                .body("detail", equalTo(WRONG));
        given().contentType(ContentType.JSON).body(Map.of("login", "nobody-" + UUID.randomUUID().toString().substring(0, 8),
                        "password", m.password, "code", "123456")).when().post("/v1/staff/sessions").then().statusCode(401)
                .body("detail", equalTo(WRONG));
        // the token works here while its session is live
        given().auth().oauth2(t.getString("accessToken")).when().get("/v1/staff/sessions/current").then()
                .statusCode(200).body("staffId", equalTo(m.id.toString()));
    }

    @Test
    void aCodeMoreThanOneStepAwayIsRefused() {
        StaffAccounts.Member m = staff.enrol(staff.invite(Roles.PRIVACY_OFFICER));
        long now = Totp.step(System.currentTimeMillis() / 1000);
        staff.login(m, Totp.code(m.secret, now - 3, 6)).statusCode(401).body("detail", equalTo(WRONG));
        staff.login(m, Totp.code(m.secret, now + 3, 6)).statusCode(401).body("detail", equalTo(WRONG));
        staff.login(m, m.nextCode()).statusCode(201);
    }

    @Test
    void aRecoveryCodeSignsInOnce() {
        StaffAccounts.Member m = staff.enrol(staff.invite(Roles.SECURITY_OFFICER));
        assertThat(m.recoveryCodes).hasSize(10).doesNotHaveDuplicates();
        String rc = m.recoveryCodes.get(3);
        staff.login(m, rc).statusCode(201);
        staff.login(m, rc).statusCode(401).body("detail", equalTo(WRONG));
        staff.login(m, m.recoveryCodes.get(4).toLowerCase()).statusCode(201);
    }

    @Test
    void failedSignInsLockTheMemberAndTheLockAnswersLikeAWrongGuess() {
        StaffAccounts.Member m = staff.enrol(staff.invite(Roles.SUPPORT_AGENT));
        String wrong = other(Totp.code(m.secret, Totp.step(System.currentTimeMillis() / 1000), 6));
        for (int i = 0; i < config.staff().maxFailures(); i++) {
            staff.login(m, wrong).statusCode(401);
        }
        // right password and an unused recovery code: still refused, in the same words
        staff.login(m, m.recoveryCodes.get(0)).statusCode(401).body("detail", equalTo(WRONG));
    }

    @Test
    void logoutEndsTheSessionHereAndAtIntrospectionAndTheRefreshTokenWithIt() {
        StaffAccounts.Member officer = staff.member(Roles.PRIVACY_OFFICER);
        StaffAccounts.Member m = staff.member(Roles.SUPPORT_AGENT);
        introspect(officer.access, m.access).body("active", equalTo(true)).body("subject", equalTo(m.id.toString()));
        // refresh rotates within the session
        JsonPath r = given().contentType(ContentType.JSON).body(Map.of("refreshToken", m.refresh))
                .when().post("/v1/staff/sessions/refresh").then().statusCode(200).extract().jsonPath();
        assertThat(claims(r.getString("accessToken")).getString("sid")).isEqualTo(claims(m.access).getString("sid"));

        given().auth().oauth2(m.access).when().delete("/v1/staff/sessions/current").then().statusCode(204);
        given().auth().oauth2(m.access).when().get("/v1/staff/sessions/current").then().statusCode(401).contentType(PROBLEM);
        given().auth().oauth2(r.getString("accessToken")).when().get("/v1/session").then().statusCode(401);
        introspect(officer.access, m.access).body("active", equalTo(false));
        given().contentType(ContentType.JSON).body(Map.of("refreshToken", r.getString("refreshToken")))
                .when().post("/v1/staff/sessions/refresh").then().statusCode(401).contentType(PROBLEM);
    }

    @Test
    void aReusedRefreshTokenEndsTheSession() {
        StaffAccounts.Member m = staff.member(Roles.SUPPORT_AGENT);
        given().contentType(ContentType.JSON).body(Map.of("refreshToken", m.refresh))
                .when().post("/v1/staff/sessions/refresh").then().statusCode(200);
        given().contentType(ContentType.JSON).body(Map.of("refreshToken", m.refresh))
                .when().post("/v1/staff/sessions/refresh").then().statusCode(401);
        given().auth().oauth2(m.access).when().get("/v1/session").then().statusCode(401);
    }

    @Test
    void aDisabledMemberIsRefusedAtOnce() {
        StaffAccounts.Member officer = staff.member(Roles.PRIVACY_OFFICER);
        StaffAccounts.Member m = staff.member(Roles.SECURITY_OFFICER);
        given().auth().oauth2(m.access).when().get("/v1/session").then().statusCode(200);
        given().auth().oauth2(staff.administrator().access).when().post("/v1/staff/{id}/disable", m.id).then()
                .statusCode(200).body("status", equalTo("DISABLED"));
        given().auth().oauth2(m.access).when().get("/v1/session").then().statusCode(401).contentType(PROBLEM);
        introspect(officer.access, m.access).body("active", equalTo(false));
        staff.login(m, m.recoveryCodes.get(0)).statusCode(401).body("detail", equalTo(WRONG));
        given().contentType(ContentType.JSON).body(Map.of("refreshToken", m.refresh))
                .when().post("/v1/staff/sessions/refresh").then().statusCode(401);
    }

    @Test
    void administratorOnlyEndpointsRefuseEveryOtherRole() {
        StaffAccounts.Member target = staff.member(Roles.SUPPORT_AGENT);
        for (String role : List.of(Roles.PRIVACY_OFFICER, Roles.SECURITY_OFFICER, Roles.SUPPORT_AGENT)) {
            String token = role.equals(Roles.SUPPORT_AGENT) ? target.access : staff.member(role).access;
            long before = count();
            given().auth().oauth2(token).contentType(ContentType.JSON)
                    .body(Map.of("login", StaffAccounts.newLogin("x"), "displayName", "X", "role", Roles.ADMINISTRATOR))
                    .when().post("/v1/staff").then().statusCode(403).contentType(PROBLEM);
            assertThat(count()).isEqualTo(before);
            given().auth().oauth2(token).when().get("/v1/staff").then().statusCode(403);
            given().auth().oauth2(token).when().post("/v1/staff/{id}/disable", target.id).then().statusCode(403);
            given().auth().oauth2(token).when().post("/v1/staff/{id}/second-factor-reset", target.id).then().statusCode(403);
        }
        given().when().get("/v1/staff").then().statusCode(401);
        given().auth().oauth2(target.access).when().get("/v1/session").then().statusCode(200);
        given().auth().oauth2(staff.administrator().access).when().get("/v1/staff").then().statusCode(200);
    }

    @Test
    void badInputGetsAProblemAndCreatesNothing() {
        String admin = staff.administrator().access;
        long before = count();
        given().auth().oauth2(admin).contentType(ContentType.JSON).body("{\"login\": ")
                .when().post("/v1/staff").then().statusCode(400).contentType(PROBLEM);
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(Map.of("login", "someone", "displayName", "S"))
                .when().post("/v1/staff").then().statusCode(400).contentType(PROBLEM);
        given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body(Map.of("login", StaffAccounts.newLogin("r"), "displayName", "S", "role", "subject"))
                .when().post("/v1/staff").then().statusCode(400).contentType(PROBLEM).body("field", equalTo("role"));
        given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body(Map.of("login", "Bad Login!", "displayName", "S", "role", Roles.SUPPORT_AGENT))
                .when().post("/v1/staff").then().statusCode(400).contentType(PROBLEM).body("field", equalTo("login"));
        assertThat(count()).isEqualTo(before);
        given().contentType(ContentType.JSON).body(Map.of("token", "no-such-token", "password", "long-enough-password"))
                .when().post("/v1/staff/enrolment").then().statusCode(422).contentType(PROBLEM).body("field", equalTo("token"));
        String token = staff.invite(Roles.SUPPORT_AGENT);
        given().contentType(ContentType.JSON).body(Map.of("token", token, "password", "short"))
                .when().post("/v1/staff/enrolment").then().statusCode(400).contentType(PROBLEM).body("field", equalTo("password"));
    }

    @Test
    void anEnrolmentTokenIsOneTimeAndNeedsAValidCode() {
        String token = staff.invite(Roles.PRIVACY_OFFICER);
        JsonPath e = given().contentType(ContentType.JSON).body(Map.of("token", token, "password", "Staff-pw-" + UUID.randomUUID()))
                .when().post("/v1/staff/enrolment").then().statusCode(201).extract().jsonPath();
        assertThat(e.getString("otpauthUri")).startsWith("otpauth://totp/Pledge:" + e.getString("login") + "?secret=")
                .contains("&issuer=Pledge");
        byte[] secret = Totp.fromBase32(e.getString("secret"));
        String now = Totp.code(secret, Totp.step(System.currentTimeMillis() / 1000), 6);
        given().contentType(ContentType.JSON).body(Map.of("token", token, "code", other(now)))
                .when().post("/v1/staff/enrolment/confirmation").then().statusCode(422).body("field", equalTo("code"));
        given().contentType(ContentType.JSON).body(Map.of("token", token,
                        "code", Totp.code(secret, Totp.step(System.currentTimeMillis() / 1000), 6)))
                .when().post("/v1/staff/enrolment/confirmation").then().statusCode(204);
        // used up
        given().contentType(ContentType.JSON).body(Map.of("token", token, "password", "Staff-pw-" + UUID.randomUUID()))
                .when().post("/v1/staff/enrolment").then().statusCode(422);
    }

    @Test
    void aSecondFactorResetEndsSessionsAndTheOldSecretStopsWorking() {
        StaffAccounts.Member m = staff.member(Roles.SUPPORT_AGENT);
        String token = given().auth().oauth2(staff.administrator().access)
                .when().post("/v1/staff/{id}/second-factor-reset", m.id).then().statusCode(200).extract().path("enrolmentToken");
        given().auth().oauth2(m.access).when().get("/v1/session").then().statusCode(401);
        staff.login(m, m.recoveryCodes.get(1)).statusCode(401);
        StaffAccounts.Member again = staff.signIn(staff.enrol(token));
        assertThat(again.id).isEqualTo(m.id);
        given().auth().oauth2(again.access).when().get("/v1/session").then().statusCode(200);
    }

    @Test
    void theFirstAdministratorComesFromTheBootstrapSecretOnlyWhileThereIsNone() throws Exception {
        String secret = Files.readString(config.secretDir().resolve(config.staff().bootstrapSecretFile())).trim();
        String login = StaffAccounts.newLogin("first");
        Map<String, String> body = Map.of("login", login, "displayName", "First Admin");
        String wrong = (secret.charAt(0) == '0' ? "1" : "0") + secret.substring(1);
        given().contentType(ContentType.JSON).header("X-Pledge-Bootstrap-Secret", wrong).body(body)
                .when().post("/internal/v1/staff/first-administrator").then().statusCode(403).contentType(PROBLEM);
        given().contentType(ContentType.JSON).body(body)
                .when().post("/internal/v1/staff/first-administrator").then().statusCode(403);
        staff.administrator(); // an enrolled administrator exists: the bootstrap is closed
        given().contentType(ContentType.JSON).header("X-Pledge-Bootstrap-Secret", secret).body(body)
                .when().post("/internal/v1/staff/first-administrator").then().statusCode(409).contentType(PROBLEM);
        // with every administrator of this database set aside, it opens, once
        List<UUID> admins = QuarkusTransaction.requiringNew().call(() -> {
            @SuppressWarnings("unchecked")
            List<UUID> ids = em.createNativeQuery(
                    "select id from staff_member where role = 'administrator' and status = 'ACTIVE'", UUID.class).getResultList();
            em.createNativeQuery("update staff_member set status = 'DISABLED' where id in (:ids)").setParameter("ids", ids)
                    .executeUpdate();
            return ids;
        });
        try {
            String enrolment = given().contentType(ContentType.JSON).header("X-Pledge-Bootstrap-Secret", secret).body(body)
                    .when().post("/internal/v1/staff/first-administrator").then().statusCode(201)
                    .body("role", equalTo(Roles.ADMINISTRATOR)).extract().path("enrolmentToken");
            StaffAccounts.Member first = staff.signIn(staff.enrol(enrolment));
            given().auth().oauth2(first.access).when().get("/v1/staff").then().statusCode(200);
            given().contentType(ContentType.JSON).header("X-Pledge-Bootstrap-Secret", secret)
                    .body(Map.of("login", StaffAccounts.newLogin("second"), "displayName", "Second"))
                    .when().post("/internal/v1/staff/first-administrator").then().statusCode(409);
        } finally {
            QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(
                    "update staff_member set status = 'ACTIVE' where id in (:ids)").setParameter("ids", admins).executeUpdate());
        }
    }

    private long count() {
        return QuarkusTransaction.requiringNew().call(() ->
                ((Number) em.createNativeQuery("select count(*) from staff_member").getSingleResult()).longValue());
    }
}
