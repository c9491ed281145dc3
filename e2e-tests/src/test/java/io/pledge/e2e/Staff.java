package io.pledge.e2e;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Staff members of the e2e system, signed in the way a real operator is: the first administrator is created by
 * running {@code deploy/local/admin create} itself against the e2e account-service and data folder; every other staff
 * member is created by that administrator over {@code POST /v1/staff}; each enrols with their one-time token and
 * signs in with password and a TOTP code computed here from the enrolment secret. The TOTP code is computed by
 * {@link Authenticator}, written independently of the service's own implementation, as a user's authenticator app
 * is. Tokens are refreshed through the staff session before they expire. Nothing here signs a token.
 */
final class Staff {

    private static final Map<String, Member> SIGNED_IN = new HashMap<>();
    private static Member administrator;

    private Staff() {
    }

    /** An enrolled, signed-in staff member and what a test needs to act as them. */
    static final class Member {
        final UUID id;
        final String login;
        final String role;
        final String password;
        final byte[] secret;
        final List<String> recoveryCodes;
        long lastStep;
        String access;
        String refresh;
        long refreshAt;

        Member(UUID id, String login, String role, String password, byte[] secret, List<String> recoveryCodes) {
            this.id = id;
            this.login = login;
            this.role = role;
            this.password = password;
            this.secret = secret;
            this.recoveryCodes = recoveryCodes;
        }

        /** A code of a step not used yet, within the ±1 step account-service accepts (waits for the clock if needed). */
        String nextCode() throws InterruptedException {
            long step = Math.max(lastStep + 1, Authenticator.step() - 1);
            while (step > Authenticator.step() + 1) {
                Thread.sleep(500);
            }
            lastStep = step;
            return Authenticator.code(secret, step);
        }

        /** A live access token: refreshed through the staff session a minute before it expires. */
        synchronized String token() {
            if (System.currentTimeMillis() > refreshAt) {
                tokens(given().baseUri(PledgeSystem.ACCOUNT.url()).contentType(ContentType.JSON)
                        .body(Map.of("refreshToken", refresh)).when().post("/v1/staff/sessions/refresh")
                        .then().statusCode(200).extract().jsonPath());
            }
            return access;
        }

        void tokens(JsonPath t) {
            access = t.getString("accessToken");
            refresh = t.getString("refreshToken");
            refreshAt = System.currentTimeMillis() + (t.getLong("expiresIn") - 60) * 1000;
        }
    }

    /** The token of this run's staff member with that role (one per role, signed in once, refreshed as needed). */
    static synchronized String token(String role) throws Exception {
        Member m = SIGNED_IN.get(role);
        if (m == null) {
            m = signIn(enrol(invite(role), role));
            SIGNED_IN.put(role, m);
        }
        return m.token();
    }

    /** The first administrator, created with {@code deploy/local/admin create} once per run. */
    static synchronized Member administrator() throws Exception {
        if (administrator == null) {
            String login = "admin-" + PledgeSystem.RUN.toLowerCase().replaceAll("[^a-z0-9]", "");
            ProcessBuilder pb = new ProcessBuilder(PledgeSystem.root().resolve("deploy/local/admin").toString(),
                    "create", login, "--name", "E2E Administrator").redirectErrorStream(true);
            pb.environment().put("PLEDGE_DATA_DIR", PledgeSystem.dataDir().toString());
            pb.environment().put("PLEDGE_ACCOUNT_URL", PledgeSystem.ACCOUNT.url());
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException("deploy/local/admin create failed: " + out);
            }
            Matcher token = Pattern.compile("deploy/local/admin enrol (\\S+)").matcher(out);
            if (!token.find()) {
                throw new IOException("deploy/local/admin create printed no enrolment token: " + out);
            }
            administrator = signIn(enrol(token.group(1), "administrator"));
        }
        return administrator;
    }

    /** The administrator creates a staff member of {@code role}: their one-time enrolment token. */
    static String invite(String role) throws Exception {
        return given().baseUri(PledgeSystem.ACCOUNT.url()).auth().oauth2(administrator().token())
                .contentType(ContentType.JSON)
                .body(Map.of("login", role + "-" + UUID.randomUUID().toString().substring(0, 8),
                        "displayName", "E2E " + role, "role", role))
                .when().post("/v1/staff").then().statusCode(201).extract().path("enrolmentToken");
    }

    /** Enrolment: password set, the secret taken from the otpauth URI (as an app scanning the QR does), confirmed. */
    static Member enrol(String enrolmentToken, String role) throws Exception {
        String password = "E2e-staff-" + UUID.randomUUID();
        JsonPath e = account().body(Map.of("token", enrolmentToken, "password", password))
                .when().post("/v1/staff/enrolment").then().statusCode(201).extract().jsonPath();
        Matcher secret = Pattern.compile("[?&]secret=([A-Z2-7]+)").matcher(e.getString("otpauthUri"));
        if (!secret.find()) {
            throw new IOException("no secret in the otpauth URI");
        }
        Member m = new Member(UUID.fromString(e.getString("staffId")), e.getString("login"), role, password,
                Authenticator.base32(secret.group(1)), e.getList("recoveryCodes", String.class));
        account().body(Map.of("token", enrolmentToken, "code", m.nextCode()))
                .when().post("/v1/staff/enrolment/confirmation").then().statusCode(204);
        return m;
    }

    static Member signIn(Member m) throws Exception {
        m.tokens(account().body(Map.of("login", m.login, "password", m.password, "code", m.nextCode()))
                .when().post("/v1/staff/sessions").then().statusCode(201).extract().jsonPath());
        return m;
    }

    private static io.restassured.specification.RequestSpecification account() {
        return given().baseUri(PledgeSystem.ACCOUNT.url()).contentType(ContentType.JSON);
    }

    /** What an authenticator app does: RFC 6238 TOTP, HMAC-SHA1, 6 digits, 30-second steps, Base32 secrets. */
    static final class Authenticator {

        private Authenticator() {
        }

        static long step() {
            return System.currentTimeMillis() / 1000 / 30;
        }

        static String code(byte[] secret, long step) {
            try {
                Mac mac = Mac.getInstance("HmacSHA1");
                mac.init(new SecretKeySpec(secret, "HmacSHA1"));
                byte[] h = mac.doFinal(ByteBuffer.allocate(8).putLong(step).array());
                int o = h[19] & 0xf;
                int v = ((h[o] & 0x7f) << 24 | (h[o + 1] & 0xff) << 16 | (h[o + 2] & 0xff) << 8 | (h[o + 3] & 0xff))
                        % 1_000_000;
                return String.format("%06d", v);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }

        static byte[] base32(String s) {
            String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
            ByteBuffer out = ByteBuffer.allocate(s.length() * 5 / 8);
            int buffer = 0;
            int bits = 0;
            for (char c : s.toCharArray()) {
                buffer = buffer << 5 | alphabet.indexOf(c);
                bits += 5;
                if (bits >= 8) {
                    out.put((byte) (buffer >> (bits - 8)));
                    bits -= 8;
                }
            }
            return out.array();
        }
    }
}
