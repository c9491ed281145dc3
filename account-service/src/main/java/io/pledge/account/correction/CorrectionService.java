package io.pledge.account.correction;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.pledge.account.config.AccountConfig;
import io.pledge.account.login.Caller;
import io.pledge.account.login.LoginService;
import io.pledge.account.profile.ProfileFields;
import io.pledge.account.profile.ProfileService;
import io.pledge.account.registration.Account;
import io.pledge.account.registration.ContactValues;
import io.pledge.account.registration.RegistrationService;
import io.pledge.account.verification.VerificationCode;
import io.pledge.account.verification.Verifications;
import io.pledge.events.rights.CorrectionRequested;
import io.pledge.kit.crypto.PersonalString;
import io.pledge.kit.problem.ProblemException;
import io.pledge.kit.problem.ProblemType;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import jakarta.validation.Validator;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Corrections at their source (policy 6.2). A subject with a correction request open at rights-request-service gives
 * the new value of each field here ({@link #stage}), before it verifies that request: the request is known here by
 * the identity code account-service issued for it (the verifier's reference), so a staged value is bound to the
 * request and to the subject; a new email or mobile is proven by a code sent to it, as a contact change is. When the
 * verified request's {@code CorrectionRequested} arrives, {@link #apply} sets every staged value of the request's
 * fields, or none: the reply counts the fields really changed. The values never travel on Kafka.
 */
@ApplicationScoped
@Transactional
public class CorrectionService {

    /** The category each field this service is the source of is counted under in a reply. */
    public static final Map<String, String> CATEGORIES;

    static {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("userName", "account");
        m.put("email", "contact");
        m.put("mobile", "contact");
        ProfileService.FIELDS.forEach(f -> m.put(f, "profile"));
        CATEGORIES = java.util.Collections.unmodifiableMap(m);
    }

    /** Why a correction was not applied; nothing was changed. */
    public static final String NOT_STAGED = "CORRECTION_NOT_STAGED";
    public static final String VALUE_TAKEN = "CORRECTION_VALUE_TAKEN";
    public static final String NO_CHANGE = "CORRECTION_NO_CHANGE";

    /** What a staged field waits for: {@code AWAITING_CODE} (a new email or mobile), {@code STAGED}, {@code APPLIED}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Staged(UUID requestId, String field, String status, Instant stagedAt, Instant appliedAt,
                         Boolean changed, Verifications.Issued verification) {
        static Staged of(StagedCorrection s, Verifications.Issued issued) {
            String status = s.appliedAt != null ? "APPLIED" : s.ready() ? "STAGED" : "AWAITING_CODE";
            return new Staged(s.key.requestId, s.field(), status, s.stagedAt, s.appliedAt, s.changed, issued);
        }
    }

    /** What a correction command did here: outcome, fields changed per category, or why it failed. */
    public record Outcome(String outcome, Map<String, Integer> counts, String failureCode) {
        static Outcome failed(String code) {
            return new Outcome("FAILED", null, code);
        }
    }

    private final Caller caller;
    private final RegistrationService registration;
    private final ProfileService profiles;
    private final Verifications verifications;
    private final Validator validator;
    private final AccountConfig config;
    private final LoginService login;

    public CorrectionService(Caller caller, RegistrationService registration, ProfileService profiles,
                             Verifications verifications, Validator validator, AccountConfig config, LoginService login) {
        this.login = login;
        this.caller = caller;
        this.registration = registration;
        this.profiles = profiles;
        this.verifications = verifications;
        this.validator = validator;
        this.config = config;
    }

    /**
     * The caller (the subject, or its guardian) gives the new value of {@code field} for its correction request
     * {@code requestId}, while that request waits for its identity verification. Staging a field again replaces its
     * value. A new email or mobile gets a code (confirm it with purpose {@code CORRECTION}).
     */
    public Staged stage(UUID accountId, UUID requestId, String field, String raw, String clientAddress) {
        Caller.Access access = caller.selfOrWard(accountId);
        Account a = access.account();
        if (!CATEGORIES.containsKey(field)) {
            throw new ProblemException(ProblemType.UNPROCESSABLE,
                    "account-service is not the source of that field; correctable here: " + CATEGORIES.keySet() + ".",
                    "field");
        }
        VerificationCode identity = VerificationCode.<VerificationCode>find(
                "purpose = ?1 and reference = ?2 and subjectId in ?3", VerificationCode.IDENTITY, requestId.toString(),
                List.of(a.id, caller.subject())).firstResult();
        if (identity == null) {
            throw new ProblemException(ProblemType.NOT_FOUND, "No rights request of this account has that id.",
                    "requestId");
        }
        if (identity.consumedAt != null) {
            throw new ProblemException(ProblemType.CONFLICT, "The request's identity is already verified: new values "
                    + "are given before the request is verified; submit a new correction request.", "requestId");
        }
        String value = validated(a, field, raw);
        StagedCorrection s = StagedCorrection.findById(new StagedCorrection.Key(requestId, field),
                LockModeType.PESSIMISTIC_WRITE);
        boolean fresh = s == null;
        if (fresh) {
            s = new StagedCorrection();
            s.key = new StagedCorrection.Key(requestId, field);
            s.subjectId = a.id;
        } else if (!s.subjectId.equals(a.id) || s.appliedAt != null) {
            throw new ProblemException(ProblemType.CONFLICT, "That field of this request can no longer be staged.",
                    "requestId");
        }
        Verifications.Issued issued = null;
        if ("email".equals(field) || "mobile".equals(field)) {
            // the session that staged it is the one that stays when the new address applies (as for a contact change)
            String channel = "email".equals(field) ? ContactValues.EMAIL : ContactValues.MOBILE;
            issued = verifications.issue(a, VerificationCode.CORRECTION, channel,
                    registration.lookupOf(channel, value), value, clientAddress, caller.sessionId());
        }
        s.value = PersonalString.of(a.id, "value", value); // labelled by its Java field, as PersonalDataGuard checks
        s.stagedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        s.confirmedAt = null;
        s.verificationId = issued == null ? null : issued.verificationId();
        if (fresh) {
            s.persist();
        }
        Log.infof("correction %s: subject %s staged %s", requestId, a.id, field);
        return Staged.of(s, issued);
    }

    /** The fields staged for a request of the caller's (or a ward's) account; values are not repeated. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<Staged> staged(UUID accountId, UUID requestId) {
        Account a = caller.selfOrWard(accountId).account();
        return StagedCorrection.ofRequest(requestId).stream().filter(s -> s.subjectId.equals(a.id))
                .map(s -> Staged.of(s, null)).toList();
    }

    /** A confirmed {@code CORRECTION} code: the new email or mobile it was sent to is ready to apply. */
    public Account codeConfirmed(VerificationCode v) {
        StagedCorrection s = StagedCorrection.<StagedCorrection>find("verificationId", v.id).firstResult();
        if (s == null || s.appliedAt != null) {
            throw new ProblemException(ProblemType.CONFLICT, "No staged value waits for this code (staged again since?).",
                    "code");
        }
        s.confirmedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        return Account.findById(v.subjectId);
    }

    /**
     * Applies a verified correction: {@code NOT_HELD} when no account is here or none of the fields is one this
     * service is the source of; {@code FAILED} with {@link #NOT_STAGED} when a field of it has no staged value (or an
     * unconfirmed email or mobile), with {@link #VALUE_TAKEN} when another account took a new value meanwhile, or with
     * {@link #NO_CHANGE} when every value was already the current one; in each of those nothing is changed. Otherwise
     * every staged value is set and the answer is {@code CORRECTED} with the fields changed per category. Delivered
     * again, the same request is answered as it was the first time.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Outcome apply(CorrectionRequested e) {
        Account a = Account.findById(e.subjectId());
        List<String> mine = e.fields().stream().filter(CATEGORIES::containsKey).distinct().toList();
        if (a == null || mine.isEmpty()) {
            return new Outcome("NOT_HELD", null, null);
        }
        Account.getEntityManager().refresh(a, LockModeType.PESSIMISTIC_WRITE);
        Map<String, StagedCorrection> staged = new HashMap<>();
        for (StagedCorrection s : StagedCorrection.ofRequest(e.requestId())) {
            if (s.subjectId.equals(a.id)) {
                staged.put(s.field(), s);
            }
        }
        if (mine.stream().allMatch(f -> staged.containsKey(f) && staged.get(f).appliedAt != null)) {
            return outcome(mine, staged); // the same command again
        }
        if (!mine.stream().allMatch(f -> staged.containsKey(f) && staged.get(f).ready())) {
            return Outcome.failed(NOT_STAGED);
        }
        for (String f : mine) {
            if (registration.takenByAnother(f, staged.get(f).value.value(), a.id)) {
                return Outcome.failed(VALUE_TAKEN);
            }
        }
        Map<String, String> profileValues = new LinkedHashMap<>();
        for (String f : mine) {
            if (ProfileService.FIELDS.contains(f)) {
                profileValues.put(f, staged.get(f).value.value());
            }
        }
        // the profile first: it re-reads the account row under its lock, which would drop unflushed account changes
        List<String> profileChanged = profiles.correct(a.id, profileValues);
        Map<String, Boolean> changed = new HashMap<>();
        profileValues.keySet().forEach(f -> changed.put(f, profileChanged.contains(f)));
        for (String f : mine) {
            String v = staged.get(f).value.value();
            switch (f) {
                case "userName" -> changed.put(f, registration.changeUserName(a, v));
                case "email" -> changed.put(f, registration.applyContact(a, ContactValues.EMAIL, v));
                case "mobile" -> changed.put(f, registration.applyContact(a, ContactValues.MOBILE, v));
                default -> {
                }
            }
        }
        for (String f : List.of("email", "mobile")) {
            if (Boolean.TRUE.equals(changed.get(f))) {
                // as after a contact change (and as the contact-changed notice to the old address says): every
                // other session ends, the one that staged the new address stays
                VerificationCode code = VerificationCode.findById(staged.get(f).verificationId);
                login.revokeAllBut(a.id, code == null ? null : code.sessionId, "CONTACT_CHANGED");
            }
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        for (String f : mine) {
            StagedCorrection s = staged.get(f);
            s.appliedAt = now;
            s.changed = changed.get(f);
            s.value = null;
        }
        // a value staged for a field the request does not name is not applied, and not kept
        staged.values().stream().filter(s -> !mine.contains(s.field())).forEach(StagedCorrection::delete);
        return outcome(mine, staged);
    }

    private static Outcome outcome(List<String> fields, Map<String, StagedCorrection> staged) {
        Map<String, Integer> counts = new TreeMap<>();
        for (String f : fields) {
            if (Boolean.TRUE.equals(staged.get(f).changed)) {
                counts.merge(CATEGORIES.get(f), 1, Integer::sum);
            }
        }
        return counts.isEmpty() ? Outcome.failed(NO_CHANGE) : new Outcome("CORRECTED", counts, null);
    }

    /** A new value in its normal form, refused (422, or 409 when another account has it) as the field's own API does. */
    private String validated(Account a, String field, String raw) {
        String value;
        String current;
        switch (field) {
            case "userName" -> {
                value = ContactValues.userName(raw, "value");
                current = plain(a.userName);
            }
            case "email" -> {
                value = ContactValues.normalise(ContactValues.EMAIL, raw, "value");
                current = plain(a.email);
            }
            case "mobile" -> {
                value = ContactValues.normalise(ContactValues.MOBILE, raw, "value");
                current = plain(a.mobile);
            }
            default -> {
                value = raw == null ? null : raw.strip();
                Map<String, String> one = new HashMap<>();
                one.put(field, value);
                ProfileFields probe = new ProfileFields(one.get("province"), one.get("city"), one.get("nickname"),
                        one.get("address"), one.get("qq"), one.get("website"), null);
                if (value == null || value.isEmpty() || !validator.validate(probe).isEmpty()) {
                    throw new ProblemException(ProblemType.UNPROCESSABLE, "Not a valid " + field + ".", "value");
                }
                current = profiles.read(a.id).asMap().get(field);
                if (current == null) {
                    throw new ProblemException(ProblemType.UNPROCESSABLE, "The profile has no " + field
                            + " to correct; set it with PUT /v1/accounts/{id}/profile.", "field");
                }
            }
        }
        if (Objects.equals(value, current)) {
            throw new ProblemException(ProblemType.UNPROCESSABLE, "That is already the current " + field + ".", "value");
        }
        if (registration.takenByAnother(field, value, a.id)) {
            throw new ProblemException(ProblemType.CONFLICT, "This " + field + " is already registered.", "value");
        }
        return value;
    }

    private static String plain(PersonalString s) {
        return s == null || s.isErased() ? null : s.value();
    }

    /** Staged values whose request never came (or came long ago) are dropped. */
    @Scheduled(every = "1h", delayed = "5m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void purge() {
        long n = StagedCorrection.delete("stagedAt < ?1", Instant.now().minus(config.codes().correctionTtl()));
        if (n > 0) {
            Log.infof("%d staged correction values past their time dropped", n);
        }
    }
}
