package io.pledge.kit.outbox;

import io.agroal.api.AgroalDataSource;
import io.pledge.kit.testing.LocalBroker;
import io.pledge.kit.testing.TestBrokerResource;
import io.pledge.kit.testing.TestKafka;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Benchmark, not a test (tag {@code benchmark}, left out of the default run; run it with
 * {@code deploy/local/bench outbox}). End-to-end events per second from the outbox write to the
 * consumer's committed effect, and the latency of each event (commit-side {@code ce_time} to the
 * consumer's commit), beside Kafka's own ProducerPerformance against the same broker in the same
 * run. Real PostgreSQL, real broker.
 */
@Tag("benchmark")
@QuarkusTest
class OutboxBenchmark {

    private static final int EVENTS = Integer.getInteger("pledge.bench.events", 20_000);
    private static final int WRITERS = Integer.getInteger("pledge.bench.writers", 8);
    private static final int PACED_RATE = Integer.getInteger("pledge.bench.paced-rate", 200);

    @Inject
    Outbox outbox;

    @Inject
    AgroalDataSource db;

    @Test
    void endToEndThroughputAndLatency() throws Exception {
        String baseline = kafkaProducerPerformance();
        String latencyBaseline = kafkaEndToEndLatency();

        // 1. saturated: as fast as WRITERS concurrent transactions can write
        String run = "bench-" + UUID.randomUUID().toString().substring(0, 8);
        long t0 = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
        List<Future<?>> writers = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
            int writer = w;
            writers.add(pool.submit(() -> {
                for (int i = writer; i < EVENTS; i += WRITERS) {
                    int seq = i;
                    QuarkusTransaction.requiringNew().run(() ->
                            outbox.publish(KitTestEvent.TYPE, new KitTestEvent(run + "-" + (seq % 64), seq, null)));
                }
            }));
        }
        for (Future<?> f : writers) {
            f.get(10, TimeUnit.MINUTES);
        }
        double writeSeconds = (System.nanoTime() - t0) / 1e9;
        awaitApplied(run, EVENTS);
        double totalSeconds = (System.nanoTime() - t0) / 1e9;
        long[] saturated = latenciesMicros(run);

        // 2. paced: a steady PACED_RATE events/s, the latency a single event sees under normal load
        String paced = "paced-" + UUID.randomUUID().toString().substring(0, 8);
        int pacedEvents = PACED_RATE * 20;
        long start = System.nanoTime();
        for (int i = 0; i < pacedEvents; i++) {
            long due = start + (long) (i * 1e9 / PACED_RATE);
            long wait = due - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
            int seq = i;
            QuarkusTransaction.requiringNew().run(() ->
                    outbox.publish(KitTestEvent.TYPE, new KitTestEvent(paced + "-" + (seq % 64), seq, null)));
        }
        awaitApplied(paced, pacedEvents);
        long[] steady = latenciesMicros(paced);

        String report = String.format("""
                === outbox -> Kafka -> inbox benchmark (2 cores, real PostgreSQL + broker) ===
                baseline  Kafka ProducerPerformance, same broker, same run: %s
                baseline  Kafka EndToEndLatency, 10,000 x 512 B, acks=all, same broker: %s
                saturated %d events, %d writer threads: writes %.0f events/s; end to end %.0f events/s \
                (%.1f s until the last was applied); latency p50 %.1f ms, p99 %.1f ms, max %.1f ms
                paced     %d events at %d events/s: latency p50 %.1f ms, p99 %.1f ms, max %.1f ms
                """,
                baseline, latencyBaseline, EVENTS, WRITERS, EVENTS / writeSeconds, EVENTS / totalSeconds, totalSeconds,
                pct(saturated, 50), pct(saturated, 99), pct(saturated, 100),
                pacedEvents, PACED_RATE, pct(steady, 50), pct(steady, 99), pct(steady, 100));
        System.out.println(report);
        java.nio.file.Files.writeString(Path.of("target", "outbox-benchmark.txt"), report);
    }

    private void awaitApplied(String run, int n) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        while (count(run) < n) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + count(run) + " of " + n + " applied in 10 minutes");
            }
            Thread.sleep(100);
        }
    }

    private long count(String run) throws Exception {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select count(*) from kit_test_applied where message_key like ?")) {
            ps.setString(1, run + "-%");
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private long[] latenciesMicros(String run) throws Exception {
        List<Long> out = new ArrayList<>();
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select (extract(epoch from applied_at - published_at) * 1000000)::bigint from kit_test_applied "
                        + "where message_key like ?")) {
            ps.setString(1, run + "-%");
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getLong(1));
                }
            }
        }
        return out.stream().mapToLong(Long::longValue).sorted().toArray();
    }

    private static double pct(long[] sorted, int p) {
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1000.0;
    }

    /** Kafka's own end-to-end latency tool against the same broker: 10,000 x 512 B, acks=all. */
    private static String kafkaEndToEndLatency() throws Exception {
        LocalBroker broker = TestBrokerResource.broker();
        broker.createTopics(1, "bench.latency");
        String last = kafkaTool("org.apache.kafka.tools.EndToEndLatency", "Percentiles",
                broker.bootstrap(), "bench.latency", "10000", "all", "512", clientConfig(broker).toString());
        return last.isEmpty() ? "(no output)" : last;
    }

    private static String kafkaTool(String mainClass, String marker, String... args) throws Exception {
        Path libs = Path.of(System.getenv().getOrDefault("PLEDGE_DATA_DIR", LocalBroker.root().resolve(".pledge").toString()),
                "kafka", "libs-4.1.2");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-cp", libs + "/*", mainClass));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String last = "";
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (line.contains(marker)) {
                    last = line.trim();
                }
            }
        }
        p.waitFor(5, TimeUnit.MINUTES);
        return last;
    }

    /** Kafka's own producer benchmark against the same broker: 1M x 512 B, acks=all. */
    private static String kafkaProducerPerformance() throws Exception {
        LocalBroker broker = TestBrokerResource.broker();
        broker.createTopics(3, "bench.perf");
        return kafkaTool("org.apache.kafka.tools.ProducerPerformance", "records sent", "--topic", "bench.perf",
                "--num-records", "1000000", "--record-size", "512", "--throughput", "-1",
                "--producer-props", "bootstrap.servers=" + broker.bootstrap(), "acks=all",
                "--producer.config", clientConfig(broker).toString());
    }

    /** The tools authenticate as the tests' operator (a properties file, as they take it). */
    private static Path clientConfig(LocalBroker broker) throws Exception {
        Path file = Files.createTempFile("pledge-bench-kafka-", ".properties");
        try (var out = Files.newOutputStream(file)) {
            TestKafka.clientProperties(TestKafka.OPERATOR, broker.bootstrap()).store(out, null);
        }
        file.toFile().deleteOnExit();
        return file;
    }
}
