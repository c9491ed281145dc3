package io.pledge.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.pledge.kit.testing.LocalBroker;
import io.pledge.kit.testing.TestKafka;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * Tests and the running system never share state. The running system is what {@code deploy/local/run}
 * starts (services on 808x, the broker on 9092, the databases without suffix, the data folder
 * {@code .pledge/}); this test starts it if it is not running (and stops it again at the end, with
 * {@code deploy/local/stop}), waits until it is quiet, takes a snapshot of everything it keeps
 * (every table of its five databases, every topic's end offsets, every file of its data folder but
 * logs and pid files), runs a whole-system test class to its end while the running system keeps
 * running beside it, and expects the snapshot unchanged. Nothing is faked: the running system is the
 * packaged services a user starts, on the real PostgreSQL and the real broker.
 */
@ExtendWith(PledgeSystem.class)
class IsolationIT {

    /** The running system's services (deploy/local/lib.sh), as a user starts them. */
    private static final List<Integer> RUNNING_PORTS = List.of(8081, 8082, 8083, 8084, 8085);
    private static final List<String> RUNNING_DATABASES =
            List.of("pledge_account", "pledge_consent", "pledge_rights", "pledge_notification", "pledge_audit");
    private static final String RUNNING_KAFKA = "127.0.0.1:9092";
    /** The whole-system test class run beside the running system: every service, every topic, mail and SMS. */
    private static final Class<?> VISITOR = UserJourneyIT.class;

    private static boolean startedHere;

    @BeforeAll
    static void theRunningSystem() {
        if (!RUNNING_PORTS.stream().allMatch(IsolationIT::ready)) {
            startedHere = true;
            script("run");
        }
        assertThat(RUNNING_PORTS).allMatch(IsolationIT::ready);
    }

    @AfterAll
    static void stopWhatThisStarted() {
        if (startedHere) {
            script("stop");
        }
    }

    @Test
    void aWholeSystemTestClassLeavesTheRunningSystemsDatabasesTopicsAndFilesAsTheyWere() throws Exception {
        Snapshot before = quietSnapshot();
        assertThat(before.topics()).as("the running system's topics").containsKey("account.events");
        assertThat(before.tables()).as("the running system's tables").isNotEmpty();

        SummaryGeneratingListener summary = new SummaryGeneratingListener();
        Launcher launcher = LauncherFactory.create();
        launcher.execute(LauncherDiscoveryRequestBuilder.request()
                .selectors(DiscoverySelectors.selectClass(VISITOR)).build(), summary);
        TestExecutionSummary result = summary.getSummary();
        assertThat(result.getFailures()).as("failures of " + VISITOR.getSimpleName())
                .extracting(f -> f.getTestIdentifier().getDisplayName() + ": " + f.getException()).isEmpty();
        assertThat(result.getTestsSucceededCount()).as("tests of " + VISITOR.getSimpleName() + " that ran and passed")
                .isPositive();

        Snapshot after = snapshot();
        assertThat(differences(before.tables(), after.tables())).as("rows changed in the running system's databases").isEmpty();
        assertThat(differences(before.topics(), after.topics())).as("records added to the running system's topics").isEmpty();
        assertThat(differences(before.files(), after.files())).as("files changed in the running system's data folder").isEmpty();
    }

    /** What the running system keeps: table contents, topic end offsets, data files; each by a digest. */
    record Snapshot(Map<String, String> tables, Map<String, String> topics, Map<String, String> files) {
    }

    /** A snapshot once two taken 3 s apart agree: the running system has settled after its start. */
    private static Snapshot quietSnapshot() throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
        Snapshot last = snapshot();
        while (true) {
            Thread.sleep(3000);
            Snapshot next = snapshot();
            if (next.equals(last)) {
                return next;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("the idle running system kept changing: tables " + differences(last.tables(), next.tables())
                        + ", topics " + differences(last.topics(), next.topics()) + ", files " + differences(last.files(), next.files()));
            }
            last = next;
        }
    }

    private static Snapshot snapshot() throws Exception {
        return new Snapshot(tables(), topics(), files());
    }

    /** Every table of the five running databases: its row count and a digest of its rows, in a stable order. */
    private static Map<String, String> tables() throws SQLException {
        Map<String, String> out = new TreeMap<>();
        for (String db : RUNNING_DATABASES) {
            try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/" + db, db, db);
                 Statement st = c.createStatement()) {
                List<String> tables = new ArrayList<>();
                try (ResultSet rs = st.executeQuery("select quote_ident(table_schema) || '.' || quote_ident(table_name)"
                        + " from information_schema.tables where table_type = 'BASE TABLE'"
                        + " and table_schema not in ('pg_catalog', 'information_schema') order by 1")) {
                    while (rs.next()) {
                        tables.add(rs.getString(1));
                    }
                }
                for (String table : tables) {
                    try (ResultSet rs = st.executeQuery("select count(*) || ':' || coalesce(md5(string_agg(md5(t::text), ''"
                            + " order by md5(t::text))), '') from " + table + " t")) {
                        rs.next();
                        out.put(db + "." + table, rs.getString(1));
                    }
                }
            }
        }
        return out;
    }

    /** Every topic of the running broker (internal ones aside) with the end offset of each partition. */
    private static Map<String, String> topics() throws Exception {
        // the running system's broker, as its admin (password in .pledge/kafka-credentials, deploy/local/kafka-broker)
        Path credentials = Path.of(System.getenv().getOrDefault("PLEDGE_DATA_DIR",
                LocalBroker.root().resolve(".pledge").toString()), "kafka-credentials");
        Properties p = TestKafka.clientProperties(LocalBroker.ADMIN,
                java.nio.file.Files.readString(credentials.resolve(LocalBroker.ADMIN + ".password")).trim(), RUNNING_KAFKA);
        try (Admin admin = Admin.create(p)) {
            Set<String> names = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            Map<String, TopicDescription> described = admin.describeTopics(names).allTopicNames().get(30, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetSpec> ask = new java.util.HashMap<>();
            described.values().forEach(d -> d.partitions().forEach(i -> ask.put(new TopicPartition(d.name(), i.partition()), OffsetSpec.latest())));
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(ask).all().get(30, TimeUnit.SECONDS);
            Map<String, String> out = new TreeMap<>();
            for (String topic : names) {
                out.put(topic, ends.entrySet().stream().filter(e -> e.getKey().topic().equals(topic))
                        .sorted(Map.Entry.comparingByKey(java.util.Comparator.comparingInt(TopicPartition::partition)))
                        .map(e -> Long.toString(e.getValue().offset())).collect(Collectors.joining(",")));
            }
            return out;
        }
    }

    /** Every file of the running system's data folder (keys, secrets, certificates), logs, pids, broker data and test state aside. */
    private static Map<String, String> files() throws IOException {
        Path dir = runningDataDir();
        Map<String, String> out = new TreeMap<>();
        Set<String> skipped = Set.of("logs", "pids", "kafka", "test");
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path f : all.filter(Files::isRegularFile).toList()) {
                Path rel = dir.relativize(f);
                String name = rel.toString();
                if (skipped.contains(rel.getName(0).toString()) || name.endsWith(".log") || name.endsWith(".pid")) {
                    continue;
                }
                out.put(name, digest(f));
            }
        }
        return out;
    }

    private static String digest(Path f) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Keys whose value differs, is new or is gone, with both values. */
    private static List<String> differences(Map<String, String> before, Map<String, String> after) {
        List<String> out = new ArrayList<>();
        for (String k : new java.util.TreeSet<>(union(before.keySet(), after.keySet()))) {
            if (!Objects.equals(before.get(k), after.get(k))) {
                out.add(k + ": " + before.get(k) + " -> " + after.get(k));
            }
        }
        return out;
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> s = new java.util.HashSet<>(a);
        s.addAll(b);
        return s;
    }

    /** Where deploy/local keeps the running system's state: PLEDGE_DATA_DIR, else .pledge at the root. */
    private static Path runningDataDir() {
        String configured = System.getenv("PLEDGE_DATA_DIR");
        return configured != null ? Path.of(configured) : PledgeSystem.root().resolve(".pledge");
    }

    private static boolean ready(int port) {
        try {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready"))
                    .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Runs deploy/local/NAME as a user would, with none of the test run's settings in its environment. */
    private static void script(String name) {
        Path log = PledgeSystem.dataDir().resolve("logs").resolve("deploy-local-" + name + ".log");
        ProcessBuilder pb = new ProcessBuilder(PledgeSystem.root().resolve("deploy/local/" + name).toString())
                .directory(PledgeSystem.root().toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().keySet().removeIf(k -> k.startsWith("KAFKA_") || k.startsWith("QUARKUS_") || k.startsWith("PLEDGE_")
                && !k.equals("PLEDGE_DATA_DIR"));
        try {
            Files.createDirectories(log.getParent());
            Process p = pb.start();
            if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new AssertionError("deploy/local/" + name + " failed; see " + log);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
