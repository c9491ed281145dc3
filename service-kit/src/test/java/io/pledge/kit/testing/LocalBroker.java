package io.pledge.kit.testing;

import io.pledge.events.KafkaAccess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * A real Kafka broker in its own process that a test may stop and start again: the same Apache
 * Kafka jars that {@code deploy/local/kafka-broker} resolves, a KRaft single node on its own ports
 * and data folder, so that stopping it never disturbs the shared broker on 9092. Secured as the
 * tests' broker is (SASL/SCRAM-SHA-512, ACLs of {@code deploy/local/kafka-acls.tsv}, the same
 * principals and passwords: {@link TestKafka#credentials()}), so a test client or service that
 * works here works there.
 */
public final class LocalBroker implements AutoCloseable {

    private static final String KAFKA_VERSION = "4.1.2";
    /** The brokers' own principal, the only super user (its password: {@link TestKafka#credentials()}). */
    public static final String ADMIN = KafkaAccess.ADMIN;

    private final int port;
    private final Path dir;

    /**
     * A broker on {@code port} (and {@code port + 1} for its controller) whose state lives in
     * {@code dir}. All state is on disk (including the pid), so two instances for the same folder,
     * even from different class loaders, control the same broker.
     */
    public LocalBroker(int port, Path dir) {
        this.port = port;
        this.dir = dir;
    }

    public Path dir() {
        return dir;
    }

    public String bootstrap() {
        return "127.0.0.1:" + port;
    }

    /** Formats the storage on first use, starts the broker and waits until it accepts connections. */
    public synchronized void start() {
        try {
            Path props = dir.resolve("server.properties");
            boolean fresh = !Files.exists(props);
            String pw = TestKafka.password(ADMIN);
            if (fresh) {
                Files.writeString(props, String.join("\n",
                        "process.roles=broker,controller", "node.id=1",
                        "controller.quorum.voters=1@127.0.0.1:" + (port + 1),
                        "listeners=SASL_PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + (port + 1),
                        "advertised.listeners=SASL_PLAINTEXT://127.0.0.1:" + port,
                        "controller.listener.names=CONTROLLER",
                        "listener.security.protocol.map=SASL_PLAINTEXT:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT",
                        "inter.broker.listener.name=SASL_PLAINTEXT",
                        "sasl.enabled.mechanisms=SCRAM-SHA-512", "sasl.mechanism.inter.broker.protocol=SCRAM-SHA-512",
                        "listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config="
                                + "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + ADMIN
                                + "\" password=\"" + pw + "\";",
                        "sasl.mechanism.controller.protocol=PLAIN", "listener.name.controller.sasl.enabled.mechanisms=PLAIN",
                        "listener.name.controller.plain.sasl.jaas.config="
                                + "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + ADMIN
                                + "\" password=\"" + pw + "\" user_" + ADMIN + "=\"" + pw + "\";",
                        "authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer",
                        "allow.everyone.if.no.acl.found=false", "super.users=User:" + ADMIN,
                        "log.dirs=" + dir.resolve("data"), "num.partitions=3",
                        "offsets.topic.replication.factor=1", "offsets.topic.num.partitions=3",
                        "transaction.state.log.replication.factor=1", "transaction.state.log.min.isr=1",
                        "share.coordinator.state.topic.replication.factor=1", "share.coordinator.state.topic.min.isr=1",
                        "group.initial.rebalance.delay.ms=0", "auto.create.topics.enable=false", ""));
                run(List.of("kafka.tools.StorageTool", "format", "-t", "pledgetestclusterid0001", "-c", props.toString(),
                        "--add-scram", "SCRAM-SHA-512=[name=" + ADMIN + ",password=" + pw + "]"));
            }
            ProcessBuilder pb = new ProcessBuilder(java(), "-Xms128m", "-Xmx384m", "-cp", libs() + "/*",
                    "-Dlog4j2.configurationFile=" + root().resolve("deploy/local/kafka/log4j2.yaml"),
                    "kafka.Kafka", props.toString());
            pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("broker.log").toFile()));
            Process process = pb.start();
            Files.writeString(dir.resolve("broker.pid"), Long.toString(process.pid()));
            awaitPort(process, Duration.ofSeconds(60));
            if (fresh) {
                // every principal of the tests' broker, with the same password and ACLs (deploy/local/kafka/EnsureTopics)
                run(List.of(root().resolve("deploy/local/kafka/EnsureTopics.java").toString(), bootstrap(), "-",
                        root().resolve("deploy/local/kafka-acls.tsv").toString(), TestKafka.credentials().toString(), "test"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops the broker the way an outage or a rolling restart would (SIGTERM, then SIGKILL). */
    public synchronized void stop() {
        Path pidFile = dir.resolve("broker.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        try {
            long pid = Long.parseLong(Files.readString(pidFile).trim());
            ProcessHandle.of(pid).ifPresent(h -> {
                h.destroy();
                try {
                    h.onExit().get(30, TimeUnit.SECONDS);
                } catch (Exception e) {
                    h.destroyForcibly();
                }
            });
            Files.delete(pidFile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Creates topics (partitions each) that do not exist yet. */
    public void createTopics(int partitions, String... names) {
        Properties p = TestKafka.clientProperties(ADMIN, bootstrap());
        try (Admin admin = Admin.create(p)) {
            var existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            var create = java.util.Arrays.stream(names).filter(n -> !existing.contains(n))
                    .map(n -> new NewTopic(n, partitions, (short) 1).configs(Map.of("min.insync.replicas", "1")))
                    .toList();
            admin.createTopics(create).all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not create topics on the test broker", e);
        }
    }

    @Override
    public void close() {
        stop();
    }

    private void awaitPort(Process process, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("test broker exited; see " + dir.resolve("broker.log"));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return;
            } catch (IOException notYet) {
                sleep(200);
            }
        }
        throw new IllegalStateException("test broker not listening after " + timeout + "; see " + dir.resolve("broker.log"));
    }

    private void run(List<String> args) throws IOException {
        List<String> cmd = new java.util.ArrayList<>(List.of(java(), "-cp", libs() + "/*"));
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("format.log").toFile())).start();
        try {
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("preparing the test broker failed (" + args.get(0) + "); see "
                        + dir.resolve("format.log"));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The repository root (tests run in a module folder). */
    public static Path root() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.exists(p.resolve("deploy/local/kafka-broker"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("cannot find the repository root above " + Path.of("").toAbsolutePath());
        }
        return p;
    }

    private static Path libs() {
        String data = System.getenv("PLEDGE_DATA_DIR");
        Path base = data != null ? Path.of(data) : root().resolve(".pledge");
        Path libs = base.resolve("kafka").resolve("libs-" + KAFKA_VERSION);
        if (!Files.exists(libs.resolve(".complete"))) {
            throw new IllegalStateException("Kafka's jars are not at " + libs + ": run deploy/local/kafka-broker up (deploy/local/test does)");
        }
        return libs;
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
