package io.pledge.account.minors;

import io.pledge.account.config.AccountConfig;
import io.pledge.account.holder.Erasure;
import io.pledge.account.login.Caller;
import io.pledge.account.registration.Account;
import io.pledge.events.account.AccountCancelled;
import io.pledge.events.account.GuardianLinked;
import io.pledge.kit.outbox.Outbox;
import io.pledge.kit.problem.ProblemException;
import io.pledge.kit.problem.ProblemType;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Period;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

/**
 * Minors (policy 7). A child under the guardian age waits in PENDING_GUARDIAN with only registration
 * data processed; an adult account links as guardian with the one-time link code the child was given
 * and consents, which makes the account ACTIVE. Without that, the child's data is erased after
 * {@code pledge.account.minors.erase-after-days}. A guardian reads, corrects and deletes the ward's data.
 */
@ApplicationScoped
@Transactional
public class GuardianService {

    private static final char[] ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789".toCharArray();

    private final SecureRandom random = new SecureRandom();
    private final AccountConfig config;
    private final Caller caller;
    private final Outbox outbox;
    private final Erasure erasure;

    public GuardianService(AccountConfig config, Caller caller, Outbox outbox, Erasure erasure) {
        this.config = config;
        this.caller = caller;
        this.outbox = outbox;
        this.erasure = erasure;
    }

    /** What a link did. */
    public record Linked(UUID wardId, UUID guardianId, String status, Instant linkedAt) {
    }

    /** A one-time code (50 bits) the child hands to the guardian; only its SHA-256 is stored. */
    @Transactional(Transactional.TxType.MANDATORY)
    public String issueLinkCode(Account ward) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 10; i++) {
            b.append(ALPHABET[random.nextInt(ALPHABET.length)]);
        }
        ward.guardianLinkHash = sha256(b.toString());
        return b.toString();
    }

    public Linked link(UUID wardId, String linkCode, boolean consent) {
        UUID guardianId = caller.subject();
        Account guardian = Account.findById(guardianId);
        if (guardian == null || !Account.ACTIVE.equals(guardian.status) || guardian.minor
                || Period.between(LocalDate.parse(guardian.birthDate.value()), LocalDate.now(ZoneOffset.UTC)).getYears()
                < config.minors().adultAge()) {
            throw new ProblemException(ProblemType.FORBIDDEN, "Only an active adult account can be a guardian.");
        }
        if (!consent) {
            throw new ProblemException(ProblemType.UNPROCESSABLE,
                    "A guardian links by consenting to the processing of the ward's data.", "consent");
        }
        Account ward = Account.findById(wardId, LockModeType.PESSIMISTIC_WRITE);
        if (ward == null || !Account.PENDING_GUARDIAN.equals(ward.status) || ward.guardianLinkHash == null
                || !MessageDigest.isEqual(ward.guardianLinkHash.getBytes(StandardCharsets.US_ASCII),
                sha256(linkCode).getBytes(StandardCharsets.US_ASCII))) {
            throw new ProblemException(ProblemType.UNPROCESSABLE, "The link code does not match a child awaiting a guardian.",
                    "linkCode");
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        ward.guardianId = guardianId;
        ward.guardianConsentedAt = now;
        ward.guardianLinkHash = null;
        ward.eraseAfter = null;
        ward.status = Account.ACTIVE;
        outbox.publish(new GuardianLinked(ward.id, guardianId, now));
        return new Linked(ward.id, guardianId, ward.status, now);
    }

    /** The guardian deletes the ward's data (policy 7.4.3): erased here, and the account is cancelled everywhere. */
    public void deleteWard(UUID wardId) {
        Caller.Access access = caller.selfOrWard(wardId);
        if (access.acting() != Caller.Acting.GUARDIAN) {
            throw new ProblemException(ProblemType.FORBIDDEN, "Only the linked guardian deletes a ward's account here.");
        }
        eraseMinor(wardId, Instant.now());
    }

    /** Erases every child whose guardian did not link in time (policy 7.3). Returns how many. */
    public int sweep(Instant now) {
        List<Account> due = Account.list("status = ?1 and eraseAfter < ?2", Account.PENDING_GUARDIAN, now);
        for (Account a : due) {
            eraseMinor(a.id, now);
        }
        if (!due.isEmpty()) {
            Log.infof("erased %d unconsented minor accounts", due.size());
        }
        return due.size();
    }

    private void eraseMinor(UUID subject, Instant now) {
        erasure.erase(subject, false);
        outbox.publish(new AccountCancelled(subject, now.truncatedTo(ChronoUnit.MICROS), null));
    }

    private static String sha256(String v) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest((v == null ? "" : v).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
