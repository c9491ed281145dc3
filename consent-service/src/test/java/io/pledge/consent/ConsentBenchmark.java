package io.pledge.consent;

import static io.pledge.consent.support.Consent.holderToken;
import static io.pledge.consent.support.Consent.subjectToken;

import io.pledge.consent.support.HttpLoad;
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
 * {@code deploy/local/bench consent}, which runs the test JVM with the collector and heap the service is deployed
 * with ({@code -XX:+UseSerialGC}, a heap of hundreds of MiB: young collections of a millisecond or two, where the
 * default G1 with a quarter of the machine's memory paused for tens of milliseconds and set the p99).
 * The report goes to stdout and {@code target/consent-benchmark.txt}.
 */
@QuarkusTest
@Tag("benchmark")
class ConsentBenchmark {

    private static final int CONNECTIONS = Integer.getInteger("bench.connections", 16);
    private static final String HOST = "127.0.0.1";
    private static final Duration RUN = Duration.ofSeconds(Integer.getInteger("bench.seconds", 10));
    private static final int SUBJECTS = 1000;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final StringBuilder report = new StringBuilder();

    @Test
    void checksWritesAndPropagation() throws Exception {
        String base = "http://127.0.0.1:" + RestAssured.port;
        HttpLoad load = new HttpLoad("127.0.0.1", RestAssured.port, CONNECTIONS);
        line("consent-service benchmark, " + CONNECTIONS + " keep-alive connections from one NIO thread, "
                + RUN.toSeconds() + " s per phase, " + Runtime.getRuntime().availableProcessors() + " cores");
        line("baseline pgbench -S -c 8 -j 2 (same run):   " + pgbench("-S"));

        // writes: grant/withdraw over HTTP, each request on the next subject in turn
        List<UUID> subjects = new ArrayList<>();
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < SUBJECTS; i++) {
            UUID s = UUID.randomUUID();
            subjects.add(s);
            tokens.add(subjectToken(s));
        }
        IntFunction<byte[]> write = c -> HttpLoad.post(HOST, "/v1/consents/" + subjects.get(c % SUBJECTS) + "/records",
                tokens.get(c % SUBJECTS), "{\"purposeId\":\"marketing-email\",\"decision\":\""
                        + ((c / SUBJECTS) % 2 == 0 ? "GIVEN" : "WITHDRAWN") + "\",\"channel\":\"API\"}");
        load.closed(write, 201, Duration.ofSeconds(2));
        HttpLoad.Result writes = load.closed(write, 201, RUN);
        line("baseline pgbench single-row INSERT -c 8 -j 2: " + pgbench("insert"));
        line("grant/withdraw writes:   " + writes);

        String holder = holderToken();
        StringBuilder batch = new StringBuilder("{\"checks\":[");
        for (int i = 0; i < 100; i++) {
            batch.append(i == 0 ? "" : ",").append("{\"subjectId\":\"").append(subjects.get(i * 7 % SUBJECTS))
                    .append("\",\"purposeId\":\"").append(i % 3 == 0 ? "profiling" : "marketing-email").append("\"}");
        }
        byte[] batchRequest = HttpLoad.post(HOST, "/v1/checks/batch", holder, batch.append("]}").toString());
        List<byte[]> singles = new ArrayList<>();
        for (UUID s : subjects) {
            singles.add(HttpLoad.post(HOST, "/v1/checks", holder,
                    "{\"subjectId\":\"" + s + "\",\"purposeId\":\"marketing-email\"}"));
        }
        IntFunction<byte[]> single = c -> singles.get(c % SUBJECTS);
        IntFunction<byte[]> batched = c -> batchRequest;

        load.closed(single, 200, Duration.ofSeconds(5));
        HttpLoad.Result checks = load.closed(single, 200, RUN);
        line("single check, full load: " + checks);
        line("single check at half:    " + load.open(single, 200, RUN, checks.perSecond() / 2));
        line("baseline pgbench -S again (same run):       " + pgbench("-S"));
        HttpLoad.Result batches = load.closed(batched, 200, RUN);
        line("batch of 100, full load: " + batches + " = " + String.format("%.0f", batches.perSecond() * 100) + " checks/s");
        line("batch of 100 at half:    " + load.open(batched, 200, RUN, batches.perSecond() / 2));

        line("withdrawal 201 -> ConsentWithdrawn readable on consent.events: " + propagation(base, 200));
        Path out = Path.of("target", "consent-benchmark.txt");
        Files.writeString(out, report.toString());
        System.out.println(report);
    }

    private record Req(String url, String token, String body, int expect) {
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
