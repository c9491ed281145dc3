package io.pledge.audit.query;

import com.fasterxml.jackson.databind.JsonNode;
import io.agroal.api.AgroalDataSource;
import io.pledge.audit.ledger.AuditEntry;
import io.pledge.audit.ledger.Ledger;
import io.pledge.events.EventJson;
import io.pledge.events.EventTypes;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Read-only queries over the ledger: entries by subject, time, type and holder; reads of personal data. */
@ApplicationScoped
@Transactional(Transactional.TxType.SUPPORTS)
public class AuditQueries {

    private final AgroalDataSource db;

    public AuditQueries(AgroalDataSource db) {
        this.db = db;
    }

    /** Entries matching the query, in seq order. */
    public Page<EntryView> entries(AuditQuery q) {
        Where w = where(q, null);
        List<EntryView> items = new ArrayList<>();
        long total = query(q, w, rs -> items.add(EntryView.of(Ledger.read(rs))));
        return new Page<>(total, q.page(), q.size(), items);
    }

    /** Reads of personal data ({@code PersonalDataAccessed}), optionally by subject, accessor and time. */
    public Page<AccessView> personalDataAccess(AuditQuery q) {
        Where w = where(q, EventTypes.PERSONAL_DATA_ACCESSED.type());
        List<AccessView> items = new ArrayList<>();
        long total = query(q, w, rs -> items.add(access(Ledger.read(rs))));
        return new Page<>(total, q.page(), q.size(), items);
    }

    private interface Row {
        void accept(ResultSet rs) throws SQLException;
    }

    private record Where(String sql, List<Object> params) {
    }

    private static Where where(AuditQuery q, String fixedType) {
        StringBuilder sql = new StringBuilder(" where true");
        List<Object> params = new ArrayList<>();
        if (q.subjectId() != null) {
            sql.append(" and subject_id = ?");
            params.add(q.subjectId());
        }
        if (q.from() != null) {
            sql.append(" and event_time >= ?");
            params.add(Ledger.utc(q.from()));
        }
        if (q.to() != null) {
            sql.append(" and event_time < ?");
            params.add(Ledger.utc(q.to()));
        }
        String type = fixedType != null ? fixedType : q.type();
        if (type != null) {
            sql.append(" and event_type = ?");
            params.add(type);
        }
        if (q.holder() != null) {
            sql.append(" and actor = ?");
            params.add(q.holder());
        }
        return new Where(sql.toString(), params);
    }

    private long query(AuditQuery q, Where w, Row row) {
        try (Connection c = db.getConnection()) {
            long total;
            try (PreparedStatement ps = c.prepareStatement("select count(*) from audit_entry" + w.sql())) {
                bind(ps, w.params());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    total = rs.getLong(1);
                }
            }
            try (PreparedStatement ps = c.prepareStatement("select " + Ledger.COLUMNS + " from audit_entry" + w.sql()
                    + " order by seq limit ? offset ?")) {
                bind(ps, w.params());
                ps.setInt(w.params().size() + 1, q.size());
                ps.setLong(w.params().size() + 2, (long) q.page() * q.size());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        row.accept(rs);
                    }
                }
            }
            return total;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot query the audit ledger", e);
        }
    }

    private static void bind(PreparedStatement ps, List<Object> params) throws SQLException {
        for (int i = 0; i < params.size(); i++) {
            ps.setObject(i + 1, params.get(i));
        }
    }

    private static AccessView access(AuditEntry e) {
        JsonNode b = null;
        if (e.body() != null) {
            try {
                b = EventJson.mapper().readTree(e.body());
            } catch (IOException ex) {
                b = null;
            }
        }
        List<String> fields = null;
        if (b != null && b.path("fields").isArray()) {
            fields = new ArrayList<>();
            for (JsonNode f : b.path("fields")) {
                fields.add(f.asText());
            }
        }
        Instant accessedAt = b != null && b.hasNonNull("accessedAt") ? Instant.parse(b.get("accessedAt").asText())
                : e.eventTime();
        return new AccessView(e.seq(), e.subjectId(), e.actor(), b == null ? null : b.path("accessorRole").asText(null),
                fields, b == null ? null : b.path("purposeId").asText(null), accessedAt, e.recordedAt());
    }
}
