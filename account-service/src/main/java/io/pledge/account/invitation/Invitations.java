package io.pledge.account.invitation;

import io.pledge.account.cessation.CollectionGate;
import io.pledge.account.config.AccountConfig;
import io.pledge.account.holder.AccessAudit;
import io.pledge.account.idempotency.IdempotentRequests;
import io.pledge.account.login.Caller;
import io.pledge.account.registration.Account;
import io.pledge.account.registration.AccountService;
import io.pledge.account.registration.ContactValues;
import io.pledge.account.registration.LookupKey;
import io.pledge.account.verification.RateLimiter;
import io.pledge.events.notification.NoticeRequested;
import io.pledge.kit.crypto.PersonalString;
import io.pledge.kit.crypto.SubjectKeyRing;
import io.pledge.kit.outbox.Outbox;
import io.pledge.kit.problem.ProblemException;
import io.pledge.kit.problem.ProblemType;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Friend invitations (policy 2.2.1): the invitee's email serves that one invitation and nothing else.
 * It is stored sealed under the invitation's own key, announced as a {@code NoticeRequested}
 * (SERVICE, {@code friend-invitation}, params: the invitation id only), fetched once by
 * notification-service at send time, and erased at that fetch — or unsent after the TTL, or when the
 * inviter withdraws it or is erased — with its key shredded. It never becomes an account, a contact
 * a holder can look up, or a member of any audience.
 */
@ApplicationScoped
@Transactional
public class Invitations {

    public static final String TEMPLATE = "friend-invitation";
    public static final String PURPOSE = "friend-invitation";

    private final AccountConfig config;
    private final Caller caller;
    private final RateLimiter limiter;
    private final LookupKey lookup;
    private final Outbox outbox;
    private final SubjectKeyRing keys;
    private final AccessAudit audit;
    private final CollectionGate gate;
    private final IdempotentRequests idempotent;

    public Invitations(AccountConfig config, Caller caller, RateLimiter limiter, LookupKey lookup, Outbox outbox,
                       SubjectKeyRing keys, AccessAudit audit, CollectionGate gate, IdempotentRequests idempotent) {
        this.config = config;
        this.caller = caller;
        this.limiter = limiter;
        this.lookup = lookup;
        this.outbox = outbox;
        this.keys = keys;
        this.audit = audit;
        this.gate = gate;
        this.idempotent = idempotent;
    }

    /** An invitation as its inviter sees it: never the address. */
    public record View(UUID invitationId, String status, Instant createdAt, Instant expiresAt, Instant sentAt) {
        static View of(Invitation i) {
            return new View(i.id, i.status, i.createdAt, i.expiresAt, i.sentAt);
        }
    }

    /** What notification-service gets, once, to send an invitation. */
    public record Delivery(UUID invitationId, UUID inviterId, String address, Instant expiresAt) {
        @Override
        public String toString() {
            return "Delivery[" + invitationId + "]";
        }
    }

    /** The calling subject invites a friend by email; limited per inviter and per invitee address. */
    public View invite(UUID subject, String rawEmail, String idempotencyKey) {
        Account a = caller.self(subject);
        AccountService.requireActive(a);
        return idempotent.once("invitation", idempotencyKey == null ? null : subject + ":" + idempotencyKey, View.class,
                () -> create(a, rawEmail));
    }

    private View create(Account a, String rawEmail) {
        gate.requireOpen();
        String email = ContactValues.email(rawEmail, "email");
        if (lookup.hash(ContactValues.EMAIL, email).equals(a.emailLookup)) {
            throw new ProblemException(ProblemType.UNPROCESSABLE, "That is your own email address.", "email");
        }
        AccountConfig.Invitations c = config.invitations();
        limiter.acquire("invitations sent", c.window(),
                new RateLimiter.Limit("i:" + lookup.hash("inviter", a.id.toString()).substring(0, 40), c.perInviter(),
                        "account"),
                new RateLimiter.Limit("v:" + lookup.hash("invitee", email).substring(0, 40), c.perInvitee(),
                        "email address"));
        Invitation i = new Invitation();
        i.id = UUID.randomUUID();
        i.inviterId = a.id;
        i.email = PersonalString.of(i.id, "email", email);
        i.status = Invitation.PENDING;
        i.createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        i.expiresAt = i.createdAt.plus(c.ttl());
        i.persist();
        outbox.publish(new NoticeRequested(i.id, a.id, "SERVICE", TEMPLATE, List.of("EMAIL"), "zh-CN",
                Map.of("invitationId", i.id.toString()), i.createdAt));
        return View.of(i);
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<View> list(UUID subject) {
        caller.self(subject);
        return ofInviter(subject);
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<View> ofInviter(UUID subject) {
        return Invitation.<Invitation>list("inviterId = ?1 order by createdAt", subject).stream().map(View::of).toList();
    }

    /** The inviter withdraws an unsent invitation: the address is erased at once. */
    public View withdraw(UUID subject, UUID invitationId) {
        caller.self(subject);
        Invitation i = Invitation.findById(invitationId, LockModeType.PESSIMISTIC_WRITE);
        if (i == null || !i.inviterId.equals(subject)) {
            throw new ProblemException(ProblemType.NOT_FOUND, "No such invitation.");
        }
        if (!Invitation.PENDING.equals(i.status)) {
            throw new ProblemException(ProblemType.CONFLICT, "The invitation was already " + i.status.toLowerCase() + ".",
                    "status");
        }
        erase(i, Invitation.WITHDRAWN, Instant.now().truncatedTo(ChronoUnit.MICROS));
        return View.of(i);
    }

    /**
     * The address of a pending invitation, for its one delivery: answered once, then erased with its
     * key; audited. Empty when there is no such deliverable invitation.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<Delivery> deliver(UUID invitationId, String client) {
        Invitation i = Invitation.findById(invitationId, LockModeType.PESSIMISTIC_WRITE);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        if (i == null || !Invitation.PENDING.equals(i.status) || i.email == null || i.email.isErased()
                || !now.isBefore(i.expiresAt)) {
            return Optional.empty();
        }
        String address = i.email.value();
        i.sentAt = now;
        erase(i, Invitation.SENT, now);
        audit.record(i.inviterId, client, "HOLDER", List.of("inviteeEmail"), PURPOSE);
        return Optional.of(new Delivery(i.id, i.inviterId, address, i.expiresAt));
    }

    private void erase(Invitation i, String status, Instant at) {
        i.status = status;
        i.email = null;
        i.erasedAt = at;
        i.persist();
        keys.shred(i.id);
    }

    /** Erases every address of invitations past their TTL, unsent; returns how many. */
    public int expire(Instant now) {
        List<Invitation> stale = Invitation.list("status = ?1 and expiresAt <= ?2", Invitation.PENDING, now);
        for (Invitation i : stale) {
            erase(i, Invitation.EXPIRED, now.truncatedTo(ChronoUnit.MICROS));
        }
        if (!stale.isEmpty()) {
            Log.infof("erased the addresses of %d expired invitations", stale.size());
        }
        return stale.size();
    }

    @Scheduled(every = "${pledge.account.invitations.sweep-every:10m}", delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sweep() {
        expire(Instant.now());
    }

    /** For the inviter's erasure: shreds the key of every invitation still holding an address; returns the rows. */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<UUID> shredPending(UUID inviter) {
        List<UUID> ids = Invitation.<Invitation>list("inviterId = ?1 and email is not null", inviter).stream()
                .map(i -> i.id).toList();
        ids.forEach(keys::shred);
        return ids;
    }
}
