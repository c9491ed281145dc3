package io.pledge.audit.export;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import io.agroal.api.AgroalDataSource;
import io.pledge.audit.ledger.Ledger;
import io.pledge.audit.merkle.Checkpoint;
import io.pledge.audit.merkle.CheckpointKeys;
import io.pledge.audit.merkle.Checkpoints;
import io.pledge.audit.merkle.Signatures;
import io.pledge.events.EventJson;
import io.pledge.kit.problem.ProblemException;
import io.pledge.kit.problem.ProblemType;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The regulator export: a signed bundle of every entry up to a checkpoint, the checkpoints, the public keys and a
 * signature over all of it ({@link BundleDigest}), streamed from one database snapshot. {@link VerifyBundle} checks
 * a bundle offline.
 */
@ApplicationScoped
public class RegulatorExport {

    private final AgroalDataSource db;
    private final Checkpoints checkpoints;
    private final CheckpointKeys keys;

    public RegulatorExport(AgroalDataSource db, Checkpoints checkpoints, CheckpointKeys keys) {
        this.db = db;
        this.checkpoints = checkpoints;
        this.keys = keys;
    }

    /** The checkpoint a bundle will end on: the one of that size, or the latest; a 404 problem if none. */
    public Checkpoint endingAt(Long treeSize) {
        return (treeSize == null ? checkpoints.latest() : checkpoints.find(treeSize))
                .orElseThrow(() -> new ProblemException(ProblemType.NOT_FOUND, "no checkpoint of that tree size", "treeSize"));
    }

    /** The anchor a bundle starts from: checkpoint {@code from}'s (0: the genesis); a 404 problem if it has none. */
    public Checkpoints.Anchor startingAt(long from, Checkpoint end) {
        if (from < 0 || from >= end.treeSize()) {
            throw new ProblemException(ProblemType.INVALID_INPUT, "from must be below treeSize", "from");
        }
        return checkpoints.anchor(from).orElseThrow(() -> new ProblemException(ProblemType.NOT_FOUND,
                "no checkpoint with an anchor of that size", "from"));
    }

    /** Writes the bundle of entries [from, end.treeSize) to {@code out}. */
    public void write(long from, Checkpoints.Anchor start, Checkpoint end, OutputStream out) {
        long started = System.nanoTime();
        QuarkusTransaction.requiringNew().timeout(3600).run(() -> {
            try (Connection c = db.getConnection()) {
                try (Statement s = c.createStatement()) {
                    s.execute("set transaction isolation level repeatable read, read only");
                }
                write(c, from, start, end, out);
            } catch (SQLException e) {
                throw new IllegalStateException("cannot read the ledger for an export", e);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        Log.infof("regulator bundle of %d entries written in %d ms", end.treeSize() - from, (System.nanoTime() - started) / 1_000_000);
    }

    private void write(Connection c, long from, Checkpoints.Anchor start, Checkpoint end, OutputStream out)
            throws SQLException, IOException {
        Instant generatedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        byte[] frontier = start.frontier().toBytes();
        BundleDigest digest = new BundleDigest(from, end.treeSize(), generatedAt, start.lastHash(), frontier);
        List<Checkpoint> cps = Checkpoints.all(c).stream()
                .filter(cp -> cp.treeSize() >= from && cp.treeSize() <= end.treeSize()).toList();
        CheckpointKeys.Signer signer = keys.signer();
        Map<String, byte[]> publicKeys = new java.util.LinkedHashMap<>(checkpoints.publicKeys(c));
        publicKeys.putIfAbsent(signer.keyId(), signer.publicKeyDer());
        try (JsonGenerator g = EventJson.mapper().getFactory().createGenerator(out, JsonEncoding.UTF8)) {
            g.writeStartObject();
            g.writeStringField("format", BundleDigest.FORMAT);
            g.writeNumberField("from", from);
            g.writeNumberField("treeSize", end.treeSize());
            g.writeStringField("startPrevHash", io.pledge.audit.ledger.EntryHasher.hex(start.lastHash()));
            g.writeStringField("startFrontier", io.pledge.audit.ledger.EntryHasher.hex(frontier));
            g.writeStringField("generatedAt", generatedAt.toString());
            g.writeStringField("howToVerify", "java -cp 'audit-service/target/quarkus-app/app/*:audit-service/target/"
                    + "quarkus-app/lib/main/*' io.pledge.audit.export.VerifyBundle bundle.json [--trust <keyId>]");
            g.writeArrayFieldStart("entries");
            try (PreparedStatement ps = c.prepareStatement("select " + Ledger.COLUMNS
                    + " from audit_entry where seq >= ? and seq < ? order by seq")) {
                ps.setLong(1, from);
                ps.setLong(2, end.treeSize());
                ps.setFetchSize(5_000);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        var e = Ledger.read(rs);
                        digest.entry(e.entryHash());
                        BundleJson.writeEntry(g, e);
                    }
                }
            }
            g.writeEndArray();
            g.writeArrayFieldStart("checkpoints");
            for (Checkpoint cp : cps) {
                digest.checkpoint(cp);
                BundleJson.writeCheckpoint(g, cp);
            }
            g.writeEndArray();
            g.writeArrayFieldStart("publicKeys");
            for (Map.Entry<String, byte[]> k : publicKeys.entrySet()) {
                digest.publicKey(k.getKey(), k.getValue());
                g.writeStartObject();
                g.writeStringField("keyId", k.getKey());
                g.writeStringField("algorithm", Signatures.ALGORITHM);
                g.writeStringField("publicKey", Base64.getEncoder().encodeToString(k.getValue()));
                g.writeEndObject();
            }
            g.writeEndArray();
            byte[] d = digest.finish();
            g.writeObjectFieldStart("signature");
            g.writeStringField("keyId", signer.keyId());
            g.writeStringField("algorithm", Signatures.ALGORITHM);
            g.writeStringField("digest", io.pledge.audit.ledger.EntryHasher.hex(d));
            g.writeStringField("value", Base64.getEncoder().encodeToString(signer.sign(d)));
            g.writeEndObject();
            g.writeEndObject();
        }
    }
}
