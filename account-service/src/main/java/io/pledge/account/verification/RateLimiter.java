package io.pledge.account.verification;

import io.pledge.account.registration.LookupKey;
import io.pledge.kit.problem.ProblemType;
import io.pledge.kit.problem.RetryLater;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Sliding-window limits kept in the database, so that every instance counts the same attempts. A bucket is a keyed
 * hash (never a contact value or an address in clear). Counting cannot be raced: each bucket is locked
 * ({@code pg_advisory_xact_lock}, in bucket order so two callers never wait on each other) before it is counted and the
 * attempt recorded, in a transaction of its own that commits at once — so N parallel attempts are counted one after
 * the other, at most {@code max} pass, and a business transaction that holds locks for longer (a password hash) does not
 * hold the bucket. A refused attempt answers 429 with {@code Retry-After} (when the oldest counted attempt leaves the
 * window) and is not counted.
 */
@ApplicationScoped
public class RateLimiter {

    private final EntityManager em;
    private final LookupKey lookup;

    public RateLimiter(EntityManager em, LookupKey lookup) {
        this.em = em;
        this.lookup = lookup;
    }

    /** The bucket of a client address. */
    public String addressBucket(String clientAddress) {
        return addressBucket("a", clientAddress);
    }

    /** The bucket of a client address for one kind of attempt ({@code kind} a short tag: "a" codes, "l" logins, …). */
    public String addressBucket(String kind, String clientAddress) {
        return kind + ":" + lookup.hash("address", clientAddress == null ? "unknown" : clientAddress).substring(0, 40);
    }

    /** The bucket of a contact value, from its lookup hash. */
    public static String contactBucket(String lookupHash) {
        return "c:" + lookupHash.substring(0, 40);
    }

    /** Counts one attempt in each bucket, refusing with 429 when any is full. Nothing is counted then. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public Permit acquire(Duration window, Limit... limits) {
        return acquire("verification codes requested", window, limits);
    }

    /**
     * As {@link #acquire(Duration, Limit...)}; {@code what} names what is limited in the problem, e.g. "invitations
     * sent". The answer can {@link #release give the attempt back} (an attempt that turned out not to count).
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public Permit acquire(String what, Duration window, Limit... limits) {
        Limit[] sorted = limits.clone();
        Arrays.sort(sorted, Comparator.comparing(Limit::bucket));
        for (Limit l : sorted) {
            em.createNativeQuery("select pg_advisory_xact_lock(hashtextextended(?1, 7317))")
                    .setParameter(1, l.bucket()).getSingleResult();
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Instant since = now.minus(window);
        for (Limit l : limits) {
            Object[] row = (Object[]) em.createNativeQuery(
                            "select count(*), min(at) from rate_event where bucket = ?1 and at > ?2")
                    .setParameter(1, l.bucket()).setParameter(2, since).getSingleResult();
            if (((Number) row[0]).intValue() >= l.max()) {
                Instant oldest = instant(row[1]);
                Duration wait = oldest == null ? window : Duration.between(now, oldest.plus(window));
                throw new RetryLater(ProblemType.TOO_MANY_REQUESTS,
                        "Too many " + what + " for this " + l.what() + "; try again later.", wait);
            }
        }
        List<Long> ids = new ArrayList<>();
        for (Limit l : limits) {
            ids.add(((Number) em.createNativeQuery("insert into rate_event (bucket, at) values (?1, ?2) returning id")
                    .setParameter(1, l.bucket()).setParameter(2, now).getSingleResult()).longValue());
        }
        return new Permit(List.copyOf(ids));
    }

    /** Gives back the attempts of a permit: they no longer count. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void release(Permit permit) {
        if (permit == null || permit.ids().isEmpty()) {
            return;
        }
        em.createNativeQuery("delete from rate_event where id in (?1)").setParameter(1, permit.ids()).executeUpdate();
    }

    private static Instant instant(Object o) {
        if (o == null) {
            return null;
        }
        if (o instanceof Instant i) {
            return i;
        }
        if (o instanceof java.time.OffsetDateTime t) {
            return t.toInstant();
        }
        if (o instanceof Timestamp t) {
            return t.toInstant();
        }
        return null;
    }

    @Scheduled(every = "10m", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    @Transactional
    void purge() {
        em.createNativeQuery("delete from rate_event where at < ?1").setParameter(1, Instant.now().minus(Duration.ofDays(1)))
                .executeUpdate();
    }

    /** At most {@code max} attempts in the window for {@code bucket}; {@code what} names it in the problem. */
    public record Limit(String bucket, int max, String what) {
    }

    /** The attempts one {@link #acquire} counted (ids of their rows). */
    public record Permit(List<Long> ids) {
    }
}
