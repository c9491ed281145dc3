package io.pledge.audit.verify;

import io.agroal.api.AgroalDataSource;
import io.pledge.audit.ledger.Ledger;
import io.pledge.audit.merkle.Checkpoints;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Verifies the whole ledger as stored: one snapshot (repeatable read) of the head, the checkpoints, their keys and
 * every entry in seq order, streamed through {@link ChainVerifier}.
 */
@ApplicationScoped
public class LedgerVerification {

    private final AgroalDataSource db;
    private final Checkpoints checkpoints;

    public LedgerVerification(AgroalDataSource db, Checkpoints checkpoints) {
        this.db = db;
        this.checkpoints = checkpoints;
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
        Log.infof("audit ledger verified: %d entries, valid=%s, first bad seq=%s (%s), %d ms", report.entriesChecked(),
                report.valid(), report.firstBadSeq(), report.problem(), (System.nanoTime() - started) / 1_000_000);
        return report;
    }

    /** Verifies what {@code c} sees; the caller chooses the transaction (autocommit off streams the entries). */
    public VerificationReport verify(Connection c) throws SQLException {
        Ledger.Head head = Ledger.readHead(c);
        ChainVerifier verifier = new ChainVerifier(Checkpoints.all(c), checkpoints.publicKeys(c));
        try (PreparedStatement ps = c.prepareStatement("select " + Ledger.COLUMNS + " from audit_entry order by seq")) {
            ps.setFetchSize(5_000);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    verifier.accept(Ledger.read(rs));
                }
            }
        }
        return verifier.finish(head.size(), head.lastHash());
    }
}
