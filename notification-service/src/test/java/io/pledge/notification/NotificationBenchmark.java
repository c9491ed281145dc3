package io.pledge.notification;

import static io.pledge.notification.support.Officers.declaration;
import static org.assertj.core.api.Assertions.assertThat;

import io.pledge.notification.smtp.EmbeddedSmtp;
import io.pledge.notification.support.Officers;
import io.quarkus.mailer.Mail;
import io.quarkus.mailer.reactive.ReactiveMailer;
import io.quarkus.test.junit.QuarkusTest;
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
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Breach campaign throughput (issue 8's closing note): notices handed to the SMTP server per second, and the
 * total time from the declaration to the last notice, for {@code pledge.bench.subjects} (100,000) affected
 * subjects by subject list, one EMAIL notice each — the whole path: expansion, claims, contact lookups (the stub
 * account-service), Qute rendering, SMTP to the embedded GreenMail, the SENT mark and NoticeDelivered through
 * the outbox. Beside it, a baseline measured in the same run: the same mailer handing messages straight to the
 * same SMTP server with the same number of threads (no database, no lookup). Excluded from the default run:
 * <pre>
 * mvn -B -ntp -o verify -pl notification-service -Dtest=NotificationBenchmark -Dpledge.excluded.groups= \
 *     -Dsurefire.failIfNoSpecifiedTests=false [-Dpledge.bench.subjects=100000]
 * </pre>
 * Prints {@code BENCH} lines and writes them to {@code target/notification-benchmark.txt}.
 */
@QuarkusTest
@Tag("benchmark")
class NotificationBenchmark {

    @Inject
    EmbeddedSmtp smtp;
    @Inject
    ReactiveMailer mailer;

    @Test
    void breachCampaignThroughput() throws Exception {
        int n = Integer.getInteger("pledge.bench.subjects", 100_000);
        List<String> out = new ArrayList<>();
        smtp.purge();

        // baseline: the mailer alone, 4 threads (as many as the delivery worker), 5,000 messages
        int baseN = 5_000;
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        long t0 = System.nanoTime();
        for (int t = 0; t < 4; t++) {
            pool.submit(() -> {
                while (next.getAndIncrement() < baseN) {
                    mailer.send(Mail.withText("bench-" + UUID.randomUUID() + "@example.test", "baseline", "baseline body"))
                            .await().atMost(Duration.ofSeconds(30));
                }
            });
        }
        pool.shutdown();
        assertThat(pool.awaitTermination(10, TimeUnit.MINUTES)).isTrue();
        double baseline = baseN / ((System.nanoTime() - t0) / 1e9);
        out.add(String.format("BENCH baseline mailer-only SMTP hand-offs: %.0f msg/s (4 threads, %d messages)", baseline, baseN));
        smtp.purge();

        // the campaign
        List<String> subjects = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            subjects.add(UUID.randomUUID().toString());
        }
        long start = System.nanoTime();
        String id = Officers.security().body(declaration("SUBJECTS", subjects.subList(0, Math.min(5000, n)).stream().map(UUID::fromString)
                .toList(), List.of("EMAIL"))).when().post("/v1/incidents").then().statusCode(201).extract().path("incidentId");
        for (int i = 5000; i < n; i += 5000) {
            Officers.security().body(Map.of("subjectIds", subjects.subList(i, Math.min(n, i + 5000))))
                    .when().post("/v1/incidents/{id}/affected-subjects", id).then().statusCode(200);
        }
        long firstAt = 0;
        long lastDelivered = 0;
        JsonPath p;
        while (true) {
            p = Officers.security().when().get("/v1/incidents/{id}", id).then().statusCode(200).extract().jsonPath();
            long delivered = p.getLong("progress.delivered");
            if (firstAt == 0 && delivered > 0) {
                firstAt = System.nanoTime();
            }
            if (delivered - lastDelivered > 20_000) {
                smtp.purge(); // keep the in-memory mail store small; counts come from the delivery records
                lastDelivered = delivered;
            }
            if ("DONE".equals(p.getString("progress.status")) && p.getLong("progress.notices") == n) {
                break;
            }
            Thread.sleep(1000);
        }
        long end = System.nanoTime();
        double total = (end - start) / 1e9;
        double sending = (end - firstAt) / 1e9;
        long delivered = p.getLong("progress.delivered");
        out.add(String.format("BENCH breach campaign: %d subjects, %d delivered, %d failed", n, delivered, p.getLong("progress.failed")));
        out.add(String.format("BENCH total time declaration → last notice: %.1f s", total));
        out.add(String.format("BENCH notices handed to SMTP: %.0f /s over the sending phase (%.1f s), %.0f /s overall; %.2f × the mailer-only baseline",
                delivered / sending, sending, delivered / total, (delivered / sending) / baseline));
        out.forEach(System.out::println);
        Files.write(Path.of("target/notification-benchmark.txt"), out);
        assertThat(delivered).isEqualTo(n);
    }
}
