package io.pledge.account.verification;

import io.pledge.account.registration.LookupKey;
import io.pledge.kit.problem.ProblemException;
import io.pledge.kit.problem.ProblemType;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;

/**
 * Sliding-window limits kept in the database, so that every instance counts the same attempts. A
 * bucket is a keyed hash (never a contact value or an address in clear).
 */
@ApplicationScoped
@Transactional
public class RateLimiter {

    private final EntityManager em;
    private final LookupKey lookup;

    public RateLimiter(EntityManager em, LookupKey lookup) {
        this.em = em;
        this.lookup = lookup;
    }

    /** The bucket of a client address. */
    public String addressBucket(String clientAddress) {
        return "a:" + lookup.hash("address", clientAddress == null ? "unknown" : clientAddress).substring(0, 40);
    }

    /** The bucket of a contact value, from its lookup hash. */
    public static String contactBucket(String lookupHash) {
        return "c:" + lookupHash.substring(0, 40);
    }

    /** Counts one attempt in each bucket, refusing with 429 when any is full. Nothing is counted then. */
    public void acquire(Duration window, Limit... limits) {
        acquire("verification codes requested", window, limits);
    }

    /** As {@link #acquire(Duration, Limit...)}; {@code what} names what is limited in the problem, e.g. "invitations sent". */
    public void acquire(String what, Duration window, Limit... limits) {
        Instant since = Instant.now().minus(window);
        for (Limit l : limits) {
            Number n = (Number) em.createNativeQuery("select count(*) from rate_event where bucket = ?1 and at > ?2")
                    .setParameter(1, l.bucket()).setParameter(2, since).getSingleResult();
            if (n.intValue() >= l.max()) {
                throw new ProblemException(ProblemType.TOO_MANY_REQUESTS,
                        "Too many " + what + " for this " + l.what() + "; try again later.");
            }
        }
        Instant now = Instant.now();
        for (Limit l : limits) {
            em.createNativeQuery("insert into rate_event (bucket, at) values (?1, ?2)")
                    .setParameter(1, l.bucket()).setParameter(2, now).executeUpdate();
        }
    }

    @Scheduled(every = "10m", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void purge() {
        em.createNativeQuery("delete from rate_event where at < ?1").setParameter(1, Instant.now().minus(Duration.ofDays(1)))
                .executeUpdate();
    }

    /** At most {@code max} attempts in the window for {@code bucket}; {@code what} names it in the problem. */
    public record Limit(String bucket, int max, String what) {
    }
}
