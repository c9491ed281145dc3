package io.pledge.consent;

import static io.pledge.consent.support.Consent.check;
import static io.pledge.consent.support.Consent.decide;
import static io.pledge.consent.support.Consent.decision;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Two replicas of consent-service share one database, and each answers checks from its own memory.
 * Here the other replica is played by a commit on the real database that this instance did not make
 * (the rows another instance's ledger writes), and the check of this instance must follow it: the
 * database's change notification reaches this instance, which reads the subject again. The whole-system
 * {@code ReplicasIT} shows the same with two real instances.
 */
@QuarkusTest
class ReplicaViewTest {

    @Inject
    AgroalDataSource db;

    @Test
    @Tag("clause-6.4")
    void aWithdrawalCommittedByAnotherInstanceIsRefusedHereToo() throws Exception {
        UUID subject = UUID.randomUUID();
        decide(subject, decision("marketing-email", "GIVEN")).statusCode(201);
        assertThat(check(subject, "marketing-email").getBoolean("permitted")).isTrue();

        update("update consent_state set status = 'WITHDRAWN', record_seq = record_seq + 1000000000, recorded_at = now() "
                + "where subject_id = ? and purpose_id = 'marketing-email'", subject);

        await().atMost(Duration.ofSeconds(10)).until(() -> !check(subject, "marketing-email").getBoolean("permitted"));
        assertThat(check(subject, "marketing-email").getString("reason")).isEqualTo("WITHDRAWN");
    }

    @Test
    @Tag("clause-5.4")
    void aCancellationRecordedByAnotherInstanceStopsMarketingHere() throws Exception {
        UUID subject = UUID.randomUUID();
        decide(subject, decision("marketing-phone", "GIVEN")).statusCode(201);
        assertThat(check(subject, "marketing-phone").getBoolean("permitted")).isTrue();

        update("update known_subject set cancelled_at = now() where subject_id = ?", subject);

        await().atMost(Duration.ofSeconds(10)).until(() -> !check(subject, "marketing-phone").getBoolean("permitted"));
        assertThat(check(subject, "marketing-phone").getString("reason")).isEqualTo("ACCOUNT_CANCELLED");
    }

    private void update(String sql, UUID subject) throws Exception {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, subject);
            assertThat(ps.executeUpdate()).as(sql).isEqualTo(1);
        }
    }
}
