package io.pledge.rights.ledger;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.pledge.events.EventJson;
import io.pledge.events.PrivacyEvent;
import io.pledge.events.rights.HolderEscalated;
import io.pledge.events.rights.HolderReplied;
import io.pledge.events.rights.RightsRequestCompleted;
import io.pledge.kit.events.RefusedRecordException;
import io.pledge.kit.holder.HolderSigner;
import io.pledge.kit.outbox.Outbox;
import io.pledge.rights.certificate.Certificate;
import io.pledge.rights.certificate.Certificates;
import io.pledge.rights.config.RightsConfig;
import io.pledge.rights.registry.Holder;
import io.pledge.rights.registry.HolderKeys;
import io.pledge.rights.registry.OutboundUrls;
import io.pledge.rights.requests.RequestService;
import io.pledge.rights.requests.RequestStatus;
import io.pledge.rights.requests.RequestTypes;
import io.pledge.rights.requests.RightsRequest;
import io.pledge.rights.webhook.WebhookDeliveries;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.hibernate.query.TypedParameterValue;
import org.hibernate.type.StandardBasicTypes;

/**
 * The propagation ledger (ARCHITECTURE, the holder protocol). A request's expected holders are stored in the same
 * transaction as its command's outbox row; every reply is stored durably (once per event id), counted only when it
 * answers a pending entry of an expected holder; a request completes only when every expected holder is final.
 * Locks: the request row first, then its entries, everywhere, so replies, the watchdog and operators never deadlock
 * and a request never completes twice.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.MANDATORY)
public class Propagation {

    public static final String SELF = "rights-request-service";
    public static final String FAILED = "FAILED";
    public static final String OFFICER_QUEUE = "privacy-office";
    /** The escalation of a reply that does not verify against its holder's keys; stays open until an operator acts. */
    public static final String REPLY_SIGNATURE_INVALID = "REPLY_SIGNATURE_INVALID";
    private static final Set<String> OUTCOMES = Set.of("ERASED", "ANONYMIZED", "NOT_HELD", "RETAINED", "CORRECTED",
            "EXPORTED", "APPLIED", "FAILED");

    private final Outbox outbox;
    private final EntityManager em;
    private final Certificates certificates;
    private final WebhookDeliveries webhooks;
    private final RightsConfig config;
    @jakarta.inject.Inject
    io.pledge.rights.registry.KafkaPrincipals kafkaPrincipals;
    private final HolderKeys keys;
    private final HolderSigner signer;
    private final OutboundUrls outboundUrls;

    /** A correction's first phase (policy 6.2): its command is out to the source of its fields only. */
    public static final String AT_SOURCE = "AT_SOURCE";
    /** A correction's second phase: the source answered CORRECTED; every other holder of the fields re-reads them. */
    public static final String AT_HOLDERS = "AT_HOLDERS";
    /** A correction's outcome codes: changed at its source (and every other holder told), or not changed anywhere. */
    public static final String CORRECTED = "CORRECTED";
    public static final String NOT_CORRECTED = "NOT_CORRECTED";

    /** The disposition of a reply refused for its exportLocation (holder_reply.refusal_reason says why). */
    public static final String REFUSED_EXPORT_LOCATION = "REFUSED_EXPORT_LOCATION";

    public Propagation(Outbox outbox, EntityManager em, Certificates certificates, WebhookDeliveries webhooks,
                       RightsConfig config, HolderKeys keys, HolderSigner signer, OutboundUrls outboundUrls) {
        this.keys = keys;
        this.signer = signer;
        this.outboundUrls = outboundUrls;
        this.outbox = outbox;
        this.em = em;
        this.certificates = certificates;
        this.webhooks = webhooks;
        this.config = config;
    }

    /** The holders a request expects: every active holder whose categories or purposes intersect it. */
    public List<Holder> expected(RightsRequest r) {
        List<Holder> active = Holder.active();
        return switch (r.type) {
            case RequestTypes.CONSENT_SCOPE, RequestTypes.AUTOMATED_DECISION ->
                    active.stream().filter(h -> h.processes(r.purposeId)).toList();
            case RequestTypes.OFFBOARDING -> List.of(Holder.findById(r.recipientId));
            case RequestTypes.ACCESS, RequestTypes.COPY -> active.stream()
                    .filter(h -> !h.id.equals(r.recipientId) && h.holdsAny(Arrays.asList(r.categories))).toList();
            default -> active.stream().filter(h -> h.holdsAny(Arrays.asList(r.categories))).toList();
        };
    }

    /** Every category of every active holder: what "all of a subject's data" means today. */
    public static String[] allCategories() {
        Set<String> all = new java.util.TreeSet<>();
        for (Holder h : Holder.active()) {
            all.addAll(h.categoryList());
        }
        return all.toArray(String[]::new);
    }

    /**
     * Stores the expected holders and sends the command, in the caller's transaction. With no holder expected the
     * request completes at once.
     *
     * A correction (policy 6.2) goes in two phases: first to the source of its fields only ({@link #AT_SOURCE}), which
     * applies the new values the subject gave it; every other holder of the fields re-reads them from the source, so
     * it is told only once the source answered {@code CORRECTED} ({@link #sourceAnswered}). The phase is stored with the
     * request, in the transaction that sends each phase's command.
     */
    public void dispatch(RightsRequest r) {
        if (RequestTypes.CORRECTION.equals(r.type)) {
            Set<String> sources = RequestService.sourcesOf(r.fields);
            r.phase = AT_SOURCE;
            // no active source: nothing can change, nobody is told to re-read (completes NOT_CORRECTED)
            dispatchTo(r, expected(r).stream().filter(h -> sources.contains(h.id)).toList());
            return;
        }
        dispatchTo(r, expected(r));
    }

    /**
     * Every source of a correction's fields has answered (called with the request row locked, in the reply's
     * transaction): when each changed the values ({@code CORRECTED}), the command goes to every other holder of the
     * fields ({@link #AT_HOLDERS}), tracked from now like any command (its SLA, re-sends, escalation; the request's
     * due date unchanged). Any other answer ({@code NOT_HELD}, {@code FAILED} with its code, a source resolved by its
     * offboarding) means no value changed: no other holder is told to re-read one, and the request completes
     * {@link #NOT_CORRECTED} with the source's own answer in its ledger; the subject submits a new request.
     */
    private void sourceAnswered(RightsRequest r) {
        if (r.isFinal() || !AT_SOURCE.equals(r.phase)) {
            return;
        }
        List<LedgerEntry> sources = LedgerEntry.ofRequest(r.id); // at the source phase, only the sources have entries
        if (sources.stream().anyMatch(x -> LedgerEntry.PENDING.equals(x.status))) {
            return;
        }
        if (sources.stream().allMatch(x -> x.isFinal() && CORRECTED.equals(x.outcome))) {
            Set<String> told = new LinkedHashSet<>(sources.stream().map(LedgerEntry::holderId).toList());
            r.phase = AT_HOLDERS;
            Log.infof("correction %s: changed at its source %s; now to every other holder of its fields", r.id, told);
            dispatchTo(r, expected(r).stream().filter(h -> !told.contains(h.id)).toList());
            return;
        }
        Log.infof("correction %s: its source changed nothing (%s); no other holder is told", r.id,
                sources.stream().map(x -> x.holderId() + " " + x.outcome
                        + (x.failureCode == null ? "" : " " + x.failureCode)).toList());
        complete(r, Instant.now().truncatedTo(ChronoUnit.MICROS));
    }

    /** Dispatch to one named holder only (a retention follow-up for what that holder kept). */
    public void dispatchOnly(RightsRequest r, Holder h) {
        dispatchTo(r, List.of(h));
    }

    private void dispatchTo(RightsRequest r, List<Holder> holders) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        r.status = RequestStatus.IN_PROGRESS;
        r.stateOwner = RequestStatus.OWNER_HOLDERS;
        r.stateDeadline = r.dueAt;
        if (holders.isEmpty()) {
            Log.infof("request %s (%s): no holder expected", r.id, r.type);
            complete(r, now);
            return;
        }
        List<String> ids = holders.stream().map(h -> h.id).toList();
        String command = Commands.name(r);
        for (Holder h : holders) {
            LedgerEntry e = new LedgerEntry();
            e.key = new LedgerEntry.Key(r.id, h.id);
            e.command = command;
            e.status = LedgerEntry.PENDING;
            e.sentAt = now;
            e.lastSentAt = now;
            e.dueAt = now.plusSeconds(h.ackSlaSeconds);
            e.persist();
        }
        em.flush();
        PrivacyEvent cmd = Commands.build(r, ids, now);
        if (holders.stream().anyMatch(h -> Holder.KAFKA.equals(h.channel))) {
            outbox.publish(cmd);
        }
        for (Holder h : holders) {
            if (Holder.WEBHOOK.equals(h.channel)) {
                webhooks.enqueue(h.id, r.id, command, json(cmd));
            } else if (Holder.LOCAL.equals(h.channel)) {
                answerForSelf(r, command, now);
            }
        }
        Log.infof("request %s (%s): %s sent to %s", r.id, r.type, command, ids);
        em.flush();
        completeIfDone(r);
    }

    /** Sends the command again to one pending holder (the watchdog's re-send and reminder). */
    public void resend(RightsRequest r, LedgerEntry e) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Holder h = Holder.findById(e.holderId());
        PrivacyEvent cmd = Commands.build(r, List.of(e.holderId()), now);
        if (Holder.WEBHOOK.equals(h.channel)) {
            webhooks.enqueue(h.id, r.id, e.command, json(cmd));
        } else if (Holder.LOCAL.equals(h.channel)) {
            answerForSelf(r, e.command, now);
            em.flush();
            completeIfDone(r);
        } else {
            outbox.publish(cmd);
        }
        e.resendCount++;
        e.lastSentAt = now;
        e.remindedAt = now;
        Log.infof("request %s: %s re-sent to holder %s (re-send %d)", r.id, e.command, e.holderId(), e.resendCount);
    }

    /**
     * Records a holder's reply (from Kafka or a signed callback) once per event id; counts it when it answers a
     * pending or failed entry of an expected holder; completes the request when every expected holder is final.
     *
     * A reply whose signature does not verify against the keys registered for the holder it names is never counted:
     * a {@link RefusedRecordException} rolls this transaction back, and its recorder ({@link #refuse}) records the
     * refusal and escalates it in a transaction of its own before the record is dead-lettered.
     *
     * @return the disposition: COUNTED, UNEXPECTED, ALREADY_FINAL, REFUSED_EXPORT_LOCATION or DUPLICATE
     */
    public String onReply(HolderReplied reply, String eventId, String via) {
        HolderKeys.Verdict verdict = keys.verify(reply);
        if (!verdict.verified()) {
            String reason = verdict.refusal();
            throw new RefusedRecordException("reply refused: " + reason + " (holder " + reply.holderId() + ", key "
                    + reply.keyId() + ")", () -> refuse(reply, eventId, via, reason));
        }
        RightsRequest r = RightsRequest.findById(reply.requestId(), LockModeType.PESSIMISTIC_WRITE);
        LedgerEntry e = r == null ? null : em.find(LedgerEntry.class, new LedgerEntry.Key(r.id, reply.holderId()),
                LockModeType.PESSIMISTIC_WRITE);
        String disposition = e == null ? "UNEXPECTED" : e.isFinal() ? "ALREADY_FINAL" : "COUNTED";
        // an export part is only ever fetched from under the holder's registered export base (issue 16)
        String refusal = "COUNTED".equals(disposition) && "EXPORTED".equals(reply.outcome())
                ? outboundUrls.exportRefusal(Holder.findById(reply.holderId()), reply.exportLocation()) : null;
        if (refusal != null) {
            disposition = REFUSED_EXPORT_LOCATION;
        }
        int stored = em.createNativeQuery("insert into holder_reply (event_id, request_id, holder_id, outcome, via, "
                        + "disposition, body, refusal_reason) values (?1, ?2, ?3, ?4, ?5, ?6, cast(?7 as jsonb), ?8) "
                        + "on conflict (event_id) do nothing")
                .setParameter(1, eventId).setParameter(2, reply.requestId()).setParameter(3, reply.holderId())
                .setParameter(4, reply.outcome()).setParameter(5, via).setParameter(6, disposition)
                .setParameter(7, json(reply))
                // typed: a null refusal must bind as text, not as an untyped null
                .setParameter(8, new TypedParameterValue<>(StandardBasicTypes.STRING, refusal)).executeUpdate();
        if (stored == 0) {
            return "DUPLICATE";
        }
        if (refusal != null) {
            Log.warnf("reply %s from holder %s to request %s refused, not counted: its exportLocation is not under the "
                    + "holder's registered export base (%s)", eventId, reply.holderId(), r.id, refusal);
            escalate(r, reply.holderId(), e.dueAt, Instant.now(), "EXPORT_LOCATION_REFUSED");
            return disposition;
        }
        if (e == null) {
            Log.warnf("unexpected reply %s from holder %s to request %s: recorded, flagged, not counted", eventId,
                    reply.holderId(), reply.requestId());
            return disposition;
        }
        if (e.isFinal()) {
            Log.infof("reply %s from holder %s to request %s after its final outcome %s: recorded, not counted", eventId,
                    reply.holderId(), r.id, e.outcome);
            return disposition;
        }
        e.outcome = reply.outcome();
        e.repliedAt = reply.repliedAt();
        e.resolvedBy = null; // its own answer, not its offboarding's
        e.signedReply = signedForm(reply);
        e.counts = reply.counts() == null ? null : new LinkedHashMap<>(reply.counts());
        e.exportLocation = reply.exportLocation();
        e.failureCode = reply.failureCode();
        e.retained = reply.retained() == null ? null : reply.retained().stream().map(i -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("category", i.category());
            m.put("legalBasis", i.legalBasis());
            m.put("until", i.until().toString());
            return m;
        }).toList();
        if (FAILED.equals(reply.outcome())) {
            e.status = FAILED;
            if (RequestTypes.CORRECTION.equals(r.type) && AT_SOURCE.equals(r.phase)) {
                em.flush();
                sourceAnswered(r); // the source changed nothing: the correction ends here, no operator can change that
                return disposition;
            }
            escalate(r, e, Instant.now(), "HOLDER_FAILED");
            return disposition;
        }
        e.status = LedgerEntry.FINAL;
        if (reply.retained() != null && r.subjectId != null) {
            for (HolderReplied.RetainedItem item : reply.retained()) {
                scheduleFollowUp(r, e.holderId(), item.category(), item.legalBasis(), item.until());
            }
        }
        em.flush();
        if (RequestTypes.OFFBOARDING.equals(r.type) && e.holderId().equals(r.recipientId)) {
            resolveByOffboarding(e.holderId(), r.id, reply);
        }
        sourceAnswered(r);
        completeIfDone(r);
        return disposition;
    }

    /**
     * Records a reply that does not verify (REFUSED, with why; once per event id), never counted, and escalates it to
     * the operators naming the holder it claims to be and the request. Idempotent: a redelivery records nothing new.
     *
     * @return true when this call recorded it
     */
    public boolean refuse(HolderReplied reply, String eventId, String via, String reason) {
        int stored = em.createNativeQuery("insert into holder_reply (event_id, request_id, holder_id, outcome, via, "
                        + "disposition, refusal_reason, body) values (?1, ?2, ?3, ?4, ?5, 'REFUSED', ?6, cast(?7 as jsonb)) "
                        + "on conflict (event_id) do nothing")
                .setParameter(1, "refused:" + eventId).setParameter(2, reply.requestId())
                .setParameter(3, reply.holderId()).setParameter(4, reply.outcome()).setParameter(5, via)
                .setParameter(6, reason).setParameter(7, json(reply)).executeUpdate();
        if (stored == 0) {
            return false;
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        RightsRequest r = RightsRequest.findById(reply.requestId());
        if (r != null) {
            escalate(r, reply.holderId(), now, now, REPLY_SIGNATURE_INVALID);
        } else {
            em.createNativeQuery("insert into escalation (id, request_id, holder_id, reason, overdue_since, escalated_at) "
                            + "values (?1, ?2, ?3, ?4, ?5, ?5) on conflict (request_id, holder_id, reason) "
                            + "do update set escalated_at = excluded.escalated_at, resolved_at = null")
                    .setParameter(1, UUID.randomUUID()).setParameter(2, reply.requestId()).setParameter(3, reply.holderId())
                    .setParameter(4, REPLY_SIGNATURE_INVALID).setParameter(5, now).executeUpdate();
            outbox.publish(new HolderEscalated(reply.requestId(), null, reply.holderId(), now, now));
            Log.warnf("ESCALATED: holder %s on unknown request %s: %s", reply.holderId(), reply.requestId(),
                    REPLY_SIGNATURE_INVALID);
        }
        Log.warnf("reply %s claiming holder %s on request %s refused (%s, via %s): recorded, escalated, not counted",
                eventId, reply.holderId(), reply.requestId(), reason, via);
        return true;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> signedForm(HolderReplied reply) {
        return EventJson.mapper().convertValue(reply, Map.class);
    }

    /** An operator retries a failed (or silent) holder: its entry is pending again and the command goes out again. */
    public void retry(RightsRequest r, LedgerEntry e) {
        e.status = LedgerEntry.PENDING;
        e.outcome = null;
        e.failureCode = null;
        e.escalatedAt = null;
        Holder h = Holder.findById(e.holderId());
        e.dueAt = Instant.now().plusSeconds(h.ackSlaSeconds);
        resend(r, e);
    }

    /**
     * A holder is being offboarded (policy 4.1): every in-flight request that expects it is marked as waiting for the
     * offboarding ({@code resolved_by}); its entry stays open (no outcome is written for the holder) until the holder
     * acknowledges the offboarding ({@link #resolveByOffboarding}). A holder that never acknowledges stays pending and
     * is escalated past its SLA like any silent holder.
     *
     * @return how many requests now wait for the acknowledgement
     */
    public int awaitOffboarding(String holderId, UUID offboardingId) {
        return em.createNativeQuery("update ledger_entry set resolved_by = ?2 where holder_id = ?1 and status <> 'FINAL' "
                        + "and request_id <> ?2")
                .setParameter(1, holderId).setParameter(2, offboardingId).executeUpdate();
    }

    /**
     * The holder acknowledged its offboarding (its signed reply to HolderOffboardingRequested, counted and final): the
     * requests that waited for it are resolved by that acknowledgement, each entry carrying the holder's own signed
     * statement (which names the offboarding request), and completed when nothing else is open. Called with the
     * offboarding request's row locked; each waiting request's row is locked before its entry.
     *
     * @return how many requests were resolved
     */
    int resolveByOffboarding(String holderId, UUID offboardingId, HolderReplied ack) {
        @SuppressWarnings("unchecked")
        List<UUID> requests = em.createNativeQuery("select l.request_id from ledger_entry l where l.holder_id = ?1 "
                        + "and l.resolved_by = ?2 and l.status <> 'FINAL' order by l.request_id")
                .setParameter(1, holderId).setParameter(2, offboardingId).getResultList();
        int resolved = 0;
        for (UUID id : requests) {
            RightsRequest r = RightsRequest.findById(id, LockModeType.PESSIMISTIC_WRITE);
            LedgerEntry e = em.find(LedgerEntry.class, new LedgerEntry.Key(id, holderId), LockModeType.PESSIMISTIC_WRITE);
            if (e.isFinal() || !offboardingId.equals(e.resolvedBy)) {
                continue; // the holder answered this request itself meanwhile
            }
            e.status = LedgerEntry.FINAL;
            e.outcome = LedgerEntry.RESOLVED_BY_OFFBOARDING;
            e.repliedAt = ack.repliedAt();
            e.failureCode = null;
            e.signedReply = signedForm(ack);
            resolved++;
            em.flush();
            sourceAnswered(r); // a correction's source offboarded before it answered: nothing changed at the source
            completeIfDone(r);
        }
        Log.infof("holder %s acknowledged offboarding %s: %d waiting requests resolved", holderId, offboardingId,
                resolved);
        return resolved;
    }

    /** Completes the request if no expected holder is still pending or failed. */
    public void completeIfDone(RightsRequest r) {
        if (r.isFinal()) {
            return;
        }
        long open = LedgerEntry.count("key.requestId = ?1 and status <> ?2", r.id, LedgerEntry.FINAL);
        if (open == 0) {
            complete(r, Instant.now().truncatedTo(ChronoUnit.MICROS));
        }
    }

    private void complete(RightsRequest r, Instant now) {
        if (RequestTypes.AUTOMATED_DECISION.equals(r.type) && r.explanationCode == null) {
            // the opt-out was applied by every holder; the request waits for the officer's explanation
            r.status = RequestStatus.AWAITING_OPERATOR;
            r.stateOwner = RequestStatus.OWNER_OFFICER;
            r.stateDeadline = r.dueAt;
            return;
        }
        if (RequestTypes.CORRECTION.equals(r.type) && r.outcomeCode == null && r.phase != null) {
            r.outcomeCode = AT_HOLDERS.equals(r.phase) ? CORRECTED : NOT_CORRECTED;
        }
        r.status = RequestStatus.COMPLETED;
        r.completedAt = now;
        r.stateDeadline = null;
        r.stateOwner = null;
        // a refused (spoofed) reply stays before the operators after completion: someone else signs as a holder
        em.createNativeQuery("update escalation set resolved_at = ?1 where request_id = ?2 and resolved_at is null "
                        + "and reason <> ?3")
                .setParameter(1, now).setParameter(2, r.id).setParameter(3, REPLY_SIGNATURE_INVALID).executeUpdate();
        List<LedgerEntry> entries = LedgerEntry.ofRequest(r.id);
        if (r.subjectId != null && "ErasureRequested".equals(commandOrNull(r))) {
            Certificate c = certificates.issue(r, entries, now);
            r.certificateId = c.id;
        }
        if (RequestTypes.OFFBOARDING.equals(r.type)) {
            Holder h = Holder.findById(r.recipientId);
            h.status = Holder.OFFBOARDED;
            h.offboardedAt = now;
            if (Holder.KAFKA.equals(h.channel)) {
                kafkaPrincipals.revoke(h.id); // offboarded: the brokers refuse its principal from now on
            }
        }
        if (RequestTypes.COPY.equals(r.type) && r.recipientId != null) {
            r.transferStatus = "PENDING";
            webhooks.enqueue(r.recipientId, r.id, WebhookDeliveries.TRANSFER_PACKAGE, "");
        }
        if (r.subjectId != null && RequestTypes.PUBLISHED.contains(r.type)) {
            outbox.publish(new RightsRequestCompleted(r.id, r.subjectId, r.type, now, r.certificateId));
        }
        Log.infof("request %s (%s) completed; %d holders final", r.id, r.type, entries.size());
    }

    private static String commandOrNull(RightsRequest r) {
        try {
            return Commands.name(r);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Escalates one holder on one request to an operator, naming both; once per (request, holder, reason). */
    public void escalate(RightsRequest r, LedgerEntry e, Instant now, String reason) {
        e.escalatedAt = now;
        escalate(r, e.holderId(), e.dueAt, now, reason);
    }

    public void escalate(RightsRequest r, String holderId, Instant overdueSince, Instant now, String reason) {
        int inserted = em.createNativeQuery("insert into escalation (id, request_id, holder_id, reason, overdue_since, "
                        + "escalated_at) values (?1, ?2, ?3, ?4, ?5, ?6) on conflict (request_id, holder_id, reason) "
                        + "do update set escalated_at = excluded.escalated_at, resolved_at = null")
                .setParameter(1, UUID.randomUUID()).setParameter(2, r.id).setParameter(3, holderId)
                .setParameter(4, reason).setParameter(5, overdueSince).setParameter(6, now).executeUpdate();
        if (inserted > 0) {
            // subjectless commands (offboarding, breach measures) are escalated too, keyed by request
            outbox.publish(new HolderEscalated(r.id, r.subjectId, holderId, overdueSince, now));
        }
        Log.warnf("ESCALATED: holder %s on request %s (%s): %s since %s", holderId, r.id, r.type, reason, overdueSince);
    }

    private void scheduleFollowUp(RightsRequest r, String holderId, String category, String basis, LocalDate until) {
        em.createNativeQuery("insert into retention_followup (id, request_id, holder_id, subject_id, category, "
                        + "legal_basis, until_date, status) values (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'SCHEDULED') "
                        + "on conflict (request_id, holder_id, category) do nothing")
                .setParameter(1, UUID.randomUUID()).setParameter(2, r.id).setParameter(3, holderId)
                .setParameter(4, r.subjectId).setParameter(5, category).setParameter(6, basis).setParameter(7, until)
                .executeUpdate();
    }

    /** rights-request-service is a holder too: it keeps pseudonymous request records (ids and codes) as proof. */
    private void answerForSelf(RightsRequest r, String command, Instant now) {
        LedgerEntry e = em.find(LedgerEntry.class, new LedgerEntry.Key(r.id, SELF));
        String outcome = switch (command) {
            case "ErasureRequested" -> "ANONYMIZED";
            case "ExportRequested" -> "EXPORTED";
            // this service takes no breach measure of its own: it says so and an operator is told, never "APPLIED"
            case "BreachMeasuresRequested" -> FAILED;
            default -> "NOT_HELD";
        };
        String failureCode = FAILED.equals(outcome) ? "NO_MEASURES_OF_ITS_OWN" : null;
        e.status = FAILED.equals(outcome) ? FAILED : LedgerEntry.FINAL;
        e.outcome = outcome;
        e.failureCode = failureCode;
        e.repliedAt = now;
        if ("EXPORTED".equals(outcome)) {
            e.exportLocation = config.publicUrl().replaceAll("/$", "") + "/v1/requests?subjectId=" + r.subjectId;
        }
        // signed like every other holder's reply, so the certificate carries this service's own statement too
        e.signedReply = signedForm(signer.sign(new HolderReplied(r.id, SELF, r.subjectId, command, outcome, null, null,
                e.exportLocation, failureCode, now)));
        if (failureCode != null) {
            escalate(r, e, now, "HOLDER_FAILED");
        }
    }

    static String json(Object o) {
        try {
            return EventJson.mapper().writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + o.getClass().getSimpleName(), e);
        }
    }

    /** Every outcome a holder may answer with. */
    public static boolean knownOutcome(String o) {
        return OUTCOMES.contains(o);
    }

    static List<String> ids(List<Holder> hs) {
        return new ArrayList<>(new LinkedHashSet<>(hs.stream().map(h -> h.id).toList()));
    }

    static Duration sla(Holder h) {
        return Duration.ofSeconds(h.ackSlaSeconds);
    }
}
