package io.pledge.consent;

import static io.pledge.consent.support.Consent.holderToken;
import static io.pledge.consent.support.Consent.subjectToken;

import io.pledge.consent.support.Topics;
import io.pledge.events.EventTypes;
import io.pledge.events.consent.ConsentWithdrawn;
import io.pledge.kit.events.CloudEventHeaders;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Measures, on the real service with the real PostgreSQL and Kafka, beside pgbench baselines taken in the
 * same run: check throughput and latency (single, and batches of 100) at full load and at half of it;
 * grant/withdraw writes per second; time from a withdrawal's response to its ConsentWithdrawn on the topic.
 * Excluded from the default build; run with
 * {@code mvn -B -ntp -o test -pl consent-service -Dtest=ConsentBenchmark -Dpledge.excluded.groups= -Dsurefire.failIfNoSpecifiedTests=false}.
 * The report goes to stdout and {@code target/consent-benchmark.txt}.
 */
@QuarkusTest
@Tag("benchmark")
class ConsentBenchmark {

    private static final int CLIENTS = 8;
    private static final Duration RUN = Duration.ofSeconds(Integer.getInteger("bench.seconds", 10));
    private static final int SUBJECTS = 1000;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final StringBuilder report = new StringBuilder();

    @Test
    void checksWritesAndPropagation() throws Exception {
        String base = "http://127.0.0.1:" + RestAssured.port;
        line("consent-service benchmark, " + CLIENTS + " clients, " + RUN.toSeconds() + " s per phase, "
                + Runtime.getRuntime().availableProcessors() + " cores");
        line("baseline pgbench -S -c 8 -j 2 (same run):   " + pgbench("-S"));

        // writes: grant/withdraw over HTTP, 8 concurrent clients, each on its own subjects
        List<UUID> subjects = new ArrayList<>();
        for (int i = 0; i < SUBJECTS; i++) {
            subjects.add(UUID.randomUUID());
        }
        Result writes = closedLoop(base + "/v1/consents/%s/records", c -> {
            UUID s = subjects.get(c % SUBJECTS);
            return new Req(String.format(base + "/v1/consents/%s/records", s), subjectToken(s),
                    "{\"purposeId\":\"marketing-email\",\"decision\":\"" + ((c / SUBJECTS) % 2 == 0 ? "GIVEN" : "WITHDRAWN")
                            + "\",\"channel\":\"API\"}", 201);
        });
        line("baseline pgbench single-row INSERT -c 8 -j 2: " + pgbench("insert"));
        line("grant/withdraw writes:   " + writes);

        String holder = holderToken();
        StringBuilder batch = new StringBuilder("{\"checks\":[");
        for (int i = 0; i < 100; i++) {
            batch.append(i == 0 ? "" : ",").append("{\"subjectId\":\"").append(subjects.get(i * 7 % SUBJECTS))
                    .append("\",\"purposeId\":\"").append(i % 3 == 0 ? "profiling" : "marketing-email").append("\"}");
        }
        String batchBody = batch.append("]}").toString();
        IntFunction<Req> single = c -> new Req(base + "/v1/checks", holder, "{\"subjectId\":\"" + subjects.get(c % SUBJECTS)
                + "\",\"purposeId\":\"marketing-email\"}", 200);
        IntFunction<Req> batched = c -> new Req(base + "/v1/checks/batch", holder, batchBody, 200);

        closedLoop("warm-up", single);
        Result checks = closedLoop("single", single);
        line("single check, full load: " + checks);
        Result half = openLoop(single, checks.perSecond() / 2);
        line("single check at half:    " + half);
        Result batches = closedLoop("batch", batched);
        line("batch of 100, full load: " + batches + " = " + String.format("%.0f", batches.perSecond() * 100) + " checks/s");
        Result batchHalf = openLoop(batched, batches.perSecond() / 2);
        line("batch of 100 at half:    " + batchHalf);
        line("baseline pgbench -S again (same run):       " + pgbench("-S"));

        line("withdrawal 201 -> ConsentWithdrawn readable on consent.events: " + propagation(base, 200));
        Path out = Path.of("target", "consent-benchmark.txt");
        Files.writeString(out, report.toString());
        System.out.println(report);
    }

    private record Req(String url, String token, String body, int expect) {
    }

    private record Result(long ops, double seconds, Histogram latency, long errors) {
        double perSecond() {
            return ops / seconds;
        }

        @Override
        public String toString() {
            return String.format("%.0f/s, p50 %.2f ms, p99 %.2f ms, max %.1f ms (%d ops, %d errors)", perSecond(),
                    latency.getValueAtPercentile(50) / 1000.0, latency.getValueAtPercentile(99) / 1000.0,
                    latency.getMaxValue() / 1000.0, ops, errors);
        }
    }

    private Result closedLoop(String name, IntFunction<Req> next) throws Exception {
        Histogram h = new Histogram(3_600_000_000L, 3);
        AtomicLong counter = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        long end = System.nanoTime() + RUN.toNanos();
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        List<Future<?>> fs = new ArrayList<>();
        long start = System.nanoTime();
        for (int t = 0; t < CLIENTS; t++) {
            int thread = t;
            fs.add(pool.submit(() -> {
                Histogram mine = new Histogram(3_600_000_000L, 3);
                int i = thread;
                while (System.nanoTime() < end) {
                    Req r = next.apply(i);
                    i += CLIENTS;
                    long t0 = System.nanoTime();
                    if (!send(r)) {
                        errors.incrementAndGet();
                    }
                    mine.recordValue((System.nanoTime() - t0) / 1000);
                    counter.incrementAndGet();
                }
                synchronized (h) {
                    h.add(mine);
                }
                return null;
            }));
        }
        for (Future<?> f : fs) {
            f.get();
        }
        pool.shutdown();
        return new Result(counter.get(), (System.nanoTime() - start) / 1e9, h, errors.get());
    }

    /** Requests at a fixed rate; latency counted from when each was due (no coordinated omission). */
    private Result openLoop(IntFunction<Req> next, double rate) throws Exception {
        Histogram h = new Histogram(3_600_000_000L, 3);
        AtomicLong errors = new AtomicLong();
        long interval = (long) (1e9 / rate);
        long n = (long) (rate * RUN.toSeconds());
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS * 4);
        long start = System.nanoTime();
        List<Future<?>> fs = new ArrayList<>();
        for (long i = 0; i < n; i++) {
            long due = start + i * interval;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            int c = (int) i;
            fs.add(pool.submit(() -> {
                if (!send(next.apply(c))) {
                    errors.incrementAndGet();
                }
                long took = (System.nanoTime() - due) / 1000;
                synchronized (h) {
                    h.recordValue(took);
                }
                return null;
            }));
        }
        for (Future<?> f : fs) {
            f.get();
        }
        pool.shutdown();
        return new Result(n, (System.nanoTime() - start) / 1e9, h, errors.get());
    }

    private boolean send(Req r) {
        try {
            HttpResponse<Void> res = http.send(HttpRequest.newBuilder(URI.create(r.url())).header("Authorization", "Bearer " + r.token())
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(r.body())).build(),
                    HttpResponse.BodyHandlers.discarding());
            return res.statusCode() == r.expect();
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private String propagation(String base, int n) throws Exception {
        Histogram h = new Histogram(3_600_000_000L, 3);
        try (KafkaConsumer<String, byte[]> topic = Topics.tail("consent.events")) {
            for (int i = 0; i < n; i++) {
                UUID s = UUID.randomUUID();
                send(new Req(String.format(base + "/v1/consents/%s/records", s), subjectToken(s),
                        "{\"purposeId\":\"profiling\",\"decision\":\"GIVEN\",\"channel\":\"API\"}", 201));
                Req withdraw = new Req(String.format(base + "/v1/consents/%s/records", s), subjectToken(s),
                        "{\"purposeId\":\"profiling\",\"decision\":\"WITHDRAWN\",\"channel\":\"API\"}", 201);
                send(withdraw);
                long answered = System.nanoTime();
                String type = EventTypes.of(ConsentWithdrawn.class).type();
                List<ConsumerRecord<String, byte[]>> got = Topics.await(topic, rec -> s.toString().equals(rec.key())
                        && type.equals(Topics.header(rec, CloudEventHeaders.TYPE)), 1, Duration.ofSeconds(30));
                h.recordValue(Math.max(0, (System.nanoTime() - answered) / 1000));
                if (got.isEmpty()) {
                    return "lost";
                }
            }
        }
        return String.format("p50 %.1f ms, p99 %.1f ms (%d withdrawals, sequential)", h.getValueAtPercentile(50) / 1000.0,
                h.getValueAtPercentile(99) / 1000.0, n);
    }

    /** pgbench against the bench database deploy/local keeps (pledge_bench), or why it could not run. */
    private static String pgbench(String mode) {
        try {
            Path script = Files.createTempFile("insert", ".sql");
            Files.writeString(script, "insert into consent_bench_insert (v) values (1);\n");
            ProcessBuilder init = new ProcessBuilder("psql", "-h", "127.0.0.1", "-U", "pledge_bench", "-d", "pledge_bench",
                    "-qc", "create table if not exists consent_bench_insert (id bigserial primary key, v int); "
                    + "select 1 from pgbench_accounts limit 1");
            init.environment().put("PGPASSWORD", "pledge_bench");
            if (init.redirectErrorStream(true).start().waitFor() != 0) {
                ProcessBuilder i = new ProcessBuilder("pgbench", "-h", "127.0.0.1", "-U", "pledge_bench", "-i", "-s", "10", "-q",
                        "pledge_bench");
                i.environment().put("PGPASSWORD", "pledge_bench");
                i.redirectErrorStream(true).start().waitFor();
            }
            List<String> cmd = new ArrayList<>(List.of("pgbench", "-h", "127.0.0.1", "-U", "pledge_bench", "-c", "8", "-j", "2",
                    "-T", "10"));
            if (mode.equals("-S")) {
                cmd.add("-S");
            } else {
                cmd.addAll(List.of("-n", "-f", script.toString()));
            }
            cmd.add("pledge_bench");
            ProcessBuilder pb = new ProcessBuilder(cmd);
            pb.environment().put("PGPASSWORD", "pledge_bench");
            Process p = pb.redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor();
            return out.lines().filter(l -> l.startsWith("tps") || l.startsWith("latency average"))
                    .map(String::trim).reduce((a, b) -> a + "; " + b).orElse("pgbench gave no figure: " + out.lines().findFirst().orElse(""));
        } catch (IOException | InterruptedException e) {
            return "pgbench not run (" + e.getMessage() + ")";
        }
    }

    private void line(String s) {
        report.append(s).append('\n');
        System.out.println(s);
    }
}
