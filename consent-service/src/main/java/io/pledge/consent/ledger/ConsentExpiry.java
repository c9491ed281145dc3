package io.pledge.consent.ledger;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Appends an EXPIRED record (and {@code ConsentExpired}) for every grant whose expiry passed. The check API
 * already says EXPIRED from the moment of expiry; this makes the ledger and downstream views say so too.
 */
@ApplicationScoped
public class ConsentExpiry {

    private static final int BATCH = 200;

    private final ConsentLedger ledger;

    public ConsentExpiry(ConsentLedger ledger) {
        this.ledger = ledger;
    }

    @Scheduled(every = "${pledge.consent.expiry-interval:1m}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            delayed = "5s")
    void expire() {
        while (QuarkusTransaction.requiringNew().call(() -> ledger.expireDue(BATCH)) == BATCH) {
            // more may be due
        }
    }
}
