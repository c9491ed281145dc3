package io.pledge.audit.retention;

import io.agroal.api.AgroalDataSource;
import io.pledge.audit.config.AuditConfig;
import io.pledge.audit.ledger.Ledger;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * Retention per category (policy 5.4): the body of an entry older than its category's period is redacted (set to
 * null, with the time). The entry stays, with its envelope, pseudonymous subject id and hashes: the chain hashes the
 * body's SHA-256, not the body, so it stays verifiable. Categories not configured are kept.
 */
@ApplicationScoped
public class Retention {

    private final AgroalDataSource db;
    private final AuditConfig config;

    public Retention(AgroalDataSource db, AuditConfig config) {
        this.db = db;
        this.config = config;
    }

    @Scheduled(every = "${pledge.audit.retention.every}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            identity = "audit-retention")
    void scheduled() {
        run(Instant.now());
    }

    /** Redacts every body past its category's retention at {@code now}; returns the count per category. */
    public Map<String, Integer> run(Instant now) {
        Map<String, Integer> redacted = new TreeMap<>();
        for (Map.Entry<String, Duration> rule : config.retention().bodies().entrySet()) {
            Instant cutoff = now.minus(rule.getValue());
            int total = 0;
            int n;
            do {
                n = QuarkusTransaction.requiringNew().call(() -> redactBatch(rule.getKey(), cutoff, now));
                total += n;
            } while (n == config.retention().batchSize());
            if (total > 0) {
                redacted.put(rule.getKey(), total);
                Log.infof("retention: redacted %d bodies of category %s older than %s", total, rule.getKey(), rule.getValue());
            }
        }
        return redacted;
    }

    private int redactBatch(String category, Instant cutoff, Instant now) throws SQLException {
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement("update audit_entry set body = null, body_salt = null, "
                     + "redacted_at = ?, redaction = 'retention' where seq in ("
                     + "select seq from audit_entry where category = ? and body is not null and recorded_at < ? "
                     + "order by seq limit ?)")) {
            ps.setObject(1, Ledger.utc(now));
            ps.setString(2, category);
            ps.setObject(3, Ledger.utc(cutoff));
            ps.setInt(4, config.retention().batchSize());
            return ps.executeUpdate();
        }
    }
}
