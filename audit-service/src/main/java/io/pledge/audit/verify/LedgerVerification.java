package io.pledge.audit.verify;

import io.agroal.api.AgroalDataSource;
import io.pledge.audit.config.AuditConfig;
import io.pledge.audit.ledger.Ledger;
import io.pledge.audit.merkle.Checkpoint;
import io.pledge.audit.merkle.Checkpoints;
import io.pledge.audit.merkle.Frontier;
import io.pledge.kit.inbox.Failures;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Pattern;
import org.postgresql.PGStatement;

/**
 * Verifies the whole ledger as stored: one snapshot (repeatable read) of the head, the checkpoints, their keys and
 * every entry in seq order, streamed through {@link ChainVerifier} (rows in PostgreSQL's binary format: hashes as
 * bytes, times as microseconds, no text to parse).
 * <p>
 * A large ledger is split at signed checkpoints into segments that are read and checked at once, each on its own
 * connection that imports the same snapshot ({@code pg_export_snapshot}), each starting from its checkpoint's anchor
 * (the Merkle frontier and last hash stored with it). The anchor is not trusted: its frontier must fold to the signed
 * root, the segment before must arrive at that same signed root and end on that last hash, and the segment's first
 * entry must link to it; so segments that all check out are exactly the chain a single pass checks. When any segment
 * finds anything wrong, the ledger is verified again in one pass on the caller's snapshot, which names the first bad
 * entry as it always has.
 */
@ApplicationScoped
public class LedgerVerification {

    private static final String ENTRIES = "select " + Ledger.COLUMNS + " from audit_entry";
    private static final Pattern SNAPSHOT_ID = Pattern.compile("[0-9A-F]+-[0-9A-F]+(-[0-9]+)?");

    private final AgroalDataSource db;
    private final Checkpoints checkpoints;
    private final AuditConfig config;

    public LedgerVerification(AgroalDataSource db, Checkpoints checkpoints, AuditConfig config) {
        this.db = db;
        this.checkpoints = checkpoints;
        this.config = config;
    }

    public VerificationReport verify() {
        long started = System.nanoTime();
        VerificationReport report = QuarkusTransaction.requiringNew().timeout(3600).call(() -> {
            try (Connection c = db.getConnection()) {
                try (Statement s = c.createStatement()) {
                    s.execute("set transaction isolation level repeatable read, read only");
                }
                return verify(c);
            }
        });
        Log.infof("audit ledger verified: %d entries in %d segment(s), valid=%s, first bad seq=%s (%s), %d ms",
                report.entriesChecked(), report.segments(), report.valid(), report.firstBadSeq(), report.problem(),
                (System.nanoTime() - started) / 1_000_000);
        return report;
    }

    /** Verifies what {@code c} sees; the caller chooses the transaction (autocommit off streams the entries). */
    public VerificationReport verify(Connection c) throws SQLException {
        Ledger.Head head = Ledger.readHead(c);
        List<Checkpoint> all = Checkpoints.all(c);
        Map<String, byte[]> keys = checkpoints.publicKeys(c);
        if (!c.getAutoCommit() && config.verify().parallelism() > 1 && head.size() >= config.verify().parallelFrom()) {
            List<Anchor> anchors = anchors(c, head.size(), config.verify().parallelism());
            if (!anchors.isEmpty()) {
                VerificationReport report = inSegments(c, head, all, keys, anchors);
                if (report != null) {
                    return report;
                }
            }
        }
        ChainVerifier verifier = new ChainVerifier(all, keys);
        read(c, null, null, verifier);
        return verifier.finish(head.size(), head.lastHash());
    }

    /** Where a segment starts: a checkpoint's size, and its stored frontier and last hash. */
    private record Anchor(long size, byte[] frontier, byte[] lastHash) {
    }

    /** Up to {@code parts - 1} anchored checkpoints inside the ledger, the nearest to equal shares. */
    private static List<Anchor> anchors(Connection c, long size, int parts) throws SQLException {
        List<Long> sizes = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("select tree_size from audit_checkpoint where tree_size > 0 "
                + "and tree_size < ? and frontier is not null and last_hash is not null order by tree_size")) {
            ps.setLong(1, size);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    sizes.add(rs.getLong(1));
                }
            }
        }
        List<Long> chosen = new ArrayList<>();
        for (int i = 1; i < parts && !sizes.isEmpty(); i++) {
            long target = size * i / parts;
            long best = sizes.get(0);
            for (long s : sizes) {
                if (Math.abs(s - target) < Math.abs(best - target)) {
                    best = s;
                }
            }
            if (!chosen.contains(best)) {
                chosen.add(best);
            }
        }
        chosen.sort(null);
        List<Anchor> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("select frontier, last_hash from audit_checkpoint where tree_size = ?")) {
            for (long s : chosen) {
                ps.setLong(1, s);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        out.add(new Anchor(s, rs.getBytes(1), rs.getBytes(2)));
                    }
                }
            }
        }
        return out;
    }

    /**
     * Checks the segments between the anchors at once; the combined report when every one checks out, null when any
     * finds a problem or cannot be read (the caller then verifies in one pass).
     */
    private VerificationReport inSegments(Connection c, Ledger.Head head, List<Checkpoint> all, Map<String, byte[]> keys,
                                          List<Anchor> anchors) {
        String snapshot;
        String searchPath;
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select pg_export_snapshot(), current_setting('search_path')")) {
            rs.next();
            snapshot = rs.getString(1);
            searchPath = rs.getString(2);
        } catch (SQLException e) {
            Log.debugf("audit verification: no snapshot to share (%s); one pass", e.getClass().getSimpleName());
            return null;
        }
        if (!SNAPSHOT_ID.matcher(snapshot).matches()) {
            return null;
        }
        int segments = anchors.size() + 1;
        ExecutorService pool = Executors.newFixedThreadPool(segments, r -> {
            Thread t = new Thread(r, "audit-verify-segment");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<VerificationReport>> parts = new ArrayList<>();
            for (int i = 0; i < segments; i++) {
                Anchor start = i == 0 ? null : anchors.get(i - 1);
                Anchor end = i == segments - 1 ? null : anchors.get(i);
                parts.add(pool.submit(() -> segment(snapshot, searchPath, start, end, head, all, keys)));
            }
            long entries = 0;
            long redacted = 0;
            int verified = 0;
            for (Future<VerificationReport> f : parts) {
                VerificationReport r = f.get();
                if (!r.valid()) {
                    Log.infof("audit verification: a segment found %s; verifying again in one pass", r.problem() != null
                            ? r.problem() : "a checkpoint problem");
                    return null;
                }
                entries += r.entriesChecked();
                redacted += r.redactedBodies();
                verified += r.checkpointsVerified();
            }
            // each inner anchor's checkpoint is verified twice: where one segment ends and where the next starts
            return new VerificationReport(true, entries, verified - anchors.size(), redacted, null, null, null, List.of(),
                    segments);
        } catch (Exception e) {
            Log.warnf("audit verification in segments failed (%s); verifying in one pass", Failures.rootClass(e));
            return null;
        } finally {
            pool.shutdownNow();
        }
    }

    /** Entries [start, end) on a connection of its own in the shared snapshot, from start's anchor to end's. */
    private VerificationReport segment(String snapshot, String searchPath, Anchor start, Anchor end, Ledger.Head head,
                                       List<Checkpoint> all, Map<String, byte[]> keys) throws SQLException {
        long from = start == null ? 0 : start.size();
        long to = end == null ? Long.MAX_VALUE : end.size();
        List<Checkpoint> mine = all.stream().filter(cp -> cp.treeSize() >= from && cp.treeSize() <= to).toList();
        ChainVerifier verifier = start == null ? new ChainVerifier(mine, keys)
                : new ChainVerifier(mine, keys, Frontier.of(start.size(), start.frontier()), start.lastHash());
        try (Connection w = db.getConnection()) {
            w.setAutoCommit(false);
            try {
                try (Statement s = w.createStatement()) {
                    s.execute("set transaction isolation level repeatable read, read only");
                    s.execute("set transaction snapshot '" + snapshot + "'");
                }
                try (PreparedStatement ps = w.prepareStatement("select set_config('search_path', ?, true)")) {
                    ps.setString(1, searchPath);
                    ps.execute();
                }
                read(w, start == null ? null : from, end == null ? null : to, verifier);
            } finally {
                w.rollback();
                w.setAutoCommit(true);
            }
        }
        return end == null ? verifier.finish(head.size(), head.lastHash()) : verifier.finish(end.size(), end.lastHash());
    }

    /** Streams the entries with {@code from <= seq < to} (either bound may be absent) in seq order. */
    private static void read(Connection c, Long from, Long to, ChainVerifier verifier) throws SQLException {
        String where = from == null && to == null ? "" : from == null ? " where seq < ?" : to == null ? " where seq >= ?"
                : " where seq >= ? and seq < ?";
        try (PreparedStatement ps = c.prepareStatement(ENTRIES + where + " order by seq")) {
            int i = 1;
            if (from != null) {
                ps.setLong(i++, from);
            }
            if (to != null) {
                ps.setLong(i, to);
            }
            // binary results from the first execution: bytea as bytes, timestamptz as microseconds, uuid as 16 bytes
            ps.unwrap(PGStatement.class).setPrepareThreshold(-1);
            ps.setFetchSize(5_000);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    verifier.accept(Ledger.read(rs));
                }
            }
        }
    }
}
