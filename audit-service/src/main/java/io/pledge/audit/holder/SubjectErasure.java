package io.pledge.audit.holder;

import io.agroal.api.AgroalDataSource;
import io.pledge.audit.config.AuditConfig;
import io.pledge.audit.ledger.Ledger;
import io.pledge.events.rights.HolderReplied.RetainedItem;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * A subject's erasure in the ledger: the bodies of every entry of the subject recorded before the erasure command are
 * removed ({@code body} null, {@code redaction = 'erasure'}), except the categories kept by law
 * ({@code pledge.audit.erasure.retain}) until their retention period ends. What stays of each entry is its
 * non-personal skeleton: seq, event id and type, source, the pseudonymous subject id, times, topic position, category,
 * actor, the body's SHA-256 and the chain hashes. The chain covers the body's SHA-256, not the body, so every entry
 * hash, link and signed checkpoint verifies as before. The command itself and what follows it (the holders' replies,
 * the certificate) are the record of the erasure and stay whole.
 */
@ApplicationScoped
public class SubjectErasure {

    private final AgroalDataSource db;
    private final AuditConfig config;

    public SubjectErasure(AgroalDataSource db, AuditConfig config) {
        this.db = db;
        this.config = config;
    }

    /**
     * What was done: bodies removed per category, the subject's entries that stay as skeletons, and the bodies kept
     * (per category, with basis and last day).
     */
    public record Result(Map<String, Integer> removed, int entries, List<RetainedItem> retained) {
    }

    /**
     * Erases the subject's bodies among the entries before {@code beforeSeq}, but for the categories kept by law.
     * With {@code onlyCategories} (a follow-up erasure once a kept category's period ended, ground
     * {@code RETENTION_EXPIRED}) it removes exactly those categories' bodies and keeps nothing back.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Result erase(UUID subject, long beforeSeq, List<String> onlyCategories, Instant now) {
        List<String> keep = new ArrayList<>();
        if (onlyCategories == null) {
            config.erasure().retain().keySet().stream()
                    .filter(category -> config.retention().bodies().containsKey(category))
                    .forEach(keep::add);
        }
        try (Connection c = db.getConnection()) {
            Map<String, Integer> removed = new TreeMap<>();
            try (PreparedStatement ps = c.prepareStatement("with gone as (update audit_entry set body = null, "
                    + "body_salt = null, redacted_at = ?, redaction = 'erasure' where subject_id = ? and seq < ? and body is not null "
                    + "and not (category = any(?)) and (? or category = any(?)) returning category) "
                    + "select category, count(*) from gone group by category")) {
                ps.setObject(1, Ledger.utc(now));
                ps.setObject(2, subject);
                ps.setLong(3, beforeSeq);
                ps.setArray(4, c.createArrayOf("varchar", keep.toArray()));
                ps.setBoolean(5, onlyCategories == null);
                ps.setArray(6, c.createArrayOf("varchar", onlyCategories == null ? new Object[0] : onlyCategories.toArray()));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        removed.put(rs.getString(1), rs.getInt(2));
                    }
                }
            }
            List<RetainedItem> retained = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("select category, max(recorded_at) from audit_entry "
                    + "where subject_id = ? and seq < ? and body is not null group by category order by category")) {
                ps.setObject(1, subject);
                ps.setLong(2, beforeSeq);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String category = rs.getString(1);
                        if (!keep.contains(category)) {
                            continue; // a follow-up left it alone: not part of this erasure
                        }
                        Duration period = config.retention().bodies().get(category);
                        Instant last = rs.getObject(2, OffsetDateTime.class).toInstant();
                        // retention redacts a body once it is older than the period: kept through that day
                        retained.add(new RetainedItem(category, config.erasure().retain().get(category),
                                LocalDate.ofInstant(last.plus(period), ZoneOffset.UTC)));
                    }
                }
            }
            int entries;
            try (PreparedStatement ps = c.prepareStatement(
                    "select count(*) from audit_entry where subject_id = ? and seq < ?")) {
                ps.setObject(1, subject);
                ps.setLong(2, beforeSeq);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    entries = rs.getInt(1);
                }
            }
            return new Result(removed, entries, retained);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot erase a subject's bodies in the audit ledger", e);
        }
    }
}
