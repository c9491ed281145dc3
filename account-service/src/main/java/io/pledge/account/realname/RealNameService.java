package io.pledge.account.realname;

import io.pledge.account.cessation.CollectionGate;
import io.pledge.account.login.Caller;
import io.pledge.account.registration.Account;
import io.pledge.account.registration.AccountService;
import io.pledge.events.account.RealNameVerified;
import io.pledge.kit.crypto.PersonalString;
import io.pledge.kit.outbox.Outbox;
import io.pledge.kit.problem.ProblemException;
import io.pledge.kit.problem.ProblemType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Real-name authentication (policy 2.1.1(2)): the subject submits what the method needs; the
 * verification provider (a holder client) reports the result; a pass publishes
 * {@code RealNameVerified} and entitles the subject to core services. The data is used for nothing
 * else.
 */
@ApplicationScoped
@Transactional
public class RealNameService {

    private static final Map<String, Set<String>> FIELDS = Map.of(
            "FACE", Set.of("providerRef"),
            "ALIPAY", Set.of("realName", "idNumber", "idPhotoFrontRef", "idPhotoBackRef"),
            "BANK_TRANSFER", Set.of("realName", "idNumber", "bankAccount", "bankName", "bankBranch"),
            "ENTERPRISE_ALIPAY", Set.of("entityName", "creditCode", "licenceRef"),
            "ENTERPRISE_BANK_TRANSFER", Set.of("entityName", "creditCode", "licenceRef", "bankAccount", "bankName",
                    "bankBranch"));

    private final Caller caller;
    private final Outbox outbox;
    private final CollectionGate gate;

    public RealNameService(Caller caller, Outbox outbox, CollectionGate gate) {
        this.caller = caller;
        this.outbox = outbox;
        this.gate = gate;
    }

    /** One attempt as the subject sees it: method and status, never the values. */
    public record Attempt(UUID verificationId, String method, String status, Instant createdAt, Instant decidedAt) {
    }

    /** The subject's real-name status and attempts. */
    public record Status(UUID subjectId, String status, boolean enterpriseVerified, List<Attempt> attempts) {
    }

    public Attempt submit(UUID subject, RealNameRequest r) {
        Account a = caller.self(subject);
        AccountService.requireActive(a);
        gate.requireOpen();
        Map<String, String> given = given(r);
        Set<String> needed = FIELDS.get(r.method());
        for (String f : given.keySet()) {
            if (!needed.contains(f)) {
                throw new ProblemException(ProblemType.INVALID_INPUT,
                        "Field '" + f + "' is not part of " + r.method() + " authentication.", f);
            }
        }
        for (String f : needed.stream().sorted().toList()) {
            if (!given.containsKey(f)) {
                throw new ProblemException(ProblemType.INVALID_INPUT, r.method() + " authentication needs '" + f + "'.", f);
            }
        }
        if (r.method().startsWith("ENTERPRISE_") && !"VERIFIED".equals(a.realNameStatus)) {
            throw new ProblemException(ProblemType.CONFLICT,
                    "Enterprise authentication follows a completed individual authentication.", "method");
        }
        RealNameVerification v = new RealNameVerification();
        v.id = UUID.randomUUID();
        v.subjectId = subject;
        v.method = r.method();
        v.status = "PENDING";
        v.providerRef = seal(subject, "providerRef", r.providerRef());
        v.realName = seal(subject, "realName", r.realName());
        v.idNumber = seal(subject, "idNumber", r.idNumber() == null ? null : r.idNumber().toUpperCase(java.util.Locale.ROOT));
        v.idPhotoFront = seal(subject, "idPhotoFront", r.idPhotoFrontRef());
        v.idPhotoBack = seal(subject, "idPhotoBack", r.idPhotoBackRef());
        v.bankAccount = seal(subject, "bankAccount", r.bankAccount());
        v.bankName = seal(subject, "bankName", r.bankName());
        v.bankBranch = seal(subject, "bankBranch", r.bankBranch());
        v.entityName = seal(subject, "entityName", r.entityName());
        v.creditCode = seal(subject, "creditCode", r.creditCode());
        v.licenceRef = seal(subject, "licenceRef", r.licenceRef());
        v.createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        v.persist();
        if (!r.method().startsWith("ENTERPRISE_") && !"VERIFIED".equals(a.realNameStatus)) {
            a.realNameStatus = "PENDING";
        }
        return attempt(v);
    }

    /** The provider's result for an attempt. */
    public Attempt decide(UUID verificationId, boolean passed) {
        RealNameVerification v = RealNameVerification.findById(verificationId, LockModeType.PESSIMISTIC_WRITE);
        if (v == null) {
            throw new ProblemException(ProblemType.NOT_FOUND, "No such real-name verification.");
        }
        if (!"PENDING".equals(v.status)) {
            throw new ProblemException(ProblemType.CONFLICT, "This verification was already decided.", "result");
        }
        Account a = Account.findById(v.subjectId);
        if (a == null || Account.CANCELLED.equals(a.status)) {
            throw new ProblemException(ProblemType.NOT_FOUND, "No such account.");
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        v.status = passed ? "VERIFIED" : "FAILED";
        v.decidedAt = now;
        boolean enterprise = v.method.startsWith("ENTERPRISE_");
        if (passed) {
            if (enterprise) {
                a.accountType = "ENTERPRISE";
            } else {
                a.realNameStatus = "VERIFIED";
            }
            outbox.publish(new RealNameVerified(a.id, v.method, now));
        } else if (!enterprise && !"VERIFIED".equals(a.realNameStatus)) {
            a.realNameStatus = "FAILED";
        }
        return attempt(v);
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Status status(UUID subject) {
        Account a = Account.findById(subject);
        if (a == null || Account.CANCELLED.equals(a.status)) {
            throw new ProblemException(ProblemType.NOT_FOUND, "No such account.");
        }
        List<RealNameVerification> all = RealNameVerification.list("subjectId = ?1 order by createdAt", subject);
        boolean enterprise = all.stream().anyMatch(v -> v.method.startsWith("ENTERPRISE_") && "VERIFIED".equals(v.status));
        return new Status(subject, a.realNameStatus, enterprise, all.stream().map(RealNameService::attempt).toList());
    }

    /** Core services (object storage, hosts, databases, CDN...) only after real-name authentication passed. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Status requireEntitled(UUID subject) {
        Status s = status(subject);
        Account a = Account.findById(subject);
        if (!"VERIFIED".equals(s.status()) || !Account.ACTIVE.equals(a.status)) {
            throw new ProblemException(ProblemType.FORBIDDEN,
                    "Core services need a completed real-name authentication (policy 2.1.1(2)).", "realNameStatus");
        }
        return s;
    }

    private static Attempt attempt(RealNameVerification v) {
        return new Attempt(v.id, v.method, v.status, v.createdAt, v.decidedAt);
    }

    private static Map<String, String> given(RealNameRequest r) {
        Map<String, String> m = new LinkedHashMap<>();
        put(m, "providerRef", r.providerRef());
        put(m, "realName", r.realName());
        put(m, "idNumber", r.idNumber());
        put(m, "idPhotoFrontRef", r.idPhotoFrontRef());
        put(m, "idPhotoBackRef", r.idPhotoBackRef());
        put(m, "bankAccount", r.bankAccount());
        put(m, "bankName", r.bankName());
        put(m, "bankBranch", r.bankBranch());
        put(m, "entityName", r.entityName());
        put(m, "creditCode", r.creditCode());
        put(m, "licenceRef", r.licenceRef());
        return m;
    }

    private static void put(Map<String, String> m, String k, String v) {
        if (v != null) {
            m.put(k, v);
        }
    }

    private static PersonalString seal(UUID subject, String field, String value) {
        return value == null ? null : PersonalString.of(subject, field, value);
    }
}
