package io.pledge.account.staff;

import io.pledge.account.config.AccountConfig;
import io.pledge.account.login.PasswordHasher;
import io.pledge.account.token.TokenIssuer;
import io.pledge.kit.crypto.PersonalString;
import io.pledge.kit.crypto.Totp;
import io.pledge.kit.problem.ProblemException;
import io.pledge.kit.problem.ProblemType;
import io.pledge.kit.security.Roles;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Staff accounts: creation with a one-time enrolment token, enrolment (password, TOTP secret, recovery codes),
 * sign-in with password and second factor, staff sessions and their tokens, logout, disabling and second-factor
 * resets. Every failed sign-in gets one answer whatever failed, counts towards a lock on the staff member's row
 * (taken with a row lock, so parallel guesses cannot race past it), and a locked member answers like a wrong guess.
 */
@ApplicationScoped
@Transactional(dontRollbackOn = StaffService.Refused.class)
public class StaffService {

    /** The roles a staff member can hold. */
    public static final Set<String> ROLES = Set.of(Roles.PRIVACY_OFFICER, Roles.SECURITY_OFFICER, Roles.SUPPORT_AGENT,
            Roles.ADMINISTRATOR);

    static final int RECOVERY_CODES = 10;
    private static final String ISSUER_LABEL = "Pledge";

    private final SecureRandom random = new SecureRandom();
    private final AccountConfig config;
    private final PasswordHasher hasher;
    private final TokenIssuer issuer;

    public StaffService(AccountConfig config, PasswordHasher hasher, TokenIssuer issuer) {
        this.config = config;
        this.hasher = hasher;
        this.issuer = issuer;
    }

    /** A new staff member (or a reset one) and the one-time token that lets them enrol; the token is shown once. */
    public record Invitation(UUID staffId, String login, String role, String enrolmentToken, String enrolmentUrl,
                             Instant expiresAt) {
    }

    /** What enrolment shows once: the otpauth URI for the authenticator app, its secret, and the recovery codes. */
    public record Enrolment(UUID staffId, String login, String otpauthUri, String secret, List<String> recoveryCodes) {
    }

    /** Tokens of a staff session; the refresh token is shown once and stored only as a hash. */
    public record Tokens(String accessToken, String refreshToken, String tokenType, long expiresIn, UUID staffId,
                         UUID sessionId, String role) {
    }

    /** A staff member as administrators list them (no secrets). */
    public record View(UUID staffId, String login, String displayName, String role, String status, boolean enrolled,
                       Instant createdAt) {
        static View of(StaffMember m) {
            return new View(m.id, m.login, m.displayName.isErased() ? null : m.displayName.value(), m.role, m.status,
                    m.enrolledAt != null, m.createdAt);
        }
    }

    /** An administrator creates a staff member, who is not usable until enrolled. */
    public Invitation create(String login, String displayName, String role, UUID createdBy) {
        String normalised = normaliseLogin(login);
        if (!ROLES.contains(role)) {
            throw new ProblemException(ProblemType.INVALID_INPUT, "The role must be one of " + ROLES + ".", "role");
        }
        if (StaffMember.count("login", normalised) > 0) {
            throw new ProblemException(ProblemType.CONFLICT, "A staff member with that login exists.", "login");
        }
        StaffMember m = new StaffMember();
        m.id = UUID.randomUUID();
        m.login = normalised;
        m.displayName = PersonalString.of(m.id, "displayName", displayName);
        m.role = role;
        m.status = StaffMember.ACTIVE;
        m.createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        m.createdBy = createdBy;
        String token = randomToken();
        m.enrolmentTokenHash = sha256(token);
        m.enrolmentExpiresAt = m.createdAt.plus(config.staff().enrolmentTtl());
        m.persist();
        Log.infof("staff member %s created with role %s by %s", m.id, role, createdBy == null ? "bootstrap" : createdBy);
        return invitation(m, token);
    }

    /**
     * The first administrator (the embedded default's {@code deploy/local/admin create}): allowed only while no
     * enrolled, active administrator exists. A login that exists but never enrolled gets a new enrolment token.
     */
    public Invitation firstAdministrator(String login, String displayName) {
        return firstAdministrator(login, displayName, null);
    }

    /** As {@link #firstAdministrator(String, String)} with the enrolment token chosen by the operator (a cluster Secret). */
    public Invitation firstAdministrator(String login, String displayName, String token) {
        if (StaffMember.count("role = ?1 and status = ?2 and enrolledAt is not null", Roles.ADMINISTRATOR,
                StaffMember.ACTIVE) > 0) {
            throw new ProblemException(ProblemType.CONFLICT,
                    "An administrator exists already: staff members are created by an administrator.");
        }
        String normalised = normaliseLogin(login);
        StaffMember m = StaffMember.find("login", normalised).firstResult();
        if (m == null) {
            Invitation i = create(normalised, displayName, Roles.ADMINISTRATOR, null);
            if (token == null) {
                return i;
            }
            m = StaffMember.findById(i.staffId());
        } else if (!Roles.ADMINISTRATOR.equals(m.role) || m.enrolledAt != null) {
            throw new ProblemException(ProblemType.CONFLICT, "A staff member with that login exists.", "login");
        }
        String t = token == null ? randomToken() : token;
        m.enrolmentTokenHash = sha256(t);
        m.enrolmentExpiresAt = Instant.now().plus(config.staff().enrolmentTtl());
        m.status = StaffMember.ACTIVE;
        return invitation(m, t);
    }

    /**
     * Step 1 of enrolment: the one-time token and a new password give a TOTP secret and recovery codes. Until it is
     * confirmed with a code, repeating it replaces both.
     */
    public Enrolment enrol(String token, String password) {
        StaffMember m = byEnrolmentToken(token);
        checkPassword(password);
        m.passwordHash = hasher.hash(password);
        byte[] secret = Totp.newSecret();
        String b32 = Totp.base32(secret);
        m.totpSecret = PersonalString.of(m.id, "totpSecret", b32);
        m.lastTotpStep = null;
        StaffRecoveryCode.delete("staffId", m.id);
        List<String> codes = new ArrayList<>();
        for (int i = 0; i < RECOVERY_CODES; i++) {
            String code = recoveryCode();
            StaffRecoveryCode c = new StaffRecoveryCode();
            c.codeHash = recoveryHash(m.id, code);
            c.staffId = m.id;
            c.persist();
            codes.add(code);
        }
        String uri = "otpauth://totp/" + ISSUER_LABEL + ":" + enc(m.login) + "?secret=" + b32 + "&issuer=" + ISSUER_LABEL
                + "&algorithm=SHA1&digits=6&period=30";
        return new Enrolment(m.id, m.login, uri, b32, codes);
    }

    /** Step 2: a valid TOTP code proves the authenticator holds the secret; the enrolment token is then used up. */
    public void confirm(String token, String code) {
        StaffMember m = byEnrolmentToken(token);
        if (m.totpSecret == null || m.passwordHash == null) {
            throw new ProblemException(ProblemType.CONFLICT, "Enrol first: set a password to get the TOTP secret.");
        }
        long step = Totp.matchingStep(Totp.fromBase32(m.totpSecret.value()), code, Totp.step(now()), 1);
        if (step < 0) {
            throw new ProblemException(ProblemType.UNPROCESSABLE, "The code does not verify.", "code");
        }
        m.lastTotpStep = step;
        m.enrolledAt = Instant.now();
        m.enrolmentTokenHash = null;
        m.enrolmentExpiresAt = null;
        Log.infof("staff member %s enrolled", m.id);
    }

    /**
     * Sign-in: password and a TOTP code or an unused recovery code (then used up). A wrong password, a wrong or
     * replayed code (its step used before), a used recovery code, an unknown or disabled login, an unenrolled one and
     * a locked one all get the same 401.
     */
    public Tokens login(String login, String password, String code) {
        StaffMember found = login == null ? null : StaffMember.find("login", login.trim().toLowerCase()).firstResult();
        if (found == null || !found.active() || found.enrolledAt == null) {
            hasher.burn(password);
            throw new Refused();
        }
        StaffMember m = StaffMember.findById(found.id, LockModeType.PESSIMISTIC_WRITE);
        Instant now = Instant.now();
        if (m.lockedUntil != null && now.isBefore(m.lockedUntil)) {
            hasher.burn(password);
            throw new Refused();
        }
        boolean passwordOk = hasher.matches(password, m.passwordHash);
        boolean secondOk = passwordOk && secondFactor(m, code);
        if (!secondOk) {
            m.failedLogins++;
            if (m.failedLogins >= config.staff().maxFailures()) {
                m.lockedUntil = now.plus(config.staff().lockFor());
                m.failedLogins = 0;
                Log.infof("staff member %s locked after failed sign-ins", m.id);
            }
            throw new Refused();
        }
        m.failedLogins = 0;
        m.lockedUntil = null;
        StaffSession s = new StaffSession();
        s.id = UUID.randomUUID();
        s.staffId = m.id;
        s.createdAt = now.truncatedTo(ChronoUnit.MICROS);
        s.expiresAt = s.createdAt.plus(config.staff().sessionTtl());
        s.persist();
        return tokens(m, s);
    }

    /** Rotates a staff refresh token; a token presented twice ends its session. */
    public Tokens refresh(String refreshToken) {
        StaffRefreshToken t = StaffRefreshToken.findById(sha256(refreshToken), LockModeType.PESSIMISTIC_WRITE);
        if (t == null) {
            throw new Refused("The refresh token is not valid.");
        }
        StaffSession s = StaffSession.findById(t.sessionId, LockModeType.PESSIMISTIC_WRITE);
        Instant now = Instant.now();
        if (t.usedAt != null) {
            end(s, "REFRESH_REUSED");
            throw new Refused("The refresh token was already used; the session has ended.");
        }
        StaffMember m = StaffMember.findById(s.staffId);
        if (!s.live(now) || m == null || !m.active()) {
            throw new Refused("The session has ended; sign in again.");
        }
        t.usedAt = now;
        return tokens(m, s);
    }

    /** The live session {@code sessionId} of staff member {@code staffId}, or null. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public StaffSession liveSession(UUID staffId, UUID sessionId) {
        StaffSession s = StaffSession.findById(sessionId);
        if (s == null || !s.staffId.equals(staffId) || !s.live(Instant.now())) {
            return null;
        }
        StaffMember m = StaffMember.findById(staffId);
        return m != null && m.active() ? s : null;
    }

    public void logout(UUID sessionId) {
        end(StaffSession.findById(sessionId), "LOGOUT");
    }

    /** An administrator disables a staff member: every session of theirs ends at once. */
    public View disable(UUID staffId, UUID by) {
        StaffMember m = member(staffId);
        if (Roles.ADMINISTRATOR.equals(m.role) && m.active() && StaffMember.count(
                "role = ?1 and status = ?2 and enrolledAt is not null and id <> ?3", Roles.ADMINISTRATOR,
                StaffMember.ACTIVE, m.id) == 0) {
            throw new ProblemException(ProblemType.CONFLICT, "The last active administrator cannot be disabled.");
        }
        m.status = StaffMember.DISABLED;
        m.enrolmentTokenHash = null;
        endAll(m.id, "DISABLED");
        Log.infof("staff member %s disabled by %s", m.id, by);
        return View.of(m);
    }

    /** An administrator resets a staff member's second factor: sessions end; they enrol again with a new token. */
    public Invitation resetSecondFactor(UUID staffId, UUID by) {
        StaffMember m = member(staffId);
        if (!m.active()) {
            throw new ProblemException(ProblemType.CONFLICT, "The staff member is disabled.");
        }
        m.totpSecret = null;
        m.lastTotpStep = null;
        m.enrolledAt = null;
        m.passwordHash = null;
        StaffRecoveryCode.delete("staffId", m.id);
        endAll(m.id, "SECOND_FACTOR_RESET");
        String token = randomToken();
        m.enrolmentTokenHash = sha256(token);
        m.enrolmentExpiresAt = Instant.now().plus(config.staff().enrolmentTtl());
        Log.infof("second factor of staff member %s reset by %s", m.id, by);
        return invitation(m, token);
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<View> list() {
        return StaffMember.<StaffMember>listAll().stream().map(View::of)
                .sorted(java.util.Comparator.comparing(View::login)).toList();
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public View view(UUID staffId) {
        // a read: no row lock (member() locks, which needs a transaction this SUPPORTS method may not have)
        StaffMember m = staffId == null ? null : StaffMember.findById(staffId);
        if (m == null) {
            throw new ProblemException(ProblemType.NOT_FOUND, "No such staff member.", "staffId");
        }
        return View.of(m);
    }

    private StaffMember member(UUID staffId) {
        StaffMember m = staffId == null ? null : StaffMember.findById(staffId, LockModeType.PESSIMISTIC_WRITE);
        if (m == null) {
            throw new ProblemException(ProblemType.NOT_FOUND, "No such staff member.", "staffId");
        }
        return m;
    }

    private boolean secondFactor(StaffMember m, String code) {
        if (code == null) {
            return false;
        }
        String c = code.trim();
        if (c.matches("[0-9]{6}")) {
            long step = Totp.matchingStep(Totp.fromBase32(m.totpSecret.value()), c, Totp.step(now()), 1);
            if (step < 0 || (m.lastTotpStep != null && step <= m.lastTotpStep)) {
                return false;
            }
            m.lastTotpStep = step;
            return true;
        }
        StaffRecoveryCode r = StaffRecoveryCode.findById(recoveryHash(m.id, c), LockModeType.PESSIMISTIC_WRITE);
        if (r == null || !r.staffId.equals(m.id) || r.usedAt != null) {
            return false;
        }
        r.usedAt = Instant.now();
        Log.infof("staff member %s signed in with a recovery code", m.id);
        return true;
    }

    private void endAll(UUID staffId, String reason) {
        StaffSession.update("endedAt = ?1, endReason = ?2 where staffId = ?3 and endedAt is null",
                Instant.now().truncatedTo(ChronoUnit.MICROS), reason, staffId);
    }

    private static void end(StaffSession s, String reason) {
        if (s != null && s.endedAt == null) {
            s.endedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
            s.endReason = reason;
        }
    }

    private StaffMember byEnrolmentToken(String token) {
        StaffMember m = token == null ? null : StaffMember.find("enrolmentTokenHash", sha256(token)).firstResult();
        if (m == null || !m.active() || m.enrolmentExpiresAt == null || Instant.now().isAfter(m.enrolmentExpiresAt)) {
            throw new ProblemException(ProblemType.UNPROCESSABLE,
                    "The enrolment token is not valid (unknown, used, or expired): ask an administrator for a new one.",
                    "token");
        }
        return StaffMember.findById(m.id, LockModeType.PESSIMISTIC_WRITE);
    }

    private Tokens tokens(StaffMember m, StaffSession s) {
        byte[] raw = new byte[32];
        random.nextBytes(raw);
        String refresh = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        StaffRefreshToken t = new StaffRefreshToken();
        t.tokenHash = sha256(refresh);
        t.sessionId = s.id;
        t.issuedAt = Instant.now();
        t.persist();
        java.time.Duration ttl = config.staff().accessTokenTtl();
        java.time.Duration left = java.time.Duration.between(Instant.now(), s.expiresAt);
        if (left.compareTo(ttl) < 0) {
            ttl = left;
        }
        String access = issuer.staffToken(m.id, m.role, s.id, m.login,
                m.displayName.isErased() ? m.login : m.displayName.value(), ttl);
        return new Tokens(access, refresh, "Bearer", ttl.toSeconds(), m.id, s.id, m.role);
    }

    private Invitation invitation(StaffMember m, String token) {
        return new Invitation(m.id, m.login, m.role, token, config.staff().enrolmentUrl() + "#token=" + token,
                m.enrolmentExpiresAt);
    }

    private void checkPassword(String password) {
        int min = config.password().minLength();
        if (password == null || password.length() < Math.max(min, 12) || password.length() > 128) {
            throw new ProblemException(ProblemType.INVALID_INPUT,
                    "A staff password has " + Math.max(min, 12) + " to 128 characters.", "password");
        }
    }

    static String normaliseLogin(String login) {
        String l = login == null ? "" : login.trim().toLowerCase();
        if (!l.matches("[a-z][a-z0-9._-]{1,63}")) {
            throw new ProblemException(ProblemType.INVALID_INPUT,
                    "A staff login is 2 to 64 characters: a letter, then letters, digits, '.', '_' or '-'.", "login");
        }
        return l;
    }

    private String randomToken() {
        byte[] raw = new byte[32];
        random.nextBytes(raw);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    }

    /** 16 Base32 characters (80 bits) in four groups, e.g. {@code ABCD-EFGH-IJKL-MNOP}. */
    private String recoveryCode() {
        byte[] raw = new byte[10];
        random.nextBytes(raw);
        String s = Totp.base32(raw);
        return s.substring(0, 4) + "-" + s.substring(4, 8) + "-" + s.substring(8, 12) + "-" + s.substring(12, 16);
    }

    private static String recoveryHash(UUID staffId, String code) {
        return sha256(staffId + ":" + code.trim().toUpperCase().replace(" ", ""));
    }

    private static long now() {
        return System.currentTimeMillis() / 1000;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static String sha256(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A refused sign-in or refresh: one answer whatever failed, and the counted failure stays. */
    public static class Refused extends ProblemException {
        public Refused() {
            this("The login, the password or the second factor is wrong.");
        }

        public Refused(String detail) {
            super(ProblemType.UNAUTHORIZED, detail);
        }
    }
}
