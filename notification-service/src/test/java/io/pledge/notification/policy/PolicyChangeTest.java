package io.pledge.notification.policy;

import static io.pledge.notification.support.Officers.PROBLEM;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.agroal.api.AgroalDataSource;
import io.pledge.events.EventTypes;
import io.pledge.events.account.AccountCancelled;
import io.pledge.events.account.AccountRegistered;
import io.pledge.events.consent.PolicyVersionPublished;
import io.pledge.notification.smtp.EmbeddedSmtp;
import io.pledge.kit.testing.Db;
import io.pledge.notification.support.Mails;
import io.pledge.notification.support.Officers;
import io.pledge.notification.support.StubServices;
import io.pledge.notification.support.Topics;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Policy-change notices (policy 9.2): PolicyVersionPublished sent to the real consent.events topic as
 * consent-service publishes it; the subjects are known from AccountRegistered / AccountCancelled on the real
 * account.events topic; the notices are read from the real SMTP server.
 */
@QuarkusTest
class PolicyChangeTest {

    @Inject
    AgroalDataSource db;
    @Inject
    EmbeddedSmtp smtp;

    private static String version() {
        return "2027-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    @Tag("clause-9.2")
    void aMaterialVersionIsNotifiedToEveryActiveSubjectOnceBeforeItTakesEffect() throws Exception {
        List<UUID> active = List.of(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID());
        UUID cancelled = UUID.randomUUID();
        for (UUID s : active) {
            Topics.send(EventTypes.ACCOUNT_REGISTERED, new AccountRegistered(s, "INDIVIDUAL", false, Instant.now()));
        }
        Topics.send(EventTypes.ACCOUNT_REGISTERED, new AccountRegistered(cancelled, "INDIVIDUAL", false, Instant.now()));
        Topics.send(EventTypes.ACCOUNT_CANCELLED, new AccountCancelled(cancelled, Instant.now(), null));
        await().atMost(Duration.ofSeconds(30)).until(() -> Db.count(db, "select count(*) from subject_directory where subject_id = ? "
                + "and status = 'CANCELLED'", cancelled) == 1 && Db.count(db, "select count(*) from subject_directory where "
                + "subject_id in (?, ?, ?)", active.get(0), active.get(1), active.get(2)) == 3);

        String version = version();
        Instant effective = Instant.now().plus(31, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        PolicyVersionPublished e = new PolicyVersionPublished(version, "a".repeat(64), effective, true, List.of("marketing-email"),
                Instant.now());
        String id = Topics.send(EventTypes.POLICY_VERSION_PUBLISHED, e);
        Topics.send(EventTypes.POLICY_VERSION_PUBLISHED, e, id);    // redelivered
        Topics.send(EventTypes.POLICY_VERSION_PUBLISHED, e);        // published twice
        JsonPath done = await().atMost(Duration.ofSeconds(60)).until(() -> Officers.privacy().when()
                .get("/v1/policy-notices/{v}", version).then().extract().jsonPath(), j -> "DONE".equals(j.getString("progress.status")));
        assertThat(done.getString("effectiveAt")).isEqualTo(effective.toString());
        for (UUID s : active) {
            List<MimeMessage> got = Mails.to(smtp, StubServices.email(s)).stream()
                    .filter(m -> Mails.text(m).contains(version)).toList();
            assertThat(got).hasSize(1);
            assertThat(got.get(0).getSentDate().toInstant()).isBefore(effective);
            assertThat(Mails.subject(got.get(0))).contains(effective.toString().substring(0, 10));
        }
        assertThat(Mails.to(smtp, StubServices.email(cancelled))).isEmpty();
        assertThat(Db.count(db, "select count(*) from campaign where ref = ?", "policy:" + version)).isEqualTo(1);
        long sentBefore = Db.count(db, "select count(*) from delivery d join campaign c on c.id = d.campaign_id where c.ref = ? "
                + "and d.status = 'SENT' and d.sent_at < ?", "policy:" + version, java.sql.Timestamp.from(effective));
        assertThat(sentBefore).isEqualTo(done.getLong("progress.notices"));
    }

    @Test
    @Tag("clause-9.2")
    void aVersionThatIsNotMaterialIsNotNotifiedIndividually() throws Exception {
        String version = version();
        Topics.send(EventTypes.POLICY_VERSION_PUBLISHED, new PolicyVersionPublished(version, "b".repeat(64),
                Instant.now().plus(3, ChronoUnit.DAYS), false, List.of(), Instant.now()));
        Thread.sleep(3000);
        Officers.privacy().when().get("/v1/policy-notices/{v}", version).then().statusCode(404).contentType(PROBLEM);
        assertThat(Db.count(db, "select count(*) from campaign where ref = ?", "policy:" + version)).isZero();
    }
}
