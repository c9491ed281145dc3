package io.pledge.account.support;

import static io.restassured.RestAssured.given;

import io.pledge.account.staff.StaffService;
import io.pledge.kit.crypto.Totp;
import io.pledge.kit.security.Roles;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Staff members as a real one gets going: created by an administrator over {@code POST /v1/staff}, enrolled with
 * their one-time token, confirmed and signed in with TOTP codes computed here from the enrolment secret, as an
 * authenticator app computes them. The very first administrator of the test database is made by the service's own
 * {@link StaffService#create} (the bootstrap endpoint is tested on its own in {@code StaffTest}). A bean: tests
 * inject it.
 */
@Singleton
public class StaffAccounts {

    private static final AtomicInteger SEQ = new AtomicInteger();

    /** An enrolled staff member, the secrets a test uses, and the last TOTP step spent (each step signs in once). */
    public static final class Member {
        public final UUID id;
        public final String login;
        public final String password;
        public final byte[] secret;
        public final List<String> recoveryCodes;
        public long lastStep;
        public String access;
        public String refresh;
        long refreshAt;

        Member(UUID id, String login, String password, byte[] secret, List<String> recoveryCodes, long lastStep) {
            this.id = id;
            this.login = login;
            this.password = password;
            this.secret = secret;
            this.recoveryCodes = recoveryCodes;
            this.lastStep = lastStep;
        }

        /** A code of a step not used yet, within the ±1 step the service accepts; waits for the clock if needed. */
        public String nextCode() {
            long now = Totp.step(System.currentTimeMillis() / 1000);
            long step = Math.max(lastStep + 1, now - 1);
            while (step > Totp.step(System.currentTimeMillis() / 1000) + 1) {
                try {
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
            lastStep = step;
            return Totp.code(secret, step, 6);
        }
    }

    private final StaffService service;
    private final Map<String, Member> byRole = new java.util.HashMap<>();
    private Member admin;

    public StaffAccounts(StaffService service) {
        this.service = service;
    }

    public static String newLogin(String tag) {
        return tag + "-" + SEQ.incrementAndGet() + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** One administrator for the test run, signed in. */
    public synchronized Member administrator() {
        if (admin == null) {
            StaffService.Invitation i = service.create(newLogin("admin"), "Test Administrator", Roles.ADMINISTRATOR, null);
            admin = signIn(enrol(i.enrolmentToken()));
        }
        return admin;
    }

    /** A new staff member of that role, created by the administrator, enrolled and signed in. */
    public Member member(String role) {
        return signIn(enrol(invite(role)));
    }

    /** The administrator creates a staff member; the one-time enrolment token. */
    public String invite(String role) {
        return given().auth().oauth2(administrator().access).contentType(ContentType.JSON)
                .body(Map.of("login", newLogin(role), "displayName", "Staff " + role, "role", role))
                .when().post("/v1/staff").then().statusCode(201).extract().path("enrolmentToken");
    }

    /** Enrolment with the token: password set, secret read from the otpauth URI, confirmed with a code. */
    public Member enrol(String token) {
        String password = "Staff-pw-" + UUID.randomUUID();
        JsonPath e = given().contentType(ContentType.JSON).body(Map.of("token", token, "password", password))
                .when().post("/v1/staff/enrolment").then().statusCode(201).extract().jsonPath();
        String uri = e.getString("otpauthUri");
        String b32 = uri.replaceAll(".*[?&]secret=([A-Z2-7]+).*", "$1");
        Member m = new Member(UUID.fromString(e.getString("staffId")), e.getString("login"), password,
                Totp.fromBase32(b32), e.getList("recoveryCodes", String.class), 0);
        given().contentType(ContentType.JSON).body(Map.of("token", token, "code", m.nextCode()))
                .when().post("/v1/staff/enrolment/confirmation").then().statusCode(204);
        return m;
    }

    public io.restassured.response.ValidatableResponse login(Member m, String code) {
        return given().contentType(ContentType.JSON)
                .body(Map.of("login", m.login, "password", m.password, "code", code))
                .when().post("/v1/staff/sessions").then();
    }

    public Member signIn(Member m) {
        tokens(m, login(m, m.nextCode()).statusCode(201).extract().jsonPath());
        return m;
    }

    /** A live token of this run's staff member with that role: signed in once, refreshed through the session. */
    public synchronized String token(String role) {
        Member m = byRole.get(role);
        if (m == null) {
            m = member(role);
            byRole.put(role, m);
        } else if (System.currentTimeMillis() > m.refreshAt) {
            tokens(m, given().contentType(ContentType.JSON).body(Map.of("refreshToken", m.refresh))
                    .when().post("/v1/staff/sessions/refresh").then().statusCode(200).extract().jsonPath());
        }
        return m.access;
    }

    private static void tokens(Member m, JsonPath t) {
        m.access = t.getString("accessToken");
        m.refresh = t.getString("refreshToken");
        m.refreshAt = System.currentTimeMillis() + (t.getLong("expiresIn") - 60) * 1000;
    }
}
