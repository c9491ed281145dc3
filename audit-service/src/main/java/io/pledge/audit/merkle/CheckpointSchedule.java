package io.pledge.audit.merkle;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;

/** Signs a checkpoint every {@code pledge.audit.checkpoint-every} when the ledger grew. */
@ApplicationScoped
public class CheckpointSchedule {

    private final Checkpoints checkpoints;

    public CheckpointSchedule(Checkpoints checkpoints) {
        this.checkpoints = checkpoints;
    }

    @Scheduled(every = "${pledge.audit.checkpoint-every}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            identity = "audit-checkpoint")
    void checkpoint() {
        checkpoints.checkpoint();
    }
}
