package io.pledge.account.cessation;

import io.pledge.events.notification.CessationScheduled;
import io.pledge.kit.problem.ProblemException;
import io.pledge.kit.problem.ProblemType;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Policy 6.9: from the moment a cessation of operation is scheduled, account-service collects no new
 * personal data. Registration, adding profile fields and real-name submissions are refused with a
 * problem naming the end date; everything a subject already gave stays accessible, correctable and
 * erasable until the erasure at the end date.
 */
@ApplicationScoped
public class CollectionGate {

    @Transactional(Transactional.TxType.MANDATORY)
    public void scheduled(CessationScheduled e) {
        if (Cessation.findById(e.cessationId()) != null) {
            return;
        }
        Cessation c = new Cessation();
        c.id = e.cessationId();
        c.scheduledAt = e.scheduledAt();
        c.endsAt = e.endsAt();
        c.recordedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        c.persist();
        Log.infof("cessation %s scheduled for %s: new collection stopped", c.id, c.endsAt);
    }

    /** Refuses new collection once a cessation is scheduled. */
    public void requireOpen() {
        Cessation c = Cessation.find("order by scheduledAt").firstResult();
        if (c != null) {
            throw new ProblemException(ProblemType.CONFLICT, "Pledge ceases operation on " + c.endsAt.truncatedTo(
                    ChronoUnit.DAYS).toString().substring(0, 10) + " and collects no new personal data (policy 6.9).");
        }
    }
}
