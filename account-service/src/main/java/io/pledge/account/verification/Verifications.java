package io.pledge.account.verification;

import io.pledge.account.config.AccountConfig;
import io.pledge.account.registration.Account;
import io.pledge.account.registration.ContactValues;
import io.pledge.events.notification.NoticeRequested;
import io.pledge.kit.crypto.PersonalString;
import io.pledge.kit.outbox.Outbox;
import io.pledge.kit.problem.ProblemException;
import io.pledge.kit.problem.ProblemType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Issues and checks 6-digit verification codes. A code is stored sealed under the subject's key and
 * announced with a {@code NoticeRequested} that carries only the notice id, purpose and expiry:
 * notification-service fetches the code and address at send time from
 * {@code GET /internal/v1/notices/{id}/secret}, so neither is ever written to Kafka or a log.
 */
@ApplicationScoped
@Transactional
public class Verifications {

    private final SecureRandom random = new SecureRandom();
    private final AccountConfig config;
    private final RateLimiter limiter;
    private final Outbox outbox;

    public Verifications(AccountConfig config, RateLimiter limiter, Outbox outbox) {
        this.config = config;
        this.limiter = limiter;
        this.outbox = outbox;
    }

    /** What a client learns about an issued code: never the code. */
    public record Issued(UUID verificationId, String channel, Instant expiresAt) {
    }

    /**
     * Issues a code to one of the account's channels (or, for a contact change, to the new value),
     * counted against the contact's and the client address's limits.
     *
     * @param contactLookup lookup hash of the address the code goes to
     * @param pendingValue  the new contact value for CONTACT_CHANGE, else null
     * @param clientAddress the caller's address, or null for an authenticated internal caller
     */
    public Issued issue(Account account, String purpose, String channel, String contactLookup, String pendingValue,
                        String clientAddress) {
        return issue(account, purpose, channel, contactLookup, pendingValue, clientAddress, null);
    }

    /** As above, recording the login session that asked for it (a contact change keeps that session alive). */
    public Issued issue(Account account, String purpose, String channel, String contactLookup, String pendingValue,
                        String clientAddress, UUID sessionId) {
        AccountConfig.Codes c = config.codes();
        if (clientAddress == null) {
            // an authenticated internal caller (identity verification for a rights request): the
            // contact's own limit still applies; the caller is not a client address
            limiter.acquire(c.window(),
                    new RateLimiter.Limit(RateLimiter.contactBucket(contactLookup), c.perContact(), "contact"));
        } else {
            limiter.acquire(c.window(),
                    new RateLimiter.Limit(RateLimiter.contactBucket(contactLookup), c.perContact(), "contact"),
                    new RateLimiter.Limit(limiter.addressBucket(clientAddress), c.perAddress(), "client address"));
        }
        VerificationCode v = new VerificationCode();
        v.id = UUID.randomUUID();
        v.subjectId = account.id;
        v.purpose = purpose;
        v.channel = channel;
        v.code = PersonalString.of(account.id, "code", String.format("%06d", random.nextInt(1_000_000)));
        v.pendingValue = pendingValue == null ? null : PersonalString.of(account.id, "pendingValue", pendingValue);
        v.maxAttempts = c.maxAttempts();
        v.sessionId = sessionId;
        v.createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        v.expiresAt = v.createdAt.plus(c.ttl());
        v.persist();
        outbox.publish(new NoticeRequested(v.id, account.id, "VERIFICATION_CODE", "verification-code",
                List.of(ContactValues.EMAIL.equals(channel) ? "EMAIL" : "SMS"), "zh-CN",
                Map.of("purpose", purpose, "expiresAt", v.expiresAt.truncatedTo(ChronoUnit.SECONDS).toString()),
                v.createdAt));
        return new Issued(v.id, channel, v.expiresAt);
    }

    /** An id that looks issued but was not: the answer for an unknown login id, so accounts cannot be enumerated. */
    public Issued decoy(String channel, String contactLookup, String clientAddress) {
        AccountConfig.Codes c = config.codes();
        limiter.acquire(c.window(),
                new RateLimiter.Limit(RateLimiter.contactBucket(contactLookup), c.perContact(), "contact"),
                new RateLimiter.Limit(limiter.addressBucket(clientAddress), c.perAddress(), "client address"));
        return new Issued(UUID.randomUUID(), channel, Instant.now().plus(c.ttl()));
    }

    /** As {@link #consume(UUID, String, String, String)} for an authenticated internal caller (no client address). */
    @Transactional(dontRollbackOn = WrongCode.class)
    public VerificationCode consume(UUID id, String purpose, String code) {
        return consume(id, purpose, code, null);
    }

    /**
     * Checks a code for {@code purpose}. A wrong code counts a try and is refused with
     * {@link WrongCode} (which does not roll back, so the try stays counted); a right one is consumed.
     * Unknown, expired, used-up and wrong codes get the same answer. The code's row is locked and read
     * afresh before it is compared, so parallel guesses are counted one after the other: however many
     * arrive at once, at most {@code max-attempts} are compared, and after them even the right code fails.
     * Each confirmation from {@code clientAddress} (null: an internal caller) also counts towards the
     * address's {@code guesses-per-address} (429 past it, before anything is compared); a right code is
     * given back.
     */
    @Transactional(dontRollbackOn = WrongCode.class)
    public VerificationCode consume(UUID id, String purpose, String code, String clientAddress) {
        AccountConfig.Codes c = config.codes();
        RateLimiter.Permit permit = clientAddress == null ? null : limiter.acquire("code confirmations", c.window(),
                new RateLimiter.Limit(limiter.addressBucket("g", clientAddress), c.guessesPerAddress(), "client address"));
        VerificationCode v = VerificationCode.findById(id, LockModeType.PESSIMISTIC_WRITE);
        Instant now = Instant.now();
        if (v == null || !v.purpose.equals(purpose) || !v.usable(now) || v.code.isErased()) {
            throw new WrongCode();
        }
        boolean right = MessageDigest.isEqual(v.code.value().getBytes(StandardCharsets.US_ASCII),
                (code == null ? "" : code).getBytes(StandardCharsets.US_ASCII));
        if (!right) {
            v.attempts++;
            throw new WrongCode();
        }
        v.consumedAt = now;
        limiter.release(permit);
        return v;
    }

    /** The one answer to every code that does not verify. */
    public static class WrongCode extends ProblemException {
        public WrongCode() {
            super(ProblemType.UNPROCESSABLE, "The code is wrong, expired or used up; request a new one.", "code");
        }
    }
}
