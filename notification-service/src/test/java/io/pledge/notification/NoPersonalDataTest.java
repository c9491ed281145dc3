package io.pledge.notification;

import static org.assertj.core.api.Assertions.assertThat;

import io.agroal.api.AgroalDataSource;
import io.pledge.events.EventTypes;
import io.pledge.events.notification.NoticeRequested;
import io.pledge.notification.smtp.EmbeddedSmtp;
import io.pledge.kit.testing.Db;
import io.pledge.notification.support.Mails;
import io.pledge.notification.support.Stub;
import io.pledge.notification.support.Topics;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;

/**
 * Contact values fetched at send time are held nowhere afterwards: after email, SMS and letter deliveries to
 * distinctive addresses, no text column of any schema of the real database (the outbox's event payloads and the
 * key store included) and no line of the run's log holds the address, the mobile or the domain of the addresses
 * any test used.
 */
@QuarkusTest
class NoPersonalDataTest {

    @Inject
    AgroalDataSource db;
    @Inject
    EmbeddedSmtp smtp;

    @Test
    void addressesAndMobilesAreNeverStoredOrLogged() throws Exception {
        UUID subject = UUID.randomUUID();
        String email = "zz-unique-" + subject.toString().substring(0, 8) + "@pii-probe.test";
        String mobile = "+8613700" + String.format("%06d", Math.floorMod(subject.getMostSignificantBits(), 1_000_000L));
        Stub.contact(subject, email, mobile);
        NoticeRequested n = new NoticeRequested(UUID.randomUUID(), subject, "SERVICE", "service-notice",
                List.of("EMAIL", "SMS", "LETTER"), "en", Map.of("requestId", "r-pii"), Instant.now());
        Topics.send(EventTypes.NOTICE_REQUESTED, n);
        await().atMost(Duration.ofSeconds(30)).until(() -> Db.count(db, "select count(*) from delivery where notice_id = ? "
                + "and status = 'SENT'", n.noticeId()) == 3);
        await().atMost(Duration.ofSeconds(10)).until(() -> Db.count(db, "select count(*) from pledge_outbox where sent_at is null") == 0);
        assertThat(Mails.to(smtp, email)).hasSize(1);
        assertThat(Stub.webhook()).anyMatch(w -> mobile.equals(w.getString("to")));
        String log = Files.readString(Path.of("target/notification-service-test.log"));
        for (String value : List.of(email, mobile, "@pii-probe.test", "@example.test")) {
            assertThat(Db.columnsContaining(db, value)).as("columns holding %s", value).isEmpty();
            assertThat(log).as("the log").doesNotContain(value);
        }
    }
}
