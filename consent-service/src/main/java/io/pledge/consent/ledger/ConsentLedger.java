package io.pledge.consent.ledger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pledge.consent.check.ConsentView;
import io.pledge.consent.config.ConsentConfig;
import io.pledge.consent.ledger.ConsentChange.Decision;
import io.pledge.consent.ledger.Subjects.Actor;
import io.pledge.consent.policy.PolicyVersions;
import io.pledge.consent.purpose.Purpose;
import io.pledge.consent.purpose.PurposeCatalogue;
import io.pledge.consent.receipt.Receipts;
import io.pledge.events.consent.ConsentExpired;
import io.pledge.events.consent.ConsentGranted;
import io.pledge.events.consent.ConsentRefused;
import io.pledge.events.consent.ConsentStateChanged;
import io.pledge.events.consent.ConsentWithdrawn;
import io.pledge.kit.crypto.PersonalString;
import io.pledge.kit.crypto.SubjectKeyRing;
import io.pledge.kit.outbox.Outbox;
import io.pledge.kit.problem.ProblemException;
import io.pledge.kit.problem.ProblemType;
import io.pledge.kit.tx.AfterCommit;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The consent ledger (policy 6.4): every grant, refusal, withdrawal and expiry is a new record, never an
 * update; the current state ({@code consent_state} and the in-memory {@link ConsentView}) is a projection
 * of it. Each record is written with its signed receipt, its event on {@code consent.events} and the
 * subject's new snapshot on {@code consent.state}, all through the outbox in the same transaction.
 * Writes for one subject are serialised by a transaction-scoped advisory lock.
 */
@ApplicationScoped
@Transactional
public class ConsentLedger {

    /** Evidence of how a decision was made: a privacy signal, the user agent and the client's network. */
    public record Evidence(String signal, String userAgent, String clientNetwork) {
        public static final Evidence NONE = new Evidence(null, null, null);
    }

    /** The result of a change: the record asked for, the opt-outs a signal recorded with it, and whether it was a replay. */
    public record Change(RecordView record, List<RecordView> signalRecords, boolean replayed) {
    }

    /** One current consent of a subject. */
    public record CurrentConsent(String purposeId, String recipientId, String region, String status, UUID recordId,
                                 Instant since, Instant expiresAt) {
    }

    private final EntityManager em;
    private final Outbox outbox;
    private final PurposeCatalogue catalogue;
    private final PolicyVersions policies;
    private final Receipts receipts;
    private final Subjects subjects;
    private final ConsentView view;
    private final ConsentConfig config;
    private final ObjectMapper json;
    private final TransactionSynchronizationRegistry transactions;
    private final SubjectKeyRing keyRing;
    private final io.pledge.consent.check.RegisteredRegions registered;

    public ConsentLedger(EntityManager em, Outbox outbox, PurposeCatalogue catalogue, PolicyVersions policies,
                         Receipts receipts, Subjects subjects, ConsentView view, ConsentConfig config, ObjectMapper json,
                         TransactionSynchronizationRegistry transactions, SubjectKeyRing keyRing,
                         io.pledge.consent.check.RegisteredRegions registered) {
        this.keyRing = keyRing;
        this.registered = registered;
        this.em = em;
        this.outbox = outbox;
        this.catalogue = catalogue;
        this.policies = policies;
        this.receipts = receipts;
        this.subjects = subjects;
        this.view = view;
        this.config = config;
        this.json = json;
        this.transactions = transactions;
    }

    /**
     * Records a subject's or guardian's decision. With an idempotency key seen before for this subject,
     * returns the first result and records nothing. A DNT or Sec-GPC signal on the request also records
     * a refusal of every tracking purpose not already refused (policy 3.1, 3.2).
     */
    public Change change(UUID subject, ConsentChange c, Actor actor, Evidence evidence, String idempotencyKey) {
        return change(subject, c, actor, evidence, idempotencyKey, null);
    }

    /** A consent request being answered: the request, and the policy version it asks under (null: the one in force). */
    public record Answering(UUID requestId, String policyVersion) {
    }

    /**
     * Records the subject's answer to a consent request (policies 2.3, 9.2): the record names the request and is made
     * against the request's policy version (a material version asks before it takes effect); a request is answered
     * once (409 after that).
     */
    public Change answer(UUID subject, ConsentChange c, Actor actor, Evidence evidence, Answering answering) {
        return change(subject, c, actor, evidence, null, answering);
    }

    private Change change(UUID subject, ConsentChange c, Actor actor, Evidence evidence, String idempotencyKey,
                          Answering answering) {
        Purpose p = catalogue.require(c.purposeId(), "purposeId");
        validate(p, c, evidence);
        Standing standing = lockAndRead(subject);
        boolean cancelled = standing.cancelled();
        if (answering != null) {
            @SuppressWarnings("unchecked")
            List<Object> answered = em.createNativeQuery("select answered_at from consent_request where id = ?1 for update")
                    .setParameter(1, answering.requestId()).getResultList();
            if (answered.isEmpty() || answered.get(0) != null) {
                throw new ProblemException(ProblemType.CONFLICT, "This consent request has been answered already; change "
                        + "the consent itself from the consent settings.", "requestId");
            }
        }
        if (idempotencyKey != null) {
            Optional<ConsentRecord> prior = ConsentRecord.find("subjectId = ?1 and idempotencyKey = ?2", subject,
                    idempotencyKey).firstResultOptional();
            if (prior.isPresent()) {
                return new Change(RecordView.of(prior.get(), receiptOf(prior.get().id)), List.of(), true);
            }
        }
        if (c.decision() == Decision.GIVEN && p.commercial() && cancelled) {
            throw new ProblemException(ProblemType.CONFLICT, "This account is cancelled: its data is kept only as the "
                    + "law requires and is not used commercially in any way (policy 5.4).", "purposeId");
        }
        subjects.ensureKnown(subject);
        Instant now = now();
        String version = answering != null && answering.policyVersion() != null ? answering.policyVersion()
                : policies.current().version();
        String channel = actor.guardian() ? "GUARDIAN" : c.channel().name();
        List<RecordView> signalRecords = new ArrayList<>();
        if (evidence.signal() != null) {
            for (Purpose t : catalogue.tracking()) {
                if (t.id().equals(p.id())) {
                    continue; // the decision asked for covers it
                }
                String current = currentStatus(subject, t.id(), "", "");
                if (!"REFUSED".equals(current) && !"WITHDRAWN".equals(current)) {
                    signalRecords.add(append(subject, t, "REFUSED", null, null, evidence.signal(), actor, version, now,
                            null, false, evidence.signal(), null, evidence, null, null));
                }
            }
        }
        String transfer = null;
        if (c.decision() == Decision.GIVEN && p.crossBorder()) {
            try {
                transfer = json.writeValueAsString(c.transfer());
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("transfer terms not serialisable", e);
            }
        }
        RecordView main = append(subject, p, c.decision().name(), c.recipientId(), c.region(), channel, actor, version, now,
                c.decision() == Decision.GIVEN && c.expiresAt() != null ? c.expiresAt().truncatedTo(ChronoUnit.MICROS) : null, c.explicit() || c.confirmsOverSignal(),
                evidence.signal(), transfer, evidence, idempotencyKey, null,
                answering == null ? null : answering.requestId());
        if (answering != null) {
            em.createNativeQuery("update consent_request set answered_at = ?2, answer_record_id = ?3 where id = ?1")
                    .setParameter(1, answering.requestId()).setParameter(2, Sql.time(now)).setParameter(3, main.recordId())
                    .executeUpdate();
        }
        publishSnapshot(subject, now);
        return new Change(main, signalRecords, false);
    }

    /**
     * A DNT or Sec-GPC signal seen on an ordinary request of the subject (policies 3.1, 3.2): records a refusal of every
     * tracking purpose not already refused or withdrawn, channel DNT or GPC. A second signal records nothing new.
     *
     * @return the records made
     */
    public List<RecordView> signal(UUID subject, String signal, Evidence evidence) {
        lockAndRead(subject);
        subjects.ensureKnown(subject);
        Instant now = now();
        String version = policies.current().version();
        List<RecordView> made = new ArrayList<>();
        for (Purpose t : catalogue.tracking()) {
            String current = currentStatus(subject, t.id(), "", "");
            if (!"REFUSED".equals(current) && !"WITHDRAWN".equals(current)) {
                made.add(append(subject, t, "REFUSED", null, null, signal, new Actor(Actor.SUBJECT, subject), version, now,
                        null, false, signal, null, new Evidence(signal, evidence.userAgent(), evidence.clientNetwork()),
                        null, null));
            }
        }
        if (!made.isEmpty()) {
            publishSnapshot(subject, now);
        }
        return made;
    }

    /**
     * A device's cookie choices applied when its visitor signs in (policy 3.1): each purpose the subject has not decided
     * since the device's choice was made is recorded for the subject (channel WEB), a grant over a DNT/GPC opt-out of
     * the subject's only with the device's own confirmation. Returns the records made.
     */
    public List<RecordView> applyDevice(UUID subject, List<DevicePreferences.Choice> choices, Evidence evidence) {
        Standing standing = lockAndRead(subject);
        subjects.ensureKnown(subject);
        Instant now = now();
        String version = policies.current().version();
        List<RecordView> made = new ArrayList<>();
        for (DevicePreferences.Choice c : choices) {
            Optional<Purpose> p = catalogue.find(c.purposeId());
            if (p.isEmpty() || p.get().necessary()) {
                continue;
            }
            if ("GIVEN".equals(c.status()) && p.get().commercial() && standing.cancelled()) {
                continue; // no commercial use of a cancelled account (5.4)
            }
            Optional<ConsentRecord> current = currentRecord(subject, c.purposeId(), "", "");
            if (current.isPresent() && !current.get().recordedAt.isBefore(c.updatedAt())) {
                continue; // the subject decided since
            }
            if (current.isPresent() && current.get().status.equals(c.status())) {
                continue;
            }
            made.add(append(subject, p.get(), c.status(), null, null, "WEB", new Actor(Actor.SUBJECT, subject), version, now,
                    null, false, c.signal(), null, evidence, null, null));
        }
        if (!made.isEmpty()) {
            publishSnapshot(subject, now);
        }
        return made;
    }

    /**
     * One-click unsubscribe (policy 2.2.3): withdraws a marketing purpose for the subject, channel EMAIL_LINK.
     * A purpose already withdrawn or refused records nothing new; returns the record in force.
     */
    public RecordView unsubscribe(UUID subject, String purposeId) {
        Purpose p = catalogue.require(purposeId, "token");
        lockAndRead(subject);
        Optional<ConsentRecord> current = currentRecord(subject, p.id(), "", "");
        if (current.isPresent() && Set.of("WITHDRAWN", "REFUSED").contains(current.get().status)) {
            return RecordView.of(current.get(), receiptOf(current.get().id));
        }
        subjects.ensureKnown(subject);
        Instant now = now();
        RecordView r = append(subject, p, "WITHDRAWN", null, null, "EMAIL_LINK", new Actor(Actor.SUBJECT, subject),
                policies.current().version(), now, null, false, null, null, Evidence.NONE, null, null);
        publishSnapshot(subject, now);
        return r;
    }

    /**
     * account.events AccountCancelled (policy 5.4, 6.5): while anything of the subject is kept for the shortest
     * legal period there is no commercial use of it of any kind, so every consent in force for a purpose beyond the
     * necessary (profiling, matching, marketing, advertising, sharing with partners or affiliates, transfers abroad) is
     * withdrawn by the controller (channel SYSTEM, reason ACCOUNT_CANCELLED; holders hear it as ConsentWithdrawn), the
     * check answers ACCOUNT_CANCELLED for every such purpose from now on, and no new grant of one is accepted.
     *
     * @return how many consents were withdrawn
     */
    public int accountCancelled(UUID subject, Instant cancelledAt) {
        lock(subject);
        subjects.cancelled(subject, cancelledAt);
        Instant now = now();
        int withdrawn = 0;
        for (Purpose p : catalogue.all()) {
            if (!p.commercial()) {
                continue;
            }
            @SuppressWarnings("unchecked")
            List<Object[]> given = em.createNativeQuery("select recipient_key, region_key from consent_state "
                    + "where subject_id = ?1 and purpose_id = ?2 and status = 'GIVEN' order by record_seq")
                    .setParameter(1, subject).setParameter(2, p.id()).getResultList();
            for (Object[] g : given) {
                append(subject, p, "WITHDRAWN", blankToNull((String) g[0]), blankToNull((String) g[1]), "SYSTEM",
                        new Actor(Actor.CONTROLLER, null), policies.current().version(), now, null, false, null, null,
                        Evidence.NONE, null, "ACCOUNT_CANCELLED");
                withdrawn++;
            }
        }
        if (withdrawn > 0) {
            publishSnapshot(subject, now);
        }
        AfterCommit.run(transactions, () -> view.cancelled(subject));
        return withdrawn;
    }

    /** Appends EXPIRED for grants whose expiry passed (at most {@code limit}); returns how many. */
    public int expireDue(int limit) {
        @SuppressWarnings("unchecked")
        List<Object[]> due = em.createNativeQuery("select subject_id, purpose_id, recipient_key, region_key from consent_state "
                + "where status = 'GIVEN' and expires_at <= now() order by expires_at limit ?1 for update skip locked")
                .setParameter(1, limit).getResultList();
        Instant now = now();
        Set<UUID> touched = new LinkedHashSet<>();
        for (Object[] d : due) {
            UUID subject = Sql.uuid(d[0]);
            Optional<Purpose> p = catalogue.find((String) d[1]);
            if (p.isEmpty()) {
                continue;
            }
            String recipient = ((String) d[2]).isEmpty() ? null : (String) d[2];
            String region = ((String) d[3]).isEmpty() ? null : (String) d[3];
            append(subject, p.get(), "EXPIRED", recipient, region, "SYSTEM", new Actor(Actor.CONTROLLER, null),
                    policies.current().version(), now, null, false, null, null, Evidence.NONE, null, "EXPIRY");
            touched.add(subject);
        }
        touched.forEach(s -> publishSnapshot(s, now));
        return due.size();
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<CurrentConsent> current(UUID subject) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("select purpose_id, recipient_key, region_key, status, record_id, "
                        + "recorded_at, expires_at from consent_state where subject_id = ?1 order by purpose_id, recipient_key, region_key")
                .setParameter(1, subject).getResultList();
        return rows.stream().map(r -> new CurrentConsent((String) r[0], blankToNull((String) r[1]), blankToNull((String) r[2]),
                (String) r[3], Sql.uuid(r[4]), Sql.instant(r[5]), Sql.instant(r[6]))).toList();
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<RecordView> records(UUID subject, int page, int size) {
        List<ConsentRecord> rows = ConsentRecord.<ConsentRecord>find("subjectId = ?1 order by seq", subject)
                .page(page, size).list();
        Map<UUID, UUID> receiptIds = receiptIds(subject);
        return rows.stream().map(r -> RecordView.of(r, receiptIds.get(r.id))).toList();
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public long recordCount(UUID subject) {
        return ConsentRecord.count("subjectId", subject);
    }

    /** The full ledger of a subject, with the evidence (for the subject's own export, policy 6.1). */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<Map<String, Object>> export(UUID subject) {
        Map<UUID, UUID> receiptIds = receiptIds(subject);
        List<Map<String, Object>> out = new ArrayList<>();
        for (ConsentRecord r : ConsentRecord.<ConsentRecord>list("subjectId = ?1 order by seq", subject)) {
            Map<String, Object> m = new TreeMap<>(json.convertValue(RecordView.of(r, receiptIds.get(r.id)), Map.class));
            m.put("clientNetwork", r.clientNetwork);
            m.put("userAgent", r.userAgent == null || r.userAgent.isErased() ? null : r.userAgent.value());
            if (r.transferTerms != null) {
                try {
                    m.put("transfer", json.readValue(r.transferTerms, Map.class));
                } catch (JsonProcessingException e) {
                    throw new IllegalStateException("transfer terms unreadable", e);
                }
            }
            out.add(m);
        }
        return out;
    }

    /** Serialises writes for one subject until the transaction ends. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void lock(UUID subject) {
        em.createNativeQuery("select 1 from (select pg_advisory_xact_lock(?1)) l")
                .setParameter(1, lockKey(subject)).getSingleResult();
    }

    /** The advisory-lock key of a subject's writes. */
    private static long lockKey(UUID subject) {
        return subject.getMostSignificantBits() ^ subject.getLeastSignificantBits();
    }

    /** What a write needs to know of a subject once its writes are serialised. */
    record Standing(boolean cancelled, boolean erased) {
    }

    /**
     * {@link #lock}, then whether the subject's account was cancelled; refuses (410 Gone) every write for an erased
     * subject: after an erasure nothing more is recorded for it, nor published on consent.state over its tombstone.
     * The read is its own statement so that its snapshot is taken after the lock is held: an erasure that held the
     * lock first is seen committed.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    Standing lockAndRead(UUID subject) {
        lock(subject);
        Standing s = standing(subject);
        if (s.erased()) {
            throw erased();
        }
        return s;
    }

    /** Refuses (410 Gone) when the subject was erased; for paths that record nothing themselves. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public void requireNotErased(UUID subject) {
        if (standing(subject).erased()) {
            throw erased();
        }
    }

    private Standing standing(UUID subject) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("select cancelled_at is not null, erased_at is not null "
                + "from known_subject where subject_id = ?1").setParameter(1, subject).getResultList();
        return rows.isEmpty() ? new Standing(false, false)
                : new Standing((Boolean) rows.get(0)[0], (Boolean) rows.get(0)[1]);
    }

    private static ProblemException erased() {
        return new ProblemException(ProblemType.GONE, "This subject's data has been erased: no consent, refusal, "
                + "withdrawal or unsubscribe is recorded for it any more (policy 6.3).");
    }

    /** Publishes the subject's current snapshot to consent.state (through the outbox). */
    @Transactional(Transactional.TxType.MANDATORY)
    public void publishSnapshot(UUID subject, Instant asOf) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("select purpose_id, recipient_key, region_key, status from consent_state "
                + "where subject_id = ?1 order by record_seq").setParameter(1, subject).getResultList();
        // a purpose's general consent decides; recipient-scoped ones are summarised (GIVEN for at least one
        // recipient): holders call the check API for recipient and region decisions
        Map<String, String> general = new HashMap<>();
        Map<String, String> scoped = new HashMap<>();
        for (Object[] r : rows) {
            String purpose = (String) r[0];
            String status = (String) r[3];
            if (((String) r[1]).isEmpty() && ((String) r[2]).isEmpty()) {
                general.put(purpose, status);
            } else if (!"GIVEN".equals(scoped.get(purpose))) {
                scoped.put(purpose, status);
            }
        }
        Map<String, String> purposes = new HashMap<>(scoped);
        purposes.putAll(general);
        outbox.publish(new ConsentStateChanged(subject, purposes, asOf));
    }

    private RecordView append(UUID subject, Purpose p, String status, String recipient, String region, String channel,
                              Actor actor, String version, Instant now, Instant expiresAt, boolean explicit, String signal,
                              String transfer, Evidence evidence, String idempotencyKey, String reason) {
        return append(subject, p, status, recipient, region, channel, actor, version, now, expiresAt, explicit, signal,
                transfer, evidence, idempotencyKey, reason, null);
    }

    private RecordView append(UUID subject, Purpose p, String status, String recipient, String region, String channel,
                              Actor actor, String version, Instant now, Instant expiresAt, boolean explicit, String signal,
                              String transfer, Evidence evidence, String idempotencyKey, String reason, UUID requestId) {
        ConsentRecord r = new ConsentRecord();
        r.id = UUID.randomUUID();
        r.subjectId = subject;
        r.purposeId = p.id();
        r.recipientId = recipient;
        r.region = region;
        r.status = status;
        r.policyVersion = version;
        r.channel = channel;
        r.actor = actor.kind();
        r.actorId = actor.id();
        r.recordedAt = now;
        r.expiresAt = expiresAt;
        r.explicitConfirmation = explicit;
        r.signal = signal;
        r.transferTerms = transfer;
        r.clientNetwork = evidence.clientNetwork();
        r.userAgent = seal(subject, evidence.userAgent());
        r.idempotencyKey = idempotencyKey;
        r.reason = reason;
        r.requestId = requestId;
        r.persist();
        em.flush();
        UUID receiptId = receipts.issue(r, p);

        Set<String> transferPurposes = Set.of();
        if (transfer != null) {
            transferPurposes = Set.copyOf(readTerms(transfer).purposes());
        }
        em.createNativeQuery("insert into consent_state (subject_id, purpose_id, recipient_key, region_key, status, record_id, "
                        + "record_seq, recorded_at, expires_at, transfer_purposes) values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, "
                        + "cast(?10 as text[])) on conflict (subject_id, purpose_id, recipient_key, region_key) do update set "
                        + "status = excluded.status, record_id = excluded.record_id, record_seq = excluded.record_seq, "
                        + "recorded_at = excluded.recorded_at, expires_at = excluded.expires_at, "
                        + "transfer_purposes = excluded.transfer_purposes where consent_state.record_seq < excluded.record_seq")
                .setParameter(1, subject).setParameter(2, p.id()).setParameter(3, recipient == null ? "" : recipient)
                .setParameter(4, region == null ? "" : region).setParameter(5, status).setParameter(6, r.id)
                .setParameter(7, r.seq).setParameter(8, Sql.time(now)).setParameter(9, Sql.time(expiresAt))
                .setParameter(10, Sql.text(transferPurposes.isEmpty() ? null : Sql.textArray(List.copyOf(transferPurposes))))
                .executeUpdate();

        switch (status) {
            case "GIVEN" -> outbox.publish(new ConsentGranted(subject, p.id(), recipient, region, r.id, channel, actor.kind(),
                    version, now, expiresAt));
            case "REFUSED" -> outbox.publish(new ConsentRefused(subject, p.id(), recipient, region, r.id, channel,
                    actor.kind(), version, now));
            case "WITHDRAWN" -> outbox.publish(new ConsentWithdrawn(subject, p.id(), recipient, r.id, channel, actor.kind(),
                    version, now));
            case "EXPIRED" -> outbox.publish(new ConsentExpired(subject, p.id(), recipient, r.id, now));
            default -> throw new IllegalArgumentException("status " + status + " is not appended here");
        }

        ConsentView.Key key = ConsentView.Key.of(p.id(), recipient, region);
        ConsentView.Entry entry = new ConsentView.Entry(status, r.id, r.seq, now, expiresAt, transferPurposes);
        AfterCommit.run(transactions, () -> view.apply(subject, key, entry));
        return RecordView.of(r, receiptId);
    }

    private ConsentChange.TransferTerms readTerms(String transfer) {
        try {
            return json.readValue(transfer, ConsentChange.TransferTerms.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("transfer terms unreadable", e);
        }
    }

    private PersonalString seal(UUID subject, String userAgent) {
        if (userAgent == null || userAgent.isBlank() || keyRing.shreddedAt(subject).isPresent()) {
            return null; // nothing new is sealed for a subject whose keys were destroyed by an erasure
        }
        return PersonalString.of(subject, "userAgent", userAgent.length() > 500 ? userAgent.substring(0, 500) : userAgent);
    }

    private void validate(Purpose p, ConsentChange c, Evidence evidence) {
        if (p.necessary()) {
            throw new ProblemException(ProblemType.UNPROCESSABLE, "This purpose is necessary for the service (legal basis "
                    + p.legalBasis() + "); there is no consent to give, refuse or withdraw.", "purposeId");
        }
        if (p.perRecipient() && c.recipientId() == null) {
            throw new ProblemException(ProblemType.INVALID_INPUT, "This purpose needs consent per recipient (policy 4.2).",
                    "recipientId");
        }
        if (!p.perRecipient() && c.recipientId() != null) {
            throw new ProblemException(ProblemType.INVALID_INPUT, "This purpose is not given per recipient.", "recipientId");
        }
        if (p.crossBorder()) {
            if (c.region() == null || c.region().startsWith(config.homeRegion())) {
                throw new ProblemException(ProblemType.INVALID_INPUT,
                        "A cross-border transfer names the offshore recipient's region (policy 5.4).", "region");
            }
            Optional<String> where = registered.of(c.recipientId());
            if (where.isPresent() && !where.get().equals(c.region())) {
                throw new ProblemException(ProblemType.UNPROCESSABLE, "The recipient is registered in another region; "
                        + "a transfer consent names the region the recipient really is in (policy 5.4).", "region");
            }
        } else if (c.region() != null) {
            throw new ProblemException(ProblemType.INVALID_INPUT, "A region applies only to cross-border purposes.", "region");
        }
        if (c.decision() == Decision.GIVEN) {
            if (p.crossBorder()) {
                if (c.transfer() == null) {
                    throw new ProblemException(ProblemType.INVALID_INPUT, "A transfer abroad needs consent naming the "
                            + "recipient, its contact, the processing method, purposes, categories and how to exercise "
                            + "rights there (policy 5.4).", "transfer");
                }
                for (String tp : c.transfer().purposes()) {
                    catalogue.require(tp, "transfer.purposes");
                }
            }
            if (p.sensitive() && !c.explicit()) {
                throw new ProblemException(ProblemType.UNPROCESSABLE,
                        "Sensitive personal information needs its own explicit consent (policy 4.2).", "explicitConfirmation");
            }
            if (p.tracking() && evidence.signal() != null && !c.confirmsOverSignal()) {
                throw new ProblemException(ProblemType.CONFLICT, "The browser sends a " + evidence.signal()
                        + " opt-out signal; opting in to tracking needs confirmOverSignal (policy 3.1).", "confirmOverSignal");
            }
            if (c.expiresAt() != null && !c.expiresAt().isAfter(Instant.now())) {
                throw new ProblemException(ProblemType.INVALID_INPUT, "The expiry must be in the future.", "expiresAt");
            }
        } else {
            if (c.transfer() != null || c.expiresAt() != null) {
                throw new ProblemException(ProblemType.INVALID_INPUT, "Only a grant carries transfer terms or an expiry.",
                        c.transfer() != null ? "transfer" : "expiresAt");
            }
        }
    }

    private String currentStatus(UUID subject, String purpose, String recipientKey, String regionKey) {
        @SuppressWarnings("unchecked")
        List<String> rows = em.createNativeQuery("select status from consent_state where subject_id = ?1 and purpose_id = ?2 "
                        + "and recipient_key = ?3 and region_key = ?4").setParameter(1, subject).setParameter(2, purpose)
                .setParameter(3, recipientKey).setParameter(4, regionKey).getResultList();
        return rows.isEmpty() ? null : rows.get(0);
    }

    private Optional<ConsentRecord> currentRecord(UUID subject, String purpose, String recipientKey, String regionKey) {
        @SuppressWarnings("unchecked")
        List<Object> ids = em.createNativeQuery("select record_id from consent_state where subject_id = ?1 and purpose_id = ?2 "
                        + "and recipient_key = ?3 and region_key = ?4").setParameter(1, subject).setParameter(2, purpose)
                .setParameter(3, recipientKey).setParameter(4, regionKey).getResultList();
        return ids.isEmpty() ? Optional.empty()
                : ConsentRecord.<ConsentRecord>find("id", Sql.uuid(ids.get(0))).firstResultOptional();
    }

    private UUID receiptOf(UUID recordId) {
        @SuppressWarnings("unchecked")
        List<Object> ids = em.createNativeQuery("select id from consent_receipt where record_id = ?1")
                .setParameter(1, recordId).getResultList();
        return ids.isEmpty() ? null : Sql.uuid(ids.get(0));
    }

    private Map<UUID, UUID> receiptIds(UUID subject) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("select record_id, id from consent_receipt where subject_id = ?1")
                .setParameter(1, subject).getResultList();
        Map<UUID, UUID> m = new HashMap<>();
        rows.forEach(r -> m.put(Sql.uuid(r[0]), Sql.uuid(r[1])));
        return m;
    }

    private static String blankToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
