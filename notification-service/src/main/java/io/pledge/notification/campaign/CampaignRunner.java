package io.pledge.notification.campaign;

import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;

/** Expands campaigns batch by batch and completes finished ones, every second. */
@ApplicationScoped
public class CampaignRunner {

    private final Campaigns campaigns;

    public CampaignRunner(Campaigns campaigns) {
        this.campaigns = campaigns;
    }

    @Scheduled(every = "1s", delayed = "2s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void run() {
        try {
            long until = System.currentTimeMillis() + 5_000;
            while (System.currentTimeMillis() < until && campaigns.expandOne()) {
                // one batch per transaction; the cursor is saved with it
            }
            campaigns.completeFinished();
        } catch (RuntimeException e) {
            Log.warnf("campaign pass failed (%s); retried next second", e.getClass().getSimpleName());
        }
    }
}
