package io.pledge.notification.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.agroal.api.AgroalDataSource;
import io.pledge.events.EventTypes;
import io.pledge.events.notification.NoticeRequested;
import io.pledge.kit.events.EventSchemas;
import io.pledge.kit.testing.Db;
import io.pledge.notification.support.EmbeddedDefault;
import io.pledge.notification.support.Stub;
import io.pledge.notification.support.Topics;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Store;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Test;

/**
 * The embedded default's stand-in for an SMS gateway, a dialler and a push service ({@link EmbeddedChannelSink}):
 * with the embedded SMTP server on and no webhook configured ({@link EmbeddedDefault}), an SMS and a telephone
 * message reach the local mail server as mail to {@code <mobile digits>@sms.pledge.local} and a push message as mail
 * to {@code <subject id>@push.pledge.local}, each read back over the server's real IMAP port as a person trying Pledge
 * would read it (login = password = the address). The mobile number is fetched from account-service at send time and
 * appears in no log line, no published event and no database column. Real: PostgreSQL, the Kafka broker of the tests
 * (events read back from notification.events and held against their schema), GreenMail's SMTP and IMAP servers in the
 * service. Stand-in: account-service's contact lookup ({@code StubServices}); its webhook receiver is up but not
 * configured, and must receive nothing.
 */
@QuarkusTest
@TestProfile(EmbeddedDefault.class)
class EmbeddedChannelSinkTest {

    @Inject
    AgroalDataSource db;
    @Inject
    EventSchemas schemas;

    /** One message as a mail client shows it. */
    record Received(String subject, String text, String channel, String notice) {
    }

    @Test
    void withoutAWebhookSmsPhoneAndPushArriveAsMailReadableOverImapAndTheMobileIsNeverLoggedOrPublished() throws Exception {
        UUID subject = UUID.randomUUID();
        String mobile = "+86136" + String.format("%08d", Math.floorMod(subject.getMostSignificantBits(), 100_000_000L));
        String digits = mobile.substring(1);
        Stub.contact(subject, "sink-" + subject.toString().substring(0, 8) + "@example.test", mobile);
        NoticeRequested n = new NoticeRequested(UUID.randomUUID(), subject, "SERVICE", "service-notice",
                List.of("SMS", "PHONE", "PUSH"), "en", Map.of("requestId", "r-embedded-sink"), Instant.now());

        List<Topics.Published> outcomes;
        try (KafkaConsumer<String, byte[]> topic = Topics.tail("notification.events")) {
            Topics.send(EventTypes.NOTICE_REQUESTED, n);
            outcomes = Topics.read(topic, schemas, Topics.has(EventTypes.NOTICE_DELIVERED, n.noticeId().toString(), 3),
                    Duration.ofSeconds(30)).stream().filter(p -> p.body().contains(n.noticeId().toString())).toList();
        }
        assertThat(outcomes).hasSize(3).allMatch(p -> p.is(EventTypes.NOTICE_DELIVERED));
        assertThat(outcomes).extracting(p -> p.json().getString("channel")).containsExactlyInAnyOrder("SMS", "PHONE", "PUSH");
        // each channel sent once; a send the embedded mail server was too busy to take in time is retried (attempts 2)
        assertThat(Db.count(db, "select count(*) from delivery where notice_id = ? and status = 'SENT' and attempts <= 2",
                n.noticeId())).isEqualTo(3);

        // the SMS and the call, in the mobile's mailbox over IMAP
        List<Received> phone = awaitMailbox(digits + "@sms.pledge.local", 2);
        assertThat(phone).extracting(Received::channel).containsExactlyInAnyOrder("SMS", "PHONE");
        assertThat(phone).allSatisfy(m -> {
            assertThat(m.notice()).isEqualTo(n.noticeId().toString());
            assertThat(m.subject()).isEqualTo("[" + m.channel() + "] A message about your Pledge account");
            assertThat(m.text()).contains("This is a service message about your Pledge account.")
                    .contains("requestId: r-embedded-sink");
        });
        // the push message, in the subject id's mailbox
        List<Received> push = awaitMailbox(subject + "@push.pledge.local", 1);
        assertThat(push.get(0).channel()).isEqualTo("PUSH");
        assertThat(push.get(0).subject()).isEqualTo("[PUSH] A message about your Pledge account");
        assertThat(push.get(0).text()).contains("requestId: r-embedded-sink");

        assertThat(Stub.webhook()).as("no webhook is configured: the stub receiver gets nothing")
                .noneMatch(w -> n.noticeId().toString().equals(w.getString("noticeId")));

        // the mobile number, with or without its "+", is in no event, no column and no log line
        await().atMost(Duration.ofSeconds(10)).until(() -> Db.count(db, "select count(*) from pledge_outbox where sent_at is null") == 0);
        String log = Files.readString(Path.of("target/notification-service-test.log"));
        for (Topics.Published p : outcomes) {
            assertThat(p.body() + p.headers()).doesNotContain(digits);
        }
        assertThat(Db.columnsContaining(db, digits)).as("columns holding the mobile").isEmpty();
        assertThat(log).as("the log").doesNotContain(digits).doesNotContain("@sms.pledge.local");
    }

    /** Waits until the mailbox of {@code address} holds {@code n} messages and returns them. */
    private static List<Received> awaitMailbox(String address, int n) throws Exception {
        long end = System.currentTimeMillis() + 30_000;
        List<Received> got = List.of();
        while (System.currentTimeMillis() < end) {
            try {
                got = imap(address);
            } catch (AuthenticationFailedException noMailboxYet) {
                got = List.of(); // GreenMail makes the mailbox with its first message
            }
            if (got.size() >= n) {
                break;
            }
            Thread.sleep(200);
        }
        assertThat(got).as("messages in the mailbox over IMAP").hasSize(n);
        return got;
    }

    private static List<Received> imap(String address) throws Exception {
        Properties p = new Properties();
        p.put("mail.imap.connectiontimeout", "5000");
        p.put("mail.imap.timeout", "5000");
        List<Received> out = new ArrayList<>();
        try (Store store = Session.getInstance(p).getStore("imap")) {
            store.connect("127.0.0.1", EmbeddedDefault.IMAP_PORT, address, address);
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            for (Message m : inbox.getMessages()) {
                out.add(new Received(m.getSubject(), String.valueOf(m.getContent()), m.getHeader("X-Pledge-Channel")[0],
                        m.getHeader("X-Pledge-Notice")[0]));
            }
            inbox.close(false);
        }
        return out;
    }
}
