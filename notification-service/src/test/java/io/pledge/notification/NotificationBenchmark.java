package io.pledge.notification;

import static io.pledge.notification.support.Officers.declaration;
import static org.assertj.core.api.Assertions.assertThat;

import io.agroal.api.AgroalDataSource;
import io.pledge.kit.testing.Db;
import io.pledge.notification.config.NotificationConfig;
import io.pledge.notification.support.Officers;
import io.pledge.notification.support.SmtpRelay;
import io.pledge.notification.support.SmtpSink;
import io.quarkus.mailer.Mail;
import io.quarkus.mailer.reactive.ReactiveMailer;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Breach campaign throughput (issue 8): notices handed to the SMTP server per second, and the total time from the
 * declaration to the last notice, for {@code pledge.bench.subjects} (100,000) affected subjects by subject list, one
 * EMAIL notice each — the whole path: expansion, claims, contact lookups (the stub account-service), Qute rendering,
 * SMTP handed over by {@code delivery.send-concurrency} senders, the SENT mark and NoticeDelivered through the outbox.
 * The SMTP server is a relay that keeps no mailboxes ({@link SmtpSink}, profile {@link SmtpRelay}): the embedded
 * GreenMail keeps one in-memory mailbox per recipient and slows down as they pile up, which measured GreenMail rather
 * than this service. Beside it, baselines measured in the same run against the same relay: the same mailer handing
 * messages straight to it with as many threads as the service's senders, and with 4 threads (no database, no
 * lookup). Every subject's message is counted at the relay: exactly one each. Excluded from the default run:
 * <pre>
 * mvn -B -ntp -o verify -pl notification-service -Dtest=NotificationBenchmark -Dpledge.excluded.groups= \
 *     -Dsurefire.failIfNoSpecifiedTests=false [-Dpledge.bench.subjects=100000]
 * </pre>
 * Prints {@code BENCH} lines and writes them to {@code target/notification-benchmark.txt}.
 */
@QuarkusTest
@TestProfile(SmtpRelay.class)
@Tag("benchmark")
class NotificationBenchmark {

    private static SmtpSink sink;

    @Inject
    ReactiveMailer mailer;
    @Inject
    NotificationConfig config;
    @Inject
    AgroalDataSource db;

    @BeforeAll
    static void startRelay() {
        sink = SmtpSink.start(SmtpRelay.PORT);
    }

    @AfterAll
    static void stopRelay() {
        sink.close();
    }

    /** The mailer alone: {@code baseN} messages to the relay from {@code threads} threads; messages per second. */
    private double mailerAlone(int threads, int baseN) throws InterruptedException {
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long t0 = System.nanoTime();
        for (int t = 0; t < threads; t++) {
            pool.submit(() -> {
                while (next.getAndIncrement() < baseN) {
                    mailer.send(Mail.withText("bench-" + UUID.randomUUID() + "@example.test", "baseline", "baseline body"))
                            .await().atMost(Duration.ofSeconds(30));
                }
            });
        }
        pool.shutdown();
        assertThat(pool.awaitTermination(10, TimeUnit.MINUTES)).isTrue();
        double rate = baseN / ((System.nanoTime() - t0) / 1e9);
        assertThat(sink.count()).isEqualTo(baseN);
        sink.reset();
        return rate;
    }

    @Test
    void breachCampaignThroughput() throws Exception {
        int n = Integer.getInteger("pledge.bench.subjects", 100_000);
        int senders = config.delivery().sendConcurrency();
        List<String> out = new ArrayList<>();
        sink.reset();

        // baselines: the mailer alone to the same relay, as many threads as the service's senders, and 4 threads
        mailerAlone(senders, 2_000); // warm-up: connections, JIT
        int baseN = 10_000;
        double baseline = mailerAlone(senders, baseN);
        double baseline4 = mailerAlone(4, baseN);
        out.add(String.format("BENCH baseline mailer-only SMTP hand-offs to the relay: %.0f msg/s (%d threads, %d messages); "
                + "%.0f msg/s (4 threads)", baseline, senders, baseN, baseline4));
        sink.keep(true);

        // the campaign
        List<String> subjects = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            subjects.add(UUID.randomUUID().toString());
        }
        double start = System.currentTimeMillis() / 1000.0;
        String id = Officers.security().body(declaration("SUBJECTS", subjects.subList(0, Math.min(5000, n)).stream().map(UUID::fromString)
                .toList(), List.of("EMAIL"))).when().post("/v1/incidents").then().statusCode(201).extract().path("incidentId");
        for (int i = 5000; i < n; i += 5000) {
            Officers.security().body(Map.of("subjectIds", subjects.subList(i, Math.min(n, i + 5000))))
                    .when().post("/v1/incidents/{id}/affected-subjects", id).then().statusCode(200);
        }
        JsonPath p;
        while (true) {
            p = Officers.security().when().get("/v1/incidents/{id}", id).then().statusCode(200).extract().jsonPath();
            if ("DONE".equals(p.getString("progress.status")) && p.getLong("progress.notices") == n) {
                break;
            }
            Thread.sleep(1000);
        }
        // first and last notice from the delivery records (the same clock), not from the 1 s polling above
        String[] span = Db.string(db, "select extract(epoch from min(sent_at)) || ' ' || extract(epoch from max(sent_at)) "
                + "from delivery where campaign_id = ?", UUID.fromString(p.getString("campaignId"))).split(" ");
        double total = Double.parseDouble(span[1]) - start;
        double sending = Double.parseDouble(span[1]) - Double.parseDouble(span[0]);
        long delivered = p.getLong("progress.delivered");
        out.add(String.format("BENCH breach campaign: %d subjects, %d delivered, %d failed; %d messages at the relay "
                + "(%d distinct recipients); %d senders, %d worker threads × batch %d", n, delivered, p.getLong("progress.failed"),
                sink.count(), sink.accepted().stream().map(SmtpSink.Accepted::recipient).distinct().count(), senders,
                config.delivery().threads(), config.delivery().batch()));
        out.add(String.format("BENCH total time declaration → last notice: %.1f s", total));
        out.add(String.format("BENCH notices handed to SMTP: %.0f /s from the first notice to the last (%.1f s), %.0f /s overall; "
                + "%.2f × the mailer-only baseline at %d threads, %.2f × at 4 threads",
                delivered / sending, sending, delivered / total, (delivered / sending) / baseline, senders,
                (delivered / sending) / baseline4));
        out.forEach(System.out::println);
        Files.write(Path.of("target/notification-benchmark.txt"), out);
        assertThat(delivered).isEqualTo(n);
        assertThat(sink.count()).as("messages at the relay: one per subject").isEqualTo(n);
        assertThat(sink.accepted().stream().map(SmtpSink.Accepted::recipient).distinct().count()).isEqualTo(n);
    }
}
