package io.pledge.consent;

import static io.pledge.consent.support.Consent.PROBLEM;
import static io.pledge.consent.support.Consent.check;
import static io.pledge.consent.support.Consent.decide;
import static io.pledge.consent.support.Consent.decision;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.agroal.api.AgroalDataSource;
import io.pledge.consent.check.ConsentView;
import io.pledge.consent.support.Db;
import io.pledge.consent.support.Topics;
import io.pledge.events.EventTypes;
import io.pledge.events.account.AccountCancelled;
import io.pledge.events.account.AccountRegistered;
import io.pledge.events.consent.ConsentWithdrawn;
import io.pledge.kit.events.CloudEventHeaders;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Test;

/**
 * Policy 5.4 with 6.5: after an account is cancelled, what is kept for the shortest legal period is not used
 * commercially. AccountCancelled arrives on the real account.events topic as account-service sends it; every
 * marketing consent in force is withdrawn (and holders hear ConsentWithdrawn), the check says no with the reason,
 * a new marketing grant is refused, and purposes that are not marketing are left as they were.
 */
@QuarkusTest
class CancelledAccountTest {

    @Inject
    AgroalDataSource db;

    @Inject
    ConsentView view;

    @Test
    void marketingIsOffForACancelledAccountWhileItsDataIsKept() throws Exception {
        UUID subject = UUID.randomUUID();
        Topics.send(EventTypes.of(AccountRegistered.class), new AccountRegistered(subject, "INDIVIDUAL", false, Instant.now()));
        decide(subject, decision("marketing-email", "GIVEN")).statusCode(201);
        decide(subject, decision("marketing-phone", "GIVEN")).statusCode(201);
        decide(subject, decision("profiling", "GIVEN")).statusCode(201);
        assertThat(check(subject, "marketing-email").getBoolean("permitted")).isTrue();

        String withdrawn = EventTypes.of(ConsentWithdrawn.class).type();
        try (KafkaConsumer<String, byte[]> events = Topics.tail("consent.events")) {
            String id = Topics.send(EventTypes.of(AccountCancelled.class),
                    new AccountCancelled(subject, Instant.now(), UUID.randomUUID()));
            await().atMost(Duration.ofSeconds(60)).until(() -> view.isCancelled(subject));

            // both marketing consents and the profiling one were withdrawn by the controller and told to holders
            List<ConsumerRecord<String, byte[]>> told = Topics.await(events, r -> subject.toString().equals(r.key())
                    && withdrawn.equals(Topics.header(r, CloudEventHeaders.TYPE)), 3, Duration.ofSeconds(30));
            assertThat(told).hasSize(3);
            assertThat(Db.count(db, "select count(*) from consent_record where subject_id = ? and status = 'WITHDRAWN' "
                    + "and channel = 'SYSTEM' and actor = 'CONTROLLER' and reason = 'ACCOUNT_CANCELLED'", subject)).isEqualTo(3);

            // the check says no, with the reason, for every purpose beyond the necessary; necessary ones still hold
            assertThat(check(subject, "marketing-email").getBoolean("permitted")).isFalse();
            assertThat(check(subject, "marketing-email").getString("reason")).isEqualTo("ACCOUNT_CANCELLED");
            assertThat(check(subject, "marketing-phone").getString("reason")).isEqualTo("ACCOUNT_CANCELLED");
            assertThat(check(subject, "profiling").getString("reason")).isEqualTo("ACCOUNT_CANCELLED");
            assertThat(check(subject, "security").getString("reason")).isEqualTo("NECESSARY");

            // no new marketing grant; the refusal records nothing
            long before = Db.count(db, "select count(*) from consent_record where subject_id = ?", subject);
            decide(subject, decision("marketing-email", "GIVEN")).statusCode(409).contentType(PROBLEM);
            assertThat(Db.count(db, "select count(*) from consent_record where subject_id = ?", subject)).isEqualTo(before);

            // the same event delivered again changes nothing
            Topics.send(EventTypes.of(AccountCancelled.class), new AccountCancelled(subject, Instant.now(), UUID.randomUUID()), id);
            Thread.sleep(2_000);
            assertThat(Db.count(db, "select count(*) from consent_record where subject_id = ?", subject)).isEqualTo(before);
        }

        // the cancellation survives a rebuild of the in-memory view (a restart)
        view.rebuild();
        assertThat(check(subject, "marketing-email").getString("reason")).isEqualTo("ACCOUNT_CANCELLED");
    }
}
