package io.pledge.audit.retention;

import io.agroal.api.AgroalDataSource;
import io.pledge.audit.config.AuditConfig;
import io.pledge.audit.ledger.Categories;
import io.pledge.audit.ledger.Ledger;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Retention per category (policy 5.4): the body of an entry older than its category's period is redacted (set to
 * null, with the time). The entry stays, with its envelope, pseudonymous subject id and hashes: the chain hashes the
 * body's commitment, not the body, so it stays verifiable. Every category the ledger records ({@link Categories#ALL})
 * must have a rule: the service refuses to start otherwise. Each run of each rule is recorded in
 * {@code audit_retention_run}.
 */
@ApplicationScoped
public class Retention {

    /** One category's rule (its period as ISO-8601), its last run (by the schedule or by hand) and its last scheduled run. */
    public record Rule(String category, String period, Instant lastRunAt, String lastTrigger, Instant lastCutoff,
                       Integer lastRedacted, Instant lastScheduledRunAt) {
    }

    private final AgroalDataSource db;
    private final AuditConfig config;

    public Retention(AgroalDataSource db, AuditConfig config) {
        this.db = db;
        this.config = config;
    }

    void checkRules(@Observes StartupEvent start) {
        Map<String, Duration> rules = config.retention().bodies();
        List<String> missing = Categories.ALL.stream().filter(c -> !rules.containsKey(c)).toList();
        TreeSet<String> unknown = new TreeSet<>(rules.keySet());
        Categories.ALL.forEach(unknown::remove);
        if (!missing.isEmpty() || !unknown.isEmpty()) {
            throw new IllegalStateException("pledge.audit.retention.bodies must name a period for every category "
                    + Categories.ALL + " and no other; missing " + missing + ", unknown " + unknown);
        }
        for (Map.Entry<String, Duration> r : rules.entrySet()) {
            if (r.getValue().isNegative() || r.getValue().isZero()) {
                throw new IllegalStateException("retention period of " + r.getKey() + " must be positive");
            }
        }
    }

    @Scheduled(every = "${pledge.audit.retention.every}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            identity = "audit-retention")
    void scheduled() {
        run(Instant.now(), "SCHEDULE");
    }

    /** Redacts every body past its category's retention at {@code now}; returns the count per category. */
    public Map<String, Integer> run(Instant now) {
        return run(now, "MANUAL");
    }

    private Map<String, Integer> run(Instant now, String trigger) {
        Map<String, Integer> redacted = new TreeMap<>();
        for (String category : Categories.ALL) {
            int total = runRule(category, now, trigger);
            if (total > 0) {
                redacted.put(category, total);
            }
        }
        return redacted;
    }

    /** Applies one category's rule as if it were {@code now}; returns how many bodies it redacted. */
    public int runRule(String category, Instant now) {
        return runRule(category, now, "MANUAL");
    }

    private int runRule(String category, Instant now, String trigger) {
        Duration period = config.retention().bodies().get(category);
        if (period == null) {
            throw new IllegalArgumentException("no retention rule for category " + category);
        }
        Instant cutoff = now.minus(period);
        int total = 0;
        int n;
        do {
            n = QuarkusTransaction.requiringNew().call(() -> redactBatch(category, cutoff, now));
            total += n;
        } while (n == config.retention().batchSize());
        int count = total;
        QuarkusTransaction.requiringNew().run(() -> recordRun(category, period, cutoff, count, trigger, now));
        if (total > 0) {
            Log.infof("retention: redacted %d bodies of category %s older than %s", total, category, period);
        }
        return total;
    }

    /** Every category's rule with its last run (policy 5.4). */
    public List<Rule> rules() {
        List<Rule> out = new ArrayList<>();
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement("select ran_at, trigger, cutoff, redacted, (select max(s.ran_at) "
                     + "from audit_retention_run s where s.category = r.category and s.trigger = 'SCHEDULE') "
                     + "from audit_retention_run r where category = ? order by ran_at desc, id desc limit 1")) {
            for (String category : Categories.ALL) {
                ps.setString(1, category);
                try (ResultSet rs = ps.executeQuery()) {
                    String period = config.retention().bodies().get(category).toString();
                    if (rs.next()) {
                        OffsetDateTime scheduled = rs.getObject(5, OffsetDateTime.class);
                        out.add(new Rule(category, period, rs.getObject(1, OffsetDateTime.class).toInstant(), rs.getString(2),
                                rs.getObject(3, OffsetDateTime.class).toInstant(), rs.getInt(4),
                                scheduled == null ? null : scheduled.toInstant()));
                    } else {
                        out.add(new Rule(category, period, null, null, null, null, null));
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("retention runs unreadable", e);
        }
        return out;
    }

    private void recordRun(String category, Duration period, Instant cutoff, int redacted, String trigger, Instant now) {
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement("insert into audit_retention_run (category, period, cutoff, redacted, "
                     + "trigger, ran_at) values (?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, category);
            ps.setString(2, period.toString());
            ps.setObject(3, Ledger.utc(cutoff));
            ps.setInt(4, redacted);
            ps.setString(5, trigger);
            ps.setObject(6, Ledger.utc(now));
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("retention run not recorded", e);
        }
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
