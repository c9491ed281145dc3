package io.pledge.audit.verify;

import static io.pledge.audit.AuditTestSupport.awaitRecorded;
import static io.pledge.audit.AuditTestSupport.example;
import static io.pledge.audit.AuditTestSupport.officer;
import static io.pledge.audit.AuditTestSupport.publish;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.agroal.api.AgroalDataSource;
import io.pledge.audit.AuditTestSupport;
import io.pledge.audit.ledger.AuditEntry;
import io.pledge.audit.ledger.EntryHasher;
import io.pledge.audit.ledger.Ledger;
import io.pledge.events.EventTypes;
import io.pledge.kit.security.Roles;
import io.pledge.kit.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Tamper evidence on the real database (pledge_audit_test): a row of the live ledger is altered, deleted, inserted or
 * reordered with plain JDBC (committed, as an intruder with database access would), and the real verification
 * endpoint names the first bad entry; then the row is restored and the ledger verifies again. While a test tampers it
 * holds the head row's lock, so the running consumer's appends wait instead of building on the tampered rows.
 */
@QuarkusTest
@Tag("clause-2.2.4")
@Tag("clause-5.2")
class TamperEvidenceTest {

    @Inject
    AgroalDataSource db;

    @BeforeEach
    void someRecentEntries() {
        for (int i = 0; i < 3; i++) {
            awaitRecorded(db, publish(EventTypes.CONSENT_GRANTED, example(EventTypes.CONSENT_GRANTED)).id());
        }
        assertThat(verify().getBoolean("valid")).as("the ledger verifies before tampering").isTrue();
    }

    @Test
    void anAlteredBodyOrEnvelopeIsFoundAtItsSeq() throws Exception {
        withAppendsPaused(k -> {
            AuditEntry original = entry(k);
            exec("update audit_entry set body = replace(body, '\"', ' \"') where seq = ?", k);
            try {
                expectFirstBad(k, "ALTERED");
            } finally {
                exec("update audit_entry set body = ? where seq = ?", original.body(), k);
            }
            exec("update audit_entry set subject_id = ? where seq = ?", UUID.randomUUID(), k);
            try {
                expectFirstBad(k, "ALTERED");
            } finally {
                exec("update audit_entry set subject_id = ? where seq = ?", original.subjectId(), k);
            }
        });
    }

    @Test
    void aDeletedRowIsFoundAsMissing() throws Exception {
        withAppendsPaused(k -> {
            AuditEntry original = entry(k);
            exec("delete from audit_entry where seq = ?", k);
            try {
                expectFirstBad(k, "MISSING");
            } finally {
                insert(original);
            }
        });
    }

    @Test
    void aRowInsertedIntoTheChainWithAValidHashIsFoundAsInserted() throws Exception {
        withAppendsPaused(k -> {
            AuditEntry before = entry(k - 1);
            exec("update audit_entry set seq = -seq - 1 where seq >= ?", k);
            exec("update audit_entry set seq = -seq where seq < 0");
            AuditEntry unhashed = new AuditEntry(k, "forged-" + UUID.randomUUID(), before.eventType(), before.source(),
                    before.subjectId(), before.eventTime(), before.dataschema(), before.topic(), before.partition(),
                    before.offset(), before.category(), before.actor(), before.recordedAt(), before.bodySha256(),
                    before.body(), null, before.entryHash(), null, before.bodySalt());
            insert(new AuditEntry(k, unhashed.eventId(), unhashed.eventType(), unhashed.source(), unhashed.subjectId(),
                    unhashed.eventTime(), unhashed.dataschema(), unhashed.topic(), unhashed.partition(), unhashed.offset(),
                    unhashed.category(), unhashed.actor(), unhashed.recordedAt(), unhashed.bodySha256(), unhashed.body(),
                    null, unhashed.prevHash(), EntryHasher.entryHash(unhashed), unhashed.bodySalt()));
            try {
                expectFirstBad(k, "INSERTED");
            } finally {
                exec("delete from audit_entry where seq = ?", k);
                exec("update audit_entry set seq = -seq where seq > ?", k);
                exec("update audit_entry set seq = -seq - 1 where seq < 0");
            }
        });
    }

    @Test
    void twoRowsSwappedAreFoundAtTheFirstOfThem() throws Exception {
        withAppendsPaused(k -> {
            swap(k - 1, k);
            try {
                expectFirstBad(k - 1, "ALTERED");
            } finally {
                swap(k - 1, k);
            }
        });
    }

    @Test
    void verificationIsForOperatorsOnly() {
        given().auth().oauth2(TestTokens.subject(UUID.randomUUID())).when().get("/v1/audit/verification").then()
                .statusCode(403).contentType("application/problem+json");
        given().when().get("/v1/audit/verification").then().statusCode(401);
        given().auth().oauth2(TestTokens.token("sec", Set.of(Roles.SECURITY_OFFICER), Duration.ofMinutes(5)))
                .when().get("/v1/audit/verification").then().statusCode(200);
    }

    private interface Tamper {
        void run(long k) throws Exception;
    }

    /** Holds the head lock (appends and checkpoints wait) while tampering with the row before the last. */
    private void withAppendsPaused(Tamper tamper) throws Exception {
        try (Connection lock = db.getConnection()) {
            lock.setAutoCommit(false);
            long size;
            try (Statement s = lock.createStatement();
                 ResultSet rs = s.executeQuery("select size from audit_head where id = 1 for update")) {
                rs.next();
                size = rs.getLong(1);
            }
            try {
                tamper.run(size - 2);
                assertThat(verify().getBoolean("valid")).as("the ledger verifies once restored").isTrue();
            } finally {
                lock.rollback();
            }
        }
    }

    private void expectFirstBad(long seq, String problem) {
        JsonPath report = verify();
        assertThat(report.getBoolean("valid")).isFalse();
        assertThat(report.getLong("firstBadSeq")).isEqualTo(seq);
        assertThat(report.getString("problem")).isEqualTo(problem);
    }

    private static JsonPath verify() {
        return given().auth().oauth2(officer()).when().get("/v1/audit/verification").then()
                .statusCode(200).extract().jsonPath();
    }

    private AuditEntry entry(long seq) {
        return AuditTestSupport.entries(db, "seq = ?", seq).get(0);
    }

    private void swap(long a, long b) throws SQLException {
        exec("update audit_entry set seq = -1 where seq = ?", a);
        exec("update audit_entry set seq = ? where seq = ?", a, b);
        exec("update audit_entry set seq = ? where seq = -1", b);
    }

    private void insert(AuditEntry e) throws SQLException {
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement("insert into audit_entry (" + Ledger.COLUMNS
                     + ") values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            Ledger.bind(ps, e);
            ps.executeUpdate();
        }
    }

    private void exec(String sql, Object... params) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            ps.executeUpdate();
        }
    }
}
