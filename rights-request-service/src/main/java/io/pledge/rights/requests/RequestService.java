package io.pledge.rights.requests;

import io.pledge.events.notification.NoticeRequested;
import io.pledge.events.rights.RightsRequestExtended;
import io.pledge.events.rights.RightsRequestRefused;
import io.pledge.events.rights.RightsRequestSubmitted;
import io.pledge.events.rights.RightsRequestVerified;
import io.pledge.kit.outbox.Outbox;
import io.pledge.kit.problem.ProblemException;
import io.pledge.kit.problem.ProblemType;
import io.pledge.rights.config.RightsConfig;
import io.pledge.rights.deadline.BusinessCalendar;
import io.pledge.rights.guardian.GuardianLinks;
import io.pledge.rights.ledger.LedgerEntry;
import io.pledge.rights.ledger.Propagation;
import io.pledge.rights.registry.Holder;
import io.pledge.rights.verification.AccountClient;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Data-subject requests from submission to their final state: identity verification first (through account-service),
 * then the fee check for repeats, then the type's work (a command to the expected holders, or an officer's answer).
 * Calls to account-service happen outside any transaction; every state change commits with its events.
 */
@ApplicationScoped
public class RequestService {

    /** Which data categories a correctable field lives in (policy 6.2: every holder of that field). */
    public static final Map<String, List<String>> FIELD_CATEGORIES = Map.ofEntries(
            Map.entry("userName", List.of("account", "contact")),
            Map.entry("email", List.of("contact")),
            Map.entry("mobile", List.of("contact")),
            Map.entry("nickname", List.of("profile")),
            Map.entry("province", List.of("profile")),
            Map.entry("city", List.of("profile")),
            Map.entry("address", List.of("profile")),
            Map.entry("qq", List.of("profile")),
            Map.entry("website", List.of("profile")));

    /**
     * The holder each correctable field is kept at first hand (policy 6.2): the subject gives the new value there, and
     * every other holder of the field re-reads it from there, so they are told only after it changed there
     * ({@link Propagation#dispatch}). account-service is the source of every field a correction names today.
     */
    public static final Map<String, String> FIELD_SOURCES = FIELD_CATEGORIES.keySet().stream()
            .collect(java.util.stream.Collectors.toUnmodifiableMap(f -> f, f -> "account-service"));

    /** The sources of a correction's fields. */
    public static Set<String> sourcesOf(String[] fields) {
        Set<String> sources = new LinkedHashSet<>();
        for (String f : fields) {
            sources.add(FIELD_SOURCES.get(f));
        }
        return sources;
    }

    private final AccountClient accounts;
    private final Propagation propagation;
    private final Outbox outbox;
    private final RightsConfig config;
    private final GuardianLinks guardians;
    private final BusinessCalendar calendar;

    public RequestService(AccountClient accounts, Propagation propagation, Outbox outbox, RightsConfig config,
                          GuardianLinks guardians, BusinessCalendar calendar) {
        this.accounts = accounts;
        this.propagation = propagation;
        this.outbox = outbox;
        this.config = config;
        this.guardians = guardians;
        this.calendar = calendar;
    }

    public BusinessCalendar calendar() {
        return calendar;
    }

    /** The answer to a submission: the request and where its verification code went. */
    public record Submitted(RequestView request, AccountClient.Verification verification) {
    }

    public Submitted submit(Caller caller, SubmitRequest in, String idempotencyKey) {
        UUID subjectId = subjectOf(caller, in);
        validate(caller, in);
        if (idempotencyKey != null && idempotencyKey.length() > 200) {
            throw new ProblemException(ProblemType.INVALID_INPUT, "Idempotency-Key is longer than 200 characters.",
                    "Idempotency-Key");
        }
        if (idempotencyKey != null) {
            RightsRequest earlier = RightsRequest.find("subjectId = ?1 and idempotencyKey = ?2", subjectId, idempotencyKey)
                    .firstResult();
            if (earlier != null) {
                return new Submitted(view(earlier), null);
            }
        }
        UUID id = UUID.randomUUID();
        // the code goes to whoever must prove who they are: the subject, or the guardian acting for a ward (policy 7)
        UUID verifier = actsAsGuardian(caller, subjectId) ? caller.subjectIdOrNull() : subjectId;
        AccountClient.Verification v = accounts.start(verifier, in.channel(), id);
        try {
            RightsRequest r = QuarkusTransaction.requiringNew().call(() -> create(id, subjectId, caller, in, idempotencyKey, v));
            return new Submitted(view(r), v);
        } catch (PersistenceException e) {
            RightsRequest earlier = idempotencyKey == null ? null
                    : RightsRequest.find("subjectId = ?1 and idempotencyKey = ?2", subjectId, idempotencyKey).firstResult();
            if (earlier != null) {
                return new Submitted(view(earlier), null);
            }
            throw e;
        }
    }

    private RightsRequest create(UUID id, UUID subjectId, Caller caller, SubmitRequest in, String key,
                                 AccountClient.Verification v) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        RightsRequest r = new RightsRequest();
        r.id = id;
        r.subjectId = subjectId;
        r.type = in.type();
        r.origin = caller.operator() ? "OPERATOR" : actsAsGuardian(caller, subjectId) ? "GUARDIAN" : "SUBJECT";
        r.submittedBy = caller.id();
        r.workOrder = in.workOrder();
        r.idempotencyKey = key;
        r.ground = in.ground();
        r.fields = in.fields() == null ? null : in.fields().toArray(String[]::new);
        r.purposeId = in.purposeId();
        r.recipientId = in.recipientId();
        r.decisionRef = in.decisionRef();
        r.optOut = in.optOut();
        r.topicCode = in.topic();
        r.submittedAt = now;
        r.dueAt = dueFrom(r.type, now);
        r.originalDueAt = r.dueAt;
        r.verificationId = v.verificationId();
        r.status = RequestStatus.AWAITING_VERIFICATION;
        r.stateOwner = RequestStatus.OWNER_SUBJECT;
        r.stateDeadline = now.plus(config.deadlines().verificationWindow());
        switch (r.type) {
            case RequestTypes.DELETION -> r.categories = Propagation.allCategories();
            case RequestTypes.CORRECTION -> {
                Set<String> cats = new LinkedHashSet<>();
                in.fields().forEach(f -> cats.addAll(FIELD_CATEGORIES.get(f)));
                r.categories = cats.toArray(String[]::new);
            }
            case RequestTypes.ACCESS, RequestTypes.COPY -> {
                r.categories = Propagation.allCategories();
                r.exportPurpose = RequestTypes.ACCESS.equals(r.type) ? "ACCESS" : r.recipientId != null ? "TRANSFER" : "COPY";
            }
            default -> {
            }
        }
        long earlier = RightsRequest.count("subjectId = ?1 and type = ?2 and submittedAt > ?3 and status not in (?4, ?5) "
                        + "and origin in ('SUBJECT', 'GUARDIAN', 'OPERATOR')", subjectId, r.type,
                now.minus(config.fees().window()), RequestStatus.REFUSED, RequestStatus.EXPIRED);
        if (earlier >= config.fees().freePerWindow()) {
            r.feeCents = config.fees().feeCents();
        }
        r.persist();
        outbox.publish(new RightsRequestSubmitted(r.id, subjectId, r.type, r.origin.equals("OPERATOR") ? "OPERATOR"
                : r.origin, r.dueAt, now));
        Log.infof("request %s (%s) submitted for subject %s by %s", r.id, r.type, subjectId, r.origin);
        return r;
    }

    private Instant dueFrom(String type, Instant from) {
        RightsConfig.Deadlines d = config.deadlines();
        return switch (type) {
            case RequestTypes.CORRECTION -> calendar.dueAfterBusinessDays(from, d.correctionBusinessDays());
            case RequestTypes.COMPLAINT -> calendar.dueAfterDays(from, d.complaintDays());
            default -> calendar.dueAfterBusinessDays(from, d.businessDays().getOrDefault(type, d.defaultBusinessDays()));
        };
    }

    /** Whether the caller is not the subject but acts for it as its linked guardian. */
    private static boolean actsAsGuardian(Caller caller, UUID subjectId) {
        return !caller.operator() && caller.guardian() && !subjectId.toString().equals(caller.id());
    }

    private UUID subjectOf(Caller caller, SubmitRequest in) {
        if (caller.operator()) {
            if (in.subjectId() == null) {
                throw new ProblemException(ProblemType.INVALID_INPUT, "An operator names the subject.", "subjectId");
            }
            if (in.workOrder() == null) {
                throw new ProblemException(ProblemType.INVALID_INPUT, "An operator's request needs its work order.",
                        "workOrder");
            }
            return in.subjectId();
        }
        UUID own = caller.subjectIdOrNull();
        if (own == null || !(caller.subject() || caller.guardian())) {
            throw new ProblemException(ProblemType.FORBIDDEN, "Only a subject, a guardian or an operator may submit a request.");
        }
        if (in.subjectId() != null && !in.subjectId().equals(own)) {
            if (caller.guardian() && guardians.isGuardianOf(own, in.subjectId())) {
                return in.subjectId();
            }
            throw new ProblemException(ProblemType.FORBIDDEN, "A subject may submit requests about itself only, "
                    + "or a linked guardian about their ward.", "subjectId");
        }
        if (!caller.subject()) {
            throw new ProblemException(ProblemType.FORBIDDEN, "A guardian names the ward it acts for.", "subjectId");
        }
        return own;
    }

    private static void validate(Caller caller, SubmitRequest in) {
        if (RequestTypes.CANCELLATION.equals(in.type())) {
            throw new ProblemException(ProblemType.UNPROCESSABLE, "Cancel the account at account-service "
                    + "(POST /v1/accounts/{id}/cancellation); its erasure is then propagated here.", "type");
        }
        if (!RequestTypes.SUBMITTABLE.contains(in.type())) {
            throw new ProblemException(ProblemType.INVALID_INPUT, "Unknown request type.", "type");
        }
        switch (in.type()) {
            case RequestTypes.DELETION -> require(in.ground() != null, "ground", "A deletion needs its ground (6.3.1 to 6.3.5).");
            case RequestTypes.CORRECTION -> {
                require(in.fields() != null && !in.fields().isEmpty(), "fields", "A correction names the corrected fields.");
                for (String f : in.fields()) {
                    require(FIELD_CATEGORIES.containsKey(f), "fields", "Unknown field: " + f + ".");
                }
            }
            case RequestTypes.CONSENT_SCOPE -> require(in.purposeId() != null, "purposeId", "Name the purpose.");
            case RequestTypes.AUTOMATED_DECISION -> require(in.decisionRef() != null, "decisionRef",
                    "Name the automated decision.");
            case RequestTypes.COMPLAINT -> require(in.topic() != null, "topic", "Give the complaint's topic code.");
            case RequestTypes.COPY -> {
                if (in.recipientId() != null) {
                    Holder h = Holder.findById(in.recipientId());
                    require(h != null && Holder.ACTIVE.equals(h.status) && Holder.WEBHOOK.equals(h.channel), "recipientId",
                            "The recipient must be an active registered recipient with a webhook channel.");
                }
            }
            default -> {
            }
        }
    }

    private static void require(boolean ok, String field, String detail) {
        if (!ok) {
            throw new ProblemException(ProblemType.UNPROCESSABLE, detail, field);
        }
    }

    /** The subject gives the code it received; a verified request proceeds at once. */
    public RequestView verify(Caller caller, UUID id, String code) {
        RightsRequest r = RightsRequest.findById(id);
        mayRead(caller, r);
        if (!RequestStatus.AWAITING_VERIFICATION.equals(r.status)) {
            throw new ProblemException(ProblemType.CONFLICT, "The request is not awaiting verification (" + r.status + ").",
                    "requestId");
        }
        Instant verifiedAt = accounts.confirm(r.verificationId, r.verifierId(), code);
        return QuarkusTransaction.requiringNew().call(() -> {
            RightsRequest locked = RightsRequest.findById(id, LockModeType.PESSIMISTIC_WRITE);
            if (!RequestStatus.AWAITING_VERIFICATION.equals(locked.status)) {
                return view(locked);
            }
            locked.verifiedAt = verifiedAt.truncatedTo(ChronoUnit.MICROS);
            outbox.publish(new RightsRequestVerified(locked.id, locked.subjectId, locked.verifiedAt));
            if (locked.feeCents != null) {
                locked.status = RequestStatus.FEE_QUOTED;
                locked.stateOwner = RequestStatus.OWNER_SUBJECT;
                locked.stateDeadline = Instant.now().plus(config.deadlines().feeAcceptanceWindow());
            } else {
                start(locked);
            }
            return view(locked);
        });
    }

    /** The subject accepts the fee quoted for a repeated request; the request proceeds. */
    public RequestView acceptFee(Caller caller, UUID id) {
        return QuarkusTransaction.requiringNew().call(() -> {
            RightsRequest r = RightsRequest.findById(id, LockModeType.PESSIMISTIC_WRITE);
            mayRead(caller, r);
            if (!RequestStatus.FEE_QUOTED.equals(r.status)) {
                throw new ProblemException(ProblemType.CONFLICT, "No fee is awaiting acceptance.", "requestId");
            }
            start(r);
            return view(r);
        });
    }

    /** A verified request's work begins. */
    void start(RightsRequest r) {
        switch (r.type) {
            case RequestTypes.COMPLAINT -> {
                // policy 6.8: thirty days after the identity is verified
                r.dueAt = calendar.dueAfterDays(r.verifiedAt, config.deadlines().complaintDays());
                r.originalDueAt = r.dueAt;
                awaitOfficer(r);
            }
            case RequestTypes.AUTOMATED_DECISION -> {
                if (Boolean.TRUE.equals(r.optOut)) {
                    r.purposeId = config.automatedDecisionPurpose();
                    propagation.dispatch(r);
                } else {
                    awaitOfficer(r);
                }
            }
            default -> propagation.dispatch(r);
        }
    }

    private static void awaitOfficer(RightsRequest r) {
        r.status = RequestStatus.AWAITING_OPERATOR;
        r.stateOwner = RequestStatus.OWNER_OFFICER;
        r.stateDeadline = r.dueAt;
    }

    /** An officer extends the deadline, with a coded reason; the subject is told the new date and why. */
    public RequestView extend(Caller caller, UUID id, Instant newDueAt, String reasonCode) {
        caller.mustBeOfficer();
        if (!Reasons.EXTENSIONS.containsKey(reasonCode)) {
            throw new ProblemException(ProblemType.UNPROCESSABLE, "Unknown extension reason.", "reasonCode");
        }
        return QuarkusTransaction.requiringNew().call(() -> {
            RightsRequest r = found(id);
            if (r.isFinal()) {
                throw new ProblemException(ProblemType.CONFLICT, "The request is already " + r.status + ".", "requestId");
            }
            if (!newDueAt.isAfter(r.dueAt)) {
                throw new ProblemException(ProblemType.UNPROCESSABLE, "The new due date must be after the current one.",
                        "newDueAt");
            }
            Instant previous = r.dueAt;
            r.dueAt = newDueAt.truncatedTo(ChronoUnit.MICROS);
            r.extensionReason = reasonCode;
            r.escalatedAt = null;
            if (!RequestStatus.AWAITING_VERIFICATION.equals(r.status) && !RequestStatus.FEE_QUOTED.equals(r.status)) {
                r.stateDeadline = r.dueAt;
            }
            outbox.publish(new RightsRequestExtended(r.id, r.subjectId, previous, r.dueAt, reasonCode));
            notice(r, "rights-request-extended", Map.of("requestId", r.id.toString(), "previousDueAt",
                    previous.toString(), "newDueAt", r.dueAt.toString(), "reasonCode", reasonCode));
            return view(r);
        });
    }

    /** An officer refuses, with a coded reason the subject can read. Not once commands went out to holders. */
    public RequestView refuse(Caller caller, UUID id, String reasonCode) {
        caller.mustBeOfficer();
        if (!Reasons.REFUSALS.containsKey(reasonCode)) {
            throw new ProblemException(ProblemType.UNPROCESSABLE, "Unknown refusal reason.", "reasonCode");
        }
        return QuarkusTransaction.requiringNew().call(() -> {
            RightsRequest r = found(id);
            if (r.isFinal() || LedgerEntry.count("key.requestId", r.id) > 0) {
                throw new ProblemException(ProblemType.CONFLICT, "The request can no longer be refused (" + r.status + ").",
                        "requestId");
            }
            refuseNow(r, reasonCode, RequestStatus.REFUSED);
            return view(r);
        });
    }

    /** Ends a request with a refusal code (also used for unverified and fee-not-accepted expiry). */
    public void refuseNow(RightsRequest r, String reasonCode, String status) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        r.status = status;
        r.refusalCode = reasonCode;
        r.outcomeCode = reasonCode;
        r.completedAt = now;
        r.stateDeadline = null;
        r.stateOwner = null;
        if (r.subjectId != null) {
            outbox.publish(new RightsRequestRefused(r.id, r.subjectId, reasonCode, now));
            notice(r, "rights-request-refused", Map.of("requestId", r.id.toString(), "reasonCode", reasonCode));
        }
        Log.infof("request %s %s: %s", r.id, status, reasonCode);
    }

    /** An officer records the explanation of an automated decision (policy 6.7), as a code of the decision catalogue. */
    public RequestView explain(Caller caller, UUID id, String explanationCode) {
        caller.mustBeOfficer();
        return QuarkusTransaction.requiringNew().call(() -> {
            RightsRequest r = found(id);
            if (!RequestTypes.AUTOMATED_DECISION.equals(r.type) || r.isFinal()
                    || RequestStatus.AWAITING_VERIFICATION.equals(r.status)) {
                throw new ProblemException(ProblemType.CONFLICT, "No explanation is awaited on this request.", "requestId");
            }
            r.explanationCode = explanationCode;
            r.outcomeCode = Boolean.TRUE.equals(r.optOut) ? "EXPLAINED_AND_OPTED_OUT" : "EXPLAINED";
            if (RequestStatus.AWAITING_OPERATOR.equals(r.status)) {
                propagation.completeIfDone(r);
            }
            return view(r);
        });
    }

    /** An officer answers a complaint (policies 6.8, 10.2) with a resolution code. */
    public RequestView resolveComplaint(Caller caller, UUID id, String resolutionCode) {
        caller.mustBeOfficer();
        return QuarkusTransaction.requiringNew().call(() -> {
            RightsRequest r = found(id);
            if (!RequestTypes.COMPLAINT.equals(r.type) || !RequestStatus.AWAITING_OPERATOR.equals(r.status)) {
                throw new ProblemException(ProblemType.CONFLICT, "No answer is awaited on this request.", "requestId");
            }
            r.outcomeCode = resolutionCode;
            propagation.completeIfDone(r);
            return view(r);
        });
    }

    /** An operator retries one failed or silent holder without restarting the request. */
    public RequestView retryHolder(Caller caller, UUID id, String holderId) {
        if (!caller.operator()) {
            throw new ProblemException(ProblemType.FORBIDDEN, "Only an operator may retry a holder.");
        }
        return QuarkusTransaction.requiringNew().call(() -> {
            RightsRequest r = found(id);
            if (r.isFinal()) {
                // a correction whose source changed nothing ended with that answer (policy 6.2); nothing is re-opened
                throw new ProblemException(ProblemType.CONFLICT, "The request is already " + r.status + ".", "requestId");
            }
            LedgerEntry e = LedgerEntry.find(id, holderId);
            if (e == null) {
                throw new ProblemException(ProblemType.NOT_FOUND, "The request does not expect that holder.", "holderId");
            }
            if (e.isFinal()) {
                throw new ProblemException(ProblemType.CONFLICT, "That holder already answered " + e.outcome + ".",
                        "holderId");
            }
            propagation.retry(r, e);
            return view(r);
        });
    }

    private static RightsRequest found(UUID id) {
        RightsRequest r = RightsRequest.findById(id, LockModeType.PESSIMISTIC_WRITE);
        if (r == null) {
            throw new ProblemException(ProblemType.NOT_FOUND, "No such request.", "requestId");
        }
        return r;
    }

    /** Tells the subject about its request through notification-service (ids, dates and codes only). */
    public void notice(RightsRequest r, String template, Map<String, String> params) {
        outbox.publish(new NoticeRequested(UUID.randomUUID(), r.subjectId, "SERVICE", template, List.of("EMAIL", "SMS"),
                "zh-CN", new HashMap<>(params), Instant.now()));
    }

    public RequestView read(Caller caller, UUID id) {
        RightsRequest r = RightsRequest.findById(id);
        mayRead(caller, r);
        return view(r);
    }

    /** A subject reaches its own requests, a linked guardian its ward's, operators all (see {@link Caller#mayRead}). */
    private void mayRead(Caller caller, RightsRequest r) {
        if (r != null && r.subjectId != null && caller.guardian()
                && guardians.isGuardianOf(caller.subjectIdOrNull(), r.subjectId)) {
            return;
        }
        caller.mayRead(r);
    }

    public List<RequestView> ofSubject(Caller caller, UUID subjectId) {
        if (!caller.operator() && !subjectId.toString().equals(caller.id())
                && !(caller.guardian() && guardians.isGuardianOf(caller.subjectIdOrNull(), subjectId))) {
            throw new ProblemException(ProblemType.FORBIDDEN, "A subject sees its own requests only.", "subjectId");
        }
        return RightsRequest.<RightsRequest>list("subjectId = ?1 order by submittedAt", subjectId).stream()
                .map(RequestService::view).toList();
    }

    /** A holder's read of this service's part of an export: the subject's requests (ids, codes and dates only). */
    public static List<RequestView> ofSubjectUnchecked(UUID subjectId) {
        return RightsRequest.<RightsRequest>list("subjectId = ?1 order by submittedAt", subjectId).stream()
                .map(RequestService::view).toList();
    }

    public static RequestView view(RightsRequest r) {
        return RequestView.of(r, LedgerEntry.ofRequest(r.id));
    }
}
