package io.pledge.account.minors;

import io.pledge.account.config.AccountConfig;
import io.pledge.account.holder.Erasure;
import io.pledge.account.registration.Account;
import io.pledge.events.account.AccountCancelled;
import io.pledge.kit.outbox.Outbox;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;

/**
 * Scheduled erasure of data this service may no longer keep: children whose guardian never came
 * (policy 7.3), and registrations never verified (their values block nobody else for long).
 */
@ApplicationScoped
public class Sweeps {

    private final GuardianService guardians;
    private final Erasure erasure;
    private final AccountConfig config;
    private final Outbox outbox;

    public Sweeps(GuardianService guardians, Erasure erasure, AccountConfig config, Outbox outbox) {
        this.outbox = outbox;
        this.guardians = guardians;
        this.erasure = erasure;
        this.config = config;
    }

    @Scheduled(every = "${pledge.account.minors.sweep-every:1h}", delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void run() {
        Instant now = Instant.now();
        guardians.sweep(now);
        dropUnverified(now);
        dropEndedSessionsOfErasedSubjects(now);
    }

    /** The session rows an erasure left running out (ids and times only), once they ended; returns how many. */
    @Transactional
    public int dropEndedSessionsOfErasedSubjects(Instant now) {
        return io.pledge.account.login.LoginSession.getEntityManager().createNativeQuery(
                        "delete from login_session s where s.expires_at <= ?1 "
                                + "and not exists (select 1 from account a where a.id = s.subject_id)")
                .setParameter(1, now).executeUpdate();
    }

    /** Unverified registrations older than {@code pledge.account.codes.unverified-ttl}; returns how many. */
    @Transactional
    public int dropUnverified(Instant now) {
        List<Account> stale = Account.list("status = ?1 and createdAt < ?2", Account.PENDING_VERIFICATION,
                now.minus(config.codes().unverifiedTtl()));
        for (Account a : stale) {
            erasure.erase(a.id, false);
            outbox.publish(new AccountCancelled(a.id, now.truncatedTo(java.time.temporal.ChronoUnit.MICROS), null));
        }
        return stale.size();
    }
}
