package io.pledge.audit.query;

import com.fasterxml.jackson.databind.JsonNode;
import io.agroal.api.AgroalDataSource;
import io.pledge.audit.ledger.AuditEntry;
import io.pledge.audit.ledger.Ledger;
import io.pledge.events.EventJson;
import io.pledge.events.EventTypes;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import io.quarkus.narayana.jta.QuarkusTransaction;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

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

    /**
     * Writes every entry of one subject (policy 6.1: the export part of an access or copy request), in seq order, as
     * {@code {subjectId, exportedAt, entries: [...], count}}: streamed from one read-only snapshot with a cursor, so
     * nothing is cut at a page size and a long history is never held in memory. {@code count} is the number written.
     */
    public void writeSubjectExport(UUID subjectId, OutputStream out) {
        QuarkusTransaction.requiringNew().timeout(3600).run(() -> {
            try (Connection c = db.getConnection()) {
                try (Statement s = c.createStatement()) {
                    s.execute("set transaction isolation level repeatable read, read only");
                }
                try (JsonGenerator g = EventJson.mapper().getFactory().createGenerator(out, JsonEncoding.UTF8);
                     PreparedStatement ps = c.prepareStatement("select " + Ledger.COLUMNS
                             + " from audit_entry where subject_id = ? order by seq")) {
                    g.writeStartObject();
                    g.writeStringField("subjectId", subjectId.toString());
                    g.writeStringField("exportedAt", Instant.now().toString());
                    g.writeArrayFieldStart("entries");
                    ps.setObject(1, subjectId);
                    ps.setFetchSize(EXPORT_FETCH_SIZE);
                    long count = 0;
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            g.writeObject(EntryView.of(Ledger.read(rs)));
                            count++;
                        }
                    }
                    g.writeEndArray();
                    g.writeNumberField("count", count);
                    g.writeEndObject();
                }
            } catch (SQLException e) {
                throw new IllegalStateException("cannot read the audit ledger for a subject's export", e);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** Rows fetched per round trip while streaming a subject's export. */
    static final int EXPORT_FETCH_SIZE = 500;

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
