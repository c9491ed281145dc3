package io.pledge.account.cancellation;

import io.pledge.account.holder.Erasure;
import io.pledge.account.idempotency.IdempotentRequests;
import io.pledge.account.login.Caller;
import io.pledge.account.login.LoginService;
import io.pledge.account.registration.Account;
import io.pledge.events.account.AccountCancelled;
import io.pledge.events.account.CancellationRequested;
import io.pledge.events.rights.HolderReplied;
import io.pledge.kit.outbox.Outbox;
import io.pledge.kit.problem.Problem;
import io.pledge.kit.problem.ProblemException;
import io.pledge.kit.problem.ProblemType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

/**
 * Account cancellation (policy 6.5): refused while a hold is active, naming each; otherwise
 * irreversible at once — every session revoked, login refused, {@code AccountCancelled} published for
 * rights-request-service to propagate erasure — and the subject is told what is retained, on what
 * basis, until when (policy 5.4).
 */
@ApplicationScoped
@Transactional
public class CancellationService {

    public static final List<String> KINDS = List.of("RESOURCES", "UNPAID_FEES", "DISPUTE");

    private final Caller caller;
    private final Outbox outbox;
    private final LoginService login;
    private final Erasure erasure;
    private final IdempotentRequests idempotent;

    public CancellationService(Caller caller, Outbox outbox, LoginService login, Erasure erasure,
                               IdempotentRequests idempotent) {
        this.caller = caller;
        this.outbox = outbox;
        this.login = login;
        this.erasure = erasure;
        this.idempotent = idempotent;
    }

    /** A hold as holders and subjects see it. */
    public record Hold(UUID holdId, UUID subjectId, String kind, String holderId, Instant placedAt, Instant liftedAt) {
        static Hold of(CancellationHold h) {
            return new Hold(h.id, h.subjectId, h.kind, h.holderId, h.placedAt, h.liftedAt);
        }
    }

    /** The outcome of a cancellation, with what stays and why. */
    public record Cancelled(UUID subjectId, String status, Instant cancelledAt, int sessionsRevoked,
                            List<HolderReplied.RetainedItem> retained, String erasure) {
    }

    public Hold place(UUID subject, String kind, String holderId, String idempotencyKey) {
        return idempotent.once("hold", idempotencyKey == null ? null : holderId + ":" + idempotencyKey, Hold.class, () -> {
            Account a = Account.findById(subject);
            if (a == null || Account.CANCELLED.equals(a.status)) {
                throw new ProblemException(ProblemType.NOT_FOUND, "No such active account.");
            }
            CancellationHold h = new CancellationHold();
            h.id = UUID.randomUUID();
            h.subjectId = subject;
            h.kind = kind;
            h.holderId = holderId;
            h.placedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
            h.persist();
            return Hold.of(h);
        });
    }

    public Hold lift(UUID subject, UUID holdId, String holderId) {
        CancellationHold h = CancellationHold.findById(holdId);
        if (h == null || !h.subjectId.equals(subject)) {
            throw new ProblemException(ProblemType.NOT_FOUND, "No such hold.");
        }
        if (!h.holderId.equals(holderId)) {
            throw new ProblemException(ProblemType.FORBIDDEN, "Only the holder that placed a hold lifts it.");
        }
        if (h.liftedAt == null) {
            h.liftedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        }
        return Hold.of(h);
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<Hold> active(UUID subject) {
        return CancellationHold.<CancellationHold>list("subjectId = ?1 and liftedAt is null order by placedAt", subject)
                .stream().map(Hold::of).toList();
    }

    public Cancelled cancel(UUID subject, String idempotencyKey) {
        caller.self(subject);
        return idempotent.once("cancel", idempotencyKey == null ? null : subject + ":" + idempotencyKey, Cancelled.class,
                () -> doCancel(subject));
    }

    private Cancelled doCancel(UUID subject) {
        Account a = Account.findById(subject, LockModeType.PESSIMISTIC_WRITE);
        List<Hold> holds = active(subject);
        if (!holds.isEmpty()) {
            throw new ProblemException(Problem.of(ProblemType.CONFLICT,
                            "The account cannot be cancelled while it has: "
                                    + String.join(", ", holds.stream().map(Hold::kind).distinct().toList())
                                    + ". Settle them first (policy 6.5).")
                    .withField("holds")
                    .withErrors(holds.stream().map(h -> new Problem.FieldError("holds", h.kind())).toList()));
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        outbox.publish(new CancellationRequested(subject, now));
        a.status = Account.CANCELLED;
        a.cancelledAt = now;
        int revoked = login.revokeAll(subject, "CANCELLATION");
        outbox.publish(new AccountCancelled(subject, now, null));
        return new Cancelled(subject, a.status, now, revoked, erasure.retainedOnErasure(subject),
                "REQUESTED_THROUGH_RIGHTS_REQUEST_SERVICE");
    }
}
