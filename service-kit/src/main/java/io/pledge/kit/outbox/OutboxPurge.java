package io.pledge.kit.outbox;

import io.agroal.api.AgroalDataSource;
import io.pledge.kit.config.OutboxConfig;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;

/** Deletes outbox rows the broker acknowledged longer ago than {@code pledge.outbox.retention}. */
@ApplicationScoped
public class OutboxPurge {

    private static final int BATCH = 5_000;

    private final AgroalDataSource dataSource;
    private final OutboxConfig config;

    public OutboxPurge(AgroalDataSource dataSource, OutboxConfig config) {
        this.dataSource = dataSource;
        this.config = config;
    }

    @Scheduled(every = "${pledge.outbox.purge-every:10m}", delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        try {
            int n = purge(Instant.now().minus(config.retention()));
            if (n > 0) {
                Log.infof("purged %d sent outbox rows", n);
            }
        } catch (SQLException e) {
            Log.warnf("outbox purge failed (%s); it runs again later", e.getMessage());
        }
    }

    /** Deletes sent rows older than {@code cutoff}, in batches; returns how many. Unsent rows are never touched. */
    public int purge(Instant cutoff) throws SQLException {
        int total = 0;
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "delete from pledge_outbox where seq in (select seq from pledge_outbox "
                        + "where sent_at is not null and sent_at < ? limit " + BATCH + ")")) {
            ps.setTimestamp(1, Timestamp.from(cutoff));
            int n;
            do {
                n = ps.executeUpdate();
                total += n;
            } while (n == BATCH);
        }
        return total;
    }
}
