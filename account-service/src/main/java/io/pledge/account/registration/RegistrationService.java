package io.pledge.account.registration;

import io.pledge.account.cessation.CollectionGate;
import io.pledge.account.config.AccountConfig;
import io.pledge.account.idempotency.IdempotentRequests;
import io.pledge.account.login.PasswordHasher;
import io.pledge.account.profile.Profile;
import io.pledge.account.verification.VerificationCode;
import io.pledge.account.verification.Verifications;
import io.pledge.events.account.AccountRegistered;
import io.pledge.events.account.ContactVerified;
import io.pledge.events.notification.NoticeRequested;
import io.pledge.kit.crypto.PersonalString;
import io.pledge.kit.outbox.Outbox;
import io.pledge.kit.problem.ProblemException;
import io.pledge.kit.problem.ProblemType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Period;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Registration (policy 2.1.1(1)): user name, email, mobile, password and birth date; codes go to the
 * mobile and the email; the account becomes ACTIVE (or PENDING_GUARDIAN for a child, policy 7) once
 * the mobile is verified. A duplicate is refused naming the field — registration must say that much;
 * the per-address rate limit bounds how far it can be used to probe.
 */
@ApplicationScoped
@Transactional
public class RegistrationService {

    private final AccountConfig config;
    private final LookupKey lookup;
    private final PasswordHasher hasher;
    private final Verifications verifications;
    private final Outbox outbox;
    private final IdempotentRequests idempotent;
    private final EntityManager em;
    private final CollectionGate gate;

    public RegistrationService(AccountConfig config, LookupKey lookup, PasswordHasher hasher, Verifications verifications,
                               Outbox outbox, IdempotentRequests idempotent, EntityManager em,
                               CollectionGate gate) {
        this.config = config;
        this.lookup = lookup;
        this.hasher = hasher;
        this.verifications = verifications;
        this.outbox = outbox;
        this.idempotent = idempotent;
        this.em = em;
        this.gate = gate;
    }

    /** What registration answers: ids, status and where codes went; never a value. */
    public record Registered(UUID subjectId, String status, boolean minor, List<Verifications.Issued> verifications) {
    }

    public Registered register(RegistrationRequest r, String idempotencyKey, String clientAddress) {
        return idempotent.once("register", idempotencyKey, Registered.class, () -> create(r, clientAddress));
    }

    private Registered create(RegistrationRequest r, String clientAddress) {
        gate.requireOpen();
        String userName = ContactValues.userName(r.userName(), "userName");
        String email = ContactValues.email(r.email(), "email");
        String mobile = ContactValues.mobile(r.mobile(), "mobile");
        checkPassword(r.password(), "password");
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        if (!r.birthDate().isBefore(today) || r.birthDate().isBefore(today.minusYears(130))) {
            throw new ProblemException(ProblemType.INVALID_INPUT, "The birth date must be a real date in the past.", "birthDate");
        }
        if (Period.between(r.birthDate(), today).getYears() < config.minors().childAge()
                && (r.province() != null || r.city() != null)) {
            // policy 7.4.2: beyond registration, a child's information is given by the guardian, once linked
            throw new ProblemException(ProblemType.UNPROCESSABLE, "A child's optional information is given by the "
                    + "guardian once linked, not at registration (policy 7.4.2).", r.province() != null ? "province" : "city");
        }
        String userLookup = lookup.hash("user", userName.toLowerCase(java.util.Locale.ROOT));
        String emailLookup = lookup.hash(ContactValues.EMAIL, email);
        String mobileLookup = lookup.hash(ContactValues.MOBILE, mobile);
        refuseDuplicate("user_name_lookup", userLookup, "userName");
        refuseDuplicate("email_lookup", emailLookup, "email");
        refuseDuplicate("mobile_lookup", mobileLookup, "mobile");

        Account a = new Account();
        a.id = UUID.randomUUID();
        a.accountType = r.accountType() == null ? "INDIVIDUAL" : r.accountType();
        a.status = Account.PENDING_VERIFICATION;
        a.userName = PersonalString.of(a.id, "userName", userName);
        a.userNameLookup = userLookup;
        a.email = PersonalString.of(a.id, "email", email);
        a.emailLookup = emailLookup;
        a.mobile = PersonalString.of(a.id, "mobile", mobile);
        a.mobileLookup = mobileLookup;
        a.birthDate = PersonalString.of(a.id, "birthDate", r.birthDate().toString());
        int age = Period.between(r.birthDate(), today).getYears();
        a.minor = age < config.minors().guardianAge();
        a.child = age < config.minors().childAge();
        a.passwordHash = hasher.hash(r.password());
        a.realNameStatus = "NONE";
        a.locale = r.locale() == null ? Account.DEFAULT_LOCALE : r.locale();
        a.createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        a.persist();
        if (r.province() != null || r.city() != null) {
            Profile p = new Profile();
            p.subjectId = a.id;
            p.province = r.province() == null ? null : PersonalString.of(a.id, "province", r.province());
            p.city = r.city() == null ? null : PersonalString.of(a.id, "city", r.city());
            p.updatedAt = a.createdAt;
            p.persist();
        }
        em.flush();
        outbox.publish(new AccountRegistered(a.id, a.accountType, a.minor, a.createdAt));
        List<Verifications.Issued> issued = new ArrayList<>();
        issued.add(verifications.issue(a, VerificationCode.REGISTRATION, ContactValues.MOBILE, mobileLookup, null, clientAddress));
        issued.add(verifications.issue(a, VerificationCode.REGISTRATION, ContactValues.EMAIL, emailLookup, null, clientAddress));
        return new Registered(a.id, a.status, a.minor, issued);
    }

    /** A new code for a channel of a registration that is not yet verified. */
    public Verifications.Issued resend(UUID subjectId, String channel, String clientAddress) {
        Account a = Account.findById(subjectId);
        if (a == null || a.verified(channel) || Account.CANCELLED.equals(a.status)) {
            throw new ProblemException(ProblemType.NOT_FOUND, "No registration waits for that channel's verification.",
                    "subjectId");
        }
        String lk = ContactValues.EMAIL.equals(channel) ? a.emailLookup : a.mobileLookup;
        return verifications.issue(a, VerificationCode.REGISTRATION, channel, lk, null, clientAddress);
    }

    /** A verified registration code: the channel becomes a login id; the mobile activates the account. */
    public Account contactVerified(VerificationCode v) {
        Account a = Account.findById(v.subjectId);
        Instant now = Instant.now();
        if (ContactValues.EMAIL.equals(v.channel)) {
            a.emailVerifiedAt = now;
        } else {
            a.mobileVerifiedAt = now;
            if (Account.PENDING_VERIFICATION.equals(a.status)) {
                if (a.minor) {
                    a.status = Account.PENDING_GUARDIAN;
                    a.eraseAfter = now.plus(Duration.ofDays(config.minors().eraseAfterDays()));
                } else {
                    a.status = Account.ACTIVE;
                }
            }
        }
        outbox.publish(new ContactVerified(a.id, v.channel, now));
        return a;
    }

    /**
     * Applies a verified new email or mobile (a correction, policy 6.2). The address it replaces, when it was
     * verified, is told so ({@code NoticeRequested}, template {@code contact-changed}, to the old address, which
     * only notification-service's authenticated fetch ever reads; neither value is in the event).
     */
    public Account contactChanged(VerificationCode v) {
        Account a = Account.findById(v.subjectId);
        applyContact(a, v.channel, v.pendingValue.value());
        return a;
    }

    /**
     * Sets a new email or mobile proven by a code to it (a contact change, or a staged correction applied when its
     * request was verified): the channel is verified, {@code ContactVerified} published, and the address it replaces,
     * when it was verified, is told so. Returns whether the value changed.
     */
    public boolean applyContact(Account a, String channel, String value) {
        String lk = lookup.hash(channel, value);
        boolean email = ContactValues.EMAIL.equals(channel);
        refuseDuplicate(email ? "email_lookup" : "mobile_lookup", lk, email ? "email" : "mobile", a.id);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        PersonalString old = email ? a.email : a.mobile;
        boolean oldVerified = (email ? a.emailVerifiedAt : a.mobileVerifiedAt) != null;
        boolean changed = old == null || old.isErased() || !old.value().equals(value);
        if (email) {
            a.email = PersonalString.of(a.id, "email", value);
            a.emailLookup = lk;
            a.emailVerifiedAt = now;
        } else {
            a.mobile = PersonalString.of(a.id, "mobile", value);
            a.mobileLookup = lk;
            a.mobileVerifiedAt = now;
        }
        outbox.publish(new ContactVerified(a.id, channel, now));
        if (oldVerified && changed && old != null && !old.isErased()) {
            ContactChangeNotice n = new ContactChangeNotice();
            n.id = UUID.randomUUID();
            n.subjectId = a.id;
            n.channel = channel;
            n.oldValue = PersonalString.of(a.id, "oldValue", old.value());
            n.createdAt = now;
            n.expiresAt = now.plus(config.codes().noticeTtl());
            n.persist();
            outbox.publish(new NoticeRequested(n.id, a.id, "SERVICE", ContactChangeNotice.TEMPLATE,
                    List.of(email ? "EMAIL" : "SMS"), a.locale,
                    Map.of("channel", channel, "changedAt", now.truncatedTo(ChronoUnit.SECONDS).toString()), now));
        }
        return changed;
    }

    /** A change of contact whose notice expired undelivered: the old address goes. */
    @io.quarkus.scheduler.Scheduled(every = "10m", delayed = "2m",
            concurrentExecution = io.quarkus.scheduler.Scheduled.ConcurrentExecution.SKIP)
    void purgeExpiredNotices() {
        ContactChangeNotice.delete("expiresAt < ?1", Instant.now());
    }

    /**
     * Starts a change of email or mobile: a code goes to the new value, which applies once verified; {@code sessionId}
     * (the caller's) keeps living then.
     */
    public Verifications.Issued requestContactChange(Account a, String channel, String rawValue, String clientAddress,
                                                     UUID sessionId) {
        String value = ContactValues.normalise(channel, rawValue, "value");
        String lk = lookup.hash(channel, value);
        refuseDuplicate(ContactValues.EMAIL.equals(channel) ? "email_lookup" : "mobile_lookup", lk, "value", a.id);
        return verifications.issue(a, VerificationCode.CONTACT_CHANGE, channel, lk, value, clientAddress, sessionId);
    }

    /** Corrects the user name (by the subject or a guardian); returns whether it changed. */
    public boolean changeUserName(Account a, String raw) {
        String userName = ContactValues.userName(raw, "userName");
        String lk = lookup.hash("user", userName.toLowerCase(java.util.Locale.ROOT));
        refuseDuplicate("user_name_lookup", lk, "userName", a.id);
        boolean changed = a.userName == null || a.userName.isErased() || !a.userName.value().equals(userName);
        a.userName = PersonalString.of(a.id, "userName", userName);
        a.userNameLookup = lk;
        return changed;
    }

    /**
     * Whether another account already has this user name, email or mobile ({@code field} userName, email or mobile;
     * {@code normalised} as {@link ContactValues} leaves it).
     */
    public boolean takenByAnother(String field, String normalised, UUID self) {
        return switch (field) {
            case "userName" -> countOthers("user_name_lookup",
                    lookup.hash("user", normalised.toLowerCase(java.util.Locale.ROOT)), self) > 0;
            case "email" -> countOthers("email_lookup", lookup.hash(ContactValues.EMAIL, normalised), self) > 0;
            case "mobile" -> countOthers("mobile_lookup", lookup.hash(ContactValues.MOBILE, normalised), self) > 0;
            default -> false;
        };
    }

    /** The lookup hash a new email or mobile is rate-limited under. */
    public String lookupOf(String channel, String normalised) {
        return lookup.hash(channel, normalised);
    }

    public void checkPassword(String password, String field) {
        if (password == null || password.length() < config.password().minLength() || password.length() > 128
                || password.isBlank()) {
            throw new ProblemException(ProblemType.INVALID_INPUT,
                    "A password has " + config.password().minLength() + " to 128 characters.", field);
        }
    }

    private void refuseDuplicate(String column, String lookupHash, String field) {
        refuseDuplicate(column, lookupHash, field, null);
    }

    private void refuseDuplicate(String column, String lookupHash, String field, UUID except) {
        if (countOthers(column, lookupHash, except) > 0) {
            throw new ProblemException(ProblemType.CONFLICT, "This " + field + " is already registered.", field);
        }
    }

    private int countOthers(String column, String lookupHash, UUID except) {
        Number n = (Number) em.createNativeQuery("select count(*) from account where " + column + " = ?1 and id <> ?2")
                .setParameter(1, lookupHash).setParameter(2, except == null ? new UUID(0, 0) : except).getSingleResult();
        return n.intValue();
    }
}
