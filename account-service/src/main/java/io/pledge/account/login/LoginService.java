package io.pledge.account.login;

import io.pledge.account.config.AccountConfig;
import io.pledge.account.registration.Account;
import io.pledge.account.registration.ContactValues;
import io.pledge.account.registration.LookupKey;
import io.pledge.account.token.TokenIssuer;
import io.pledge.account.verification.RateLimiter;
import io.pledge.events.account.SessionsRevoked;
import io.pledge.kit.outbox.Outbox;
import io.pledge.kit.problem.ProblemException;
import io.pledge.kit.problem.ProblemType;
import io.pledge.kit.security.Roles;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.UUID;

/**
 * Password login, refresh-token rotation, logout, and revocation of every session (policy 5.1).
 * Failed passwords count towards a lock of the account and a limit of the client address; an unknown
 * login id, an unverified channel, a locked account and a wrong password get the same answer after the
 * same work.
 */
@ApplicationScoped
@Transactional(dontRollbackOn = LoginService.Refused.class)
public class LoginService {

    private final SecureRandom random = new SecureRandom();
    private final AccountConfig config;
    private final LookupKey lookup;
    private final PasswordHasher hasher;
    private final TokenIssuer issuer;
    private final Outbox outbox;
    private final RateLimiter limiter;

    public LoginService(AccountConfig config, LookupKey lookup, PasswordHasher hasher, TokenIssuer issuer, Outbox outbox,
                        RateLimiter limiter) {
        this.limiter = limiter;
        this.config = config;
        this.lookup = lookup;
        this.hasher = hasher;
        this.issuer = issuer;
        this.outbox = outbox;
    }

    /** Tokens of a new or refreshed session. The refresh token is shown once and stored only as a hash. */
    public record Tokens(String accessToken, String refreshToken, String tokenType, long expiresIn, UUID subjectId,
                         UUID sessionId) {
    }

    /** The account a verified login id names, or null (no such account, channel not verified, or cancelled). */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Account byLogin(String channel, String normalised) {
        String column = ContactValues.EMAIL.equals(channel) ? "emailLookup" : "mobileLookup";
        Account a = Account.find(column, lookup.hash(channel, normalised)).firstResult();
        if (a == null || !a.verified(channel) || Account.CANCELLED.equals(a.status)
                || Account.PENDING_VERIFICATION.equals(a.status)) {
            return null;
        }
        return a;
    }

    /**
     * Password login from {@code clientAddress}. A failure counts towards the client address's limit (429 past it,
     * before any hash is computed) and towards the account's lock; a locked account answers exactly like an unknown
     * login id or a wrong password, after the same work, so a lock does not tell that the account exists.
     */
    public Tokens login(String login, String password, String clientAddress) {
        String channel = ContactValues.channelOf(login);
        String normalised = ContactValues.normalise(channel, login, "login");
        Account a = withAddressLimit(clientAddress, () -> verify(byLogin(channel, normalised), password));
        if (a.passwordResetRequired) {
            throw new ProblemException(ProblemType.FORBIDDEN,
                    "The password must be reset with a verification code before logging in (a compromise was reported).",
                    "password");
        }
        return open(a);
    }

    /**
     * Checks the current password of the signed-in subject {@code subject} (before a change of email or mobile):
     * counted like a login — the client address's limit, the account's lock — and refused with {@link Refused}
     * whether it is wrong or the account is locked. Returns the account, locked for update.
     */
    public Account confirmPassword(UUID subject, String password, String clientAddress) {
        return withAddressLimit(clientAddress, () -> verify(Account.findById(subject), password));
    }

    /**
     * Runs a password check as one attempt of {@code clientAddress}: the attempt is reserved before the check (so
     * parallel attempts cannot all pass the count) and given back when the password was right or never checked.
     */
    private Account withAddressLimit(String clientAddress, java.util.function.Supplier<Account> check) {
        AccountConfig.Login c = config.login();
        RateLimiter.Permit permit = limiter.acquire("failed logins", c.addressWindow(),
                new RateLimiter.Limit(limiter.addressBucket("l", clientAddress), c.perAddress(), "client address"));
        Account a;
        try {
            a = check.get();
        } catch (Refused counted) {
            throw counted;
        } catch (RuntimeException notChecked) {
            limiter.release(permit); // a busy hasher (503) or bad input: no password was tried
            throw notChecked;
        }
        limiter.release(permit);
        return a;
    }

    /**
     * The one password check: {@code found} null (unknown, unverified or cancelled), locked, or a wrong password are
     * refused alike after one hash each; a wrong one counts towards the lock, and the {@code max-failures}-th locks
     * the account for {@code lock-for}. The row is locked and re-read before counting, so parallel wrong passwords
     * are counted one after the other and lock after exactly {@code max-failures}.
     */
    private Account verify(Account found, String password) {
        Instant now = Instant.now();
        if (found == null || locked(found, now)) {
            hasher.burn(password);
            throw new Refused();
        }
        // re-read under the row lock: the copy read before may be stale when attempts run in parallel
        Account.getEntityManager().refresh(found, LockModeType.PESSIMISTIC_WRITE);
        Account a = found;
        if (locked(a, now) || Account.CANCELLED.equals(a.status)) {
            hasher.burn(password);
            throw new Refused();
        }
        if (!hasher.matches(password == null ? "" : password, a.passwordHash)) {
            a.failedLogins++;
            if (a.failedLogins >= config.login().maxFailures()) {
                a.lockedUntil = now.plus(config.login().lockFor());
                a.failedLogins = 0;
                Log.infof("account %s locked after %d failed passwords", a.id, config.login().maxFailures());
            }
            throw new Refused();
        }
        a.failedLogins = 0;
        a.lockedUntil = null;
        return a;
    }

    private static boolean locked(Account a, Instant now) {
        return a.lockedUntil != null && now.isBefore(a.lockedUntil);
    }

    /** Opens a session for an account whose identity was just proven (password or login code). */
    public Tokens open(Account a) {
        LoginSession s = new LoginSession();
        s.id = UUID.randomUUID();
        s.subjectId = a.id;
        s.createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        s.expiresAt = s.createdAt.plus(config.login().sessionTtl());
        s.persist();
        return tokens(a, s);
    }

    /** Rotates a refresh token. A token presented twice means it leaked: its whole session is revoked. */
    public Tokens refresh(String refreshToken) {
        RefreshToken t = RefreshToken.findById(sha256(refreshToken), LockModeType.PESSIMISTIC_WRITE);
        if (t == null) {
            throw new Refused("The refresh token is not valid.");
        }
        LoginSession s = LoginSession.findById(t.sessionId, LockModeType.PESSIMISTIC_WRITE);
        Instant now = Instant.now();
        if (t.usedAt != null) {
            if (s.revokedAt == null) {
                s.revokedAt = now;
                s.revokeReason = "REFRESH_REUSED";
            }
            throw new Refused("The refresh token was already used; the session is revoked.");
        }
        Account a = Account.findById(s.subjectId);
        if (!s.active(now) || a == null || Account.CANCELLED.equals(a.status) || a.passwordResetRequired) {
            throw new Refused("The session has ended; log in again.");
        }
        t.usedAt = now;
        return tokens(a, s);
    }

    /** Logout: ends the caller's session; other sessions stay. */
    public void logout(UUID sessionId) {
        LoginSession s = LoginSession.findById(sessionId);
        if (s != null && s.revokedAt == null) {
            s.revokedAt = Instant.now();
            s.revokeReason = "LOGOUT";
        }
    }

    /** Ends every session of a subject and publishes {@code SessionsRevoked}; returns how many were live. */
    public int revokeAll(UUID subject, String reason) {
        return revokeAllBut(subject, null, reason);
    }

    /**
     * Ends every session of a subject but {@code keep} (the caller's own, e.g. after a contact change it made; null
     * keeps none) and publishes {@code SessionsRevoked} naming the kept one; returns how many ended.
     */
    public int revokeAllBut(UUID subject, UUID keep, String reason) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        int n = keep == null
                ? LoginSession.update("revokedAt = ?1, revokeReason = ?2 where subjectId = ?3 and revokedAt is null",
                        now, reason, subject)
                : LoginSession.update("revokedAt = ?1, revokeReason = ?2 where subjectId = ?3 and revokedAt is null"
                        + " and id <> ?4", now, reason, subject, keep);
        outbox.publish(new SessionsRevoked(subject, reason, now, keep));
        return n;
    }

    /**
     * Policy 5.3, an incident affecting credentials or sessions: every live session of every account
     * ends and every active account must reset its password with a code before logging in again.
     * Recorded once, by the holder reply to the incident's {@code BreachMeasuresRequested}.
     */
    public BreachRevocation revokeEverySessionForBreach() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        int resets = Account.update("passwordResetRequired = true where status = ?1 and passwordResetRequired = false",
                Account.ACTIVE);
        int sessions = LoginSession.update("revokedAt = ?1, revokeReason = ?2 where revokedAt is null", now,
                "BREACH_MEASURES");
        return new BreachRevocation(sessions, resets);
    }

    /** What the breach measures changed: live sessions revoked, accounts newly required to reset their password. */
    public record BreachRevocation(int sessionsRevoked, int passwordResetsForced) {
    }

    /** Policy 5.1: every session ends and the password must be reset before the next login. */
    public int reportCompromise(UUID subject) {
        Account a = Account.findById(subject, LockModeType.PESSIMISTIC_WRITE);
        if (a == null || Account.CANCELLED.equals(a.status)) {
            throw new ProblemException(ProblemType.NOT_FOUND, "No such account.");
        }
        a.passwordResetRequired = true;
        return revokeAll(subject, "COMPROMISE_REPORTED");
    }

    /** A password reset proven with a code: new hash, lock and reset flag cleared, every session ended. */
    public void resetPassword(UUID subject, String newPassword) {
        Account a = Account.findById(subject, LockModeType.PESSIMISTIC_WRITE);
        a.passwordHash = hasher.hash(newPassword);
        a.passwordResetRequired = false;
        a.failedLogins = 0;
        a.lockedUntil = null;
        revokeAll(subject, "PASSWORD_RESET");
    }

    private Tokens tokens(Account a, LoginSession s) {
        byte[] raw = new byte[32];
        random.nextBytes(raw);
        String refresh = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        RefreshToken t = new RefreshToken();
        t.tokenHash = sha256(refresh);
        t.sessionId = s.id;
        t.issuedAt = Instant.now();
        t.persist();
        Set<String> roles = new LinkedHashSet<>();
        roles.add(Roles.SUBJECT);
        if (Account.count("guardianId", a.id) > 0) {
            roles.add(Roles.GUARDIAN);
        }
        String access = issuer.accessToken(a.id.toString(), roles, s.id);
        return new Tokens(access, refresh, "Bearer", issuer.accessTtl().toSeconds(), a.id, s.id);
    }

    static String sha256(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest((value == null ? "" : value).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A refused login or refresh: one answer whatever the reason, and the counted failure stays. */
    public static class Refused extends ProblemException {
        public Refused() {
            this("The login id or the password is wrong.");
        }

        public Refused(String detail) {
            super(ProblemType.UNAUTHORIZED, detail);
        }
    }
}
