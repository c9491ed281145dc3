package io.pledge.e2e;

import io.pledge.kit.testing.TestKafka;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The whole system as a user runs it: the five packaged services ({@code target/quarkus-app})
 * started as separate processes against the real PostgreSQL and Kafka that {@code deploy/local/test}
 * brings up. Started once per test run and stopped when the run ends. Ports are 1808x, the broker the
 * tests' own ({@link #KAFKA}, never the running system's 9092), the data folder under
 * {@code target/}, and the databases the {@code _e2e} twins (which {@code deploy/local/test} recreates
 * empty before every run, apart from the {@code _test} ones module tests fill), so that a system
 * already started by {@code deploy/local/run} (808x, its own databases, broker and folder) can keep
 * running beside it untouched ({@link IsolationIT} proves it).
 */
public final class PledgeSystem implements BeforeAllCallback {

    /** A running service: its module name, port and database (whose _e2e twin it uses here). */
    public record Service(String module, int port, String database) {
        public String url() {
            return "http://127.0.0.1:" + port;
        }

        /** Another instance of this service, {@code offset} ports up (as {@code deploy/local/services --port-offset}). */
        public Service replica(int offset) {
            return new Service(module, port + offset, database);
        }

        /** The first instance's port this one is a replica of. */
        boolean isReplica() {
            return ALL.stream().noneMatch(this::equals);
        }
    }

    public static final Service ACCOUNT = new Service("account-service", 18081, "pledge_account");
    public static final Service CONSENT = new Service("consent-service", 18082, "pledge_consent");
    public static final Service RIGHTS = new Service("rights-request-service", 18083, "pledge_rights");
    public static final Service NOTIFICATION = new Service("notification-service", 18084, "pledge_notification");
    public static final Service AUDIT = new Service("audit-service", 18085, "pledge_audit");
    public static final List<Service> ALL = List.of(ACCOUNT, CONSENT, RIGHTS, NOTIFICATION, AUDIT);

    /** The API gateway in front of them (nginx, deploy/local/gateway), HTTPS with a self-signed certificate. */
    public static final String GATEWAY = "https://127.0.0.1:18443";
    /** The gateway's HTTP port, which only redirects to HTTPS. */
    public static final String GATEWAY_HTTP = "http://127.0.0.1:18080";
    /** The frontend origin the e2e gateway allows (CORS). */
    public static final String ALLOWED_ORIGIN = "http://localhost:3000";
    /** The e2e gateway's rate limit: a steady 20 requests/s per client address, bursts of 20. */
    public static final int GATEWAY_RATE = 20;
    public static final int GATEWAY_BURST = 20;

    private static final Duration START_TIMEOUT = Duration.ofMinutes(5);

    /** The tests' own broker, which deploy/local/test starts empty for every run (never the running system's 9092). */
    public static final String KAFKA = System.getProperty("pledge.test.kafka.bootstrap", "127.0.0.1:29092");

    /** Where the processes keep their data (JWT keys among them) and logs. */
    public static Path dataDir() {
        return root().resolve("e2e-tests/target/e2e-data");
    }

    public static Path root() {
        return Path.of(System.getProperty("pledge.root", "..")).toAbsolutePath().normalize();
    }

    /** How long each service took from launch to ready, in start order; filled once the system is up. */
    public static final Map<String, Duration> READY_AFTER = new LinkedHashMap<>();

    /** This run's id: consumer groups that must see only this run's events carry it. */
    public static final String RUN = Long.toString(System.currentTimeMillis(), 36);

    /** The SMTP port of notification-service's embedded mail server in the e2e system. */
    public static final int SMTP_PORT = 12525;
    /** The IMAP port of the same embedded mail server, where tests read what it received. */
    public static final int IMAP_PORT = 12143;

    private static Processes running;

    /**
     * Kills a service the hard way ({@code SIGKILL}, like {@code kill -9}: no shutdown hooks, no
     * flush), for tests that prove nothing is lost or done twice across a crash.
     */
    public static void kill(Service s) {
        running.kill(s);
    }

    /** Starts a killed service again with the same configuration and waits until it is ready. */
    public static void restart(Service s) {
        running.restart(s, Map.of());
    }

    /**
     * Starts a killed service again with the same configuration plus {@code extraEnvironment} (for one test's needs,
     * e.g. a shorter minimum notice) and waits until it is ready; {@link #restart(Service)} later drops the extras.
     */
    public static void restart(Service s, Map<String, String> extraEnvironment) {
        running.restart(s, extraEnvironment);
    }

    /**
     * Starts a second instance of every service {@code offset} ports up, as the prod overlay's second
     * replica and {@code deploy/local/services up --port-offset} do: the same databases, broker, data
     * folder (keys), consumer groups; notification-service's replica sends to the first instance's mail
     * server. Returns the replicas, ready; {@link #kill} takes them too; they stop with the system.
     */
    public static List<Service> startReplicas(int offset) {
        return running.startReplicas(offset);
    }

    /** Stops the replicas (SIGTERM, as a scale-down would), leaving one instance of each service. */
    public static void stopReplicas() {
        running.stopReplicas();
    }

    /**
     * Starts the system once per JVM: in the first run that needs it (it closes it when that run ends),
     * and not again for a test class launched inside that run ({@link IsolationIT} does that).
     */
    @Override
    public void beforeAll(ExtensionContext context) {
        synchronized (PledgeSystem.class) {
            if (running == null) {
                context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                        .getOrComputeIfAbsent(PledgeSystem.class.getName(), k -> running = new Processes(), Processes.class);
            }
        }
    }

    /** The started processes; closed by JUnit at the end of the run. */
    static final class Processes implements ExtensionContext.Store.CloseableResource {
        private final List<Process> processes = new ArrayList<>();
        private final Map<Service, Process> replicas = new LinkedHashMap<>();

        synchronized List<Service> startReplicas(int offset) {
            List<Service> started = new ArrayList<>();
            try {
                Instant launched = Instant.now();
                for (Service s : ALL) {
                    Service r = s.replica(offset);
                    replicas.put(r, launch(r));
                    started.add(r);
                }
                HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
                for (Service r : started) {
                    awaitReady(http, r, replicas.get(r), launched);
                }
                return started;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        synchronized void stopReplicas() {
            List<Process> stopping = new ArrayList<>(replicas.values());
            stopping.forEach(Process::destroy);
            awaitExit(stopping);
            replicas.clear();
        }

        /** Waits up to 20 s for each process to end after SIGTERM, then kills it. */
        private static void awaitExit(List<Process> stopping) {
            for (Process p : stopping) {
                try {
                    if (!p.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                        p.destroyForcibly();
                    }
                } catch (InterruptedException e) {
                    p.destroyForcibly();
                    Thread.currentThread().interrupt();
                }
            }
        }

        synchronized void kill(Service s) {
            Process p = s.isReplica() ? replicas.get(s) : processes.get(ALL.indexOf(s));
            p.destroyForcibly();
            try {
                p.waitFor(20, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        synchronized void restart(Service s, Map<String, String> extraEnvironment) {
            int i = ALL.indexOf(s);
            if (processes.get(i).isAlive()) {
                throw new IllegalStateException(s.module() + " is still running");
            }
            try {
                Instant launched = Instant.now();
                processes.set(i, launch(s, extraEnvironment));
                awaitReady(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build(), s,
                        processes.get(i), launched);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        Processes() {
            try {
                Files.createDirectories(dataDir().resolve("logs"));
                SmsInbox.start();
                Instant launched = Instant.now();
                for (Service s : ALL) {
                    processes.add(launch(s));
                }
                HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
                for (int i = 0; i < ALL.size(); i++) {
                    awaitReady(http, ALL.get(i), processes.get(i), launched);
                }
                gateway("up");
            } catch (IOException e) {
                close();
                throw new UncheckedIOException(e);
            } catch (RuntimeException e) {
                close();
                throw e;
            }
        }

        private static Process launch(Service s) throws IOException {
            return launch(s, Map.of());
        }

        private static Process launch(Service s, Map<String, String> extraEnvironment) throws IOException {
            Path jar = root().resolve(s.module()).resolve("target/quarkus-app/quarkus-run.jar");
            if (!Files.exists(jar)) {
                throw new IllegalStateException(jar + " is missing: package the services first (mvn verify does)");
            }
            ProcessBuilder pb = new ProcessBuilder("java", "-Xms64m", "-Xmx384m", "-XX:+UseSerialGC",
                    "-XX:+ExitOnOutOfMemoryError", "-jar", jar.toString());
            Map<String, String> env = pb.environment();
            env.put("KAFKA_BOOTSTRAP_SERVERS", KAFKA);
            // each service logs in to the tests' broker as itself, with the password deploy/local/kafka-broker wrote
            env.put("PLEDGE_KAFKA_CREDENTIALS_DIR", TestKafka.credentials().toString());
            env.put("QUARKUS_HTTP_PORT", Integer.toString(s.port()));
            if (s.isReplica() && s.module().equals(NOTIFICATION.module())) {
                // one mail server the tests read: the first instance's
                env.put("PLEDGE_NOTIFICATION_EMBEDDED_SMTP_SERVE", "false");
            }
            env.put("PLEDGE_DATA_DIR", dataDir().toString());
            env.put("PLEDGE_ACCOUNT_URL", ACCOUNT.url());
            env.put("KAFKA_GROUP_ID", s.module() + "-e2e");
            env.put("PLEDGE_DB_NAME", s.database() + "_e2e");
            env.put("PLEDGE_CONSENT_URL", CONSENT.url());
            // Pledge's own services: the only origins a service sends its token to (service-kit OutboundPolicy)
            env.put("PLEDGE_OUTBOUND_RIGHTS_URL", RIGHTS.url());
            env.put("PLEDGE_OUTBOUND_NOTIFICATION_URL", NOTIFICATION.url());
            env.put("PLEDGE_OUTBOUND_AUDIT_URL", AUDIT.url());
            env.putAll(extraEnvironment(s));
            env.putAll(extraEnvironment);
            pb.redirectErrorStream(true);
            String log = s.isReplica() ? s.module() + "." + s.port() : s.module();
            pb.redirectOutput(ProcessBuilder.Redirect.appendTo(dataDir().resolve("logs").resolve(log + ".log").toFile()));
            return pb.start();
        }

        /** What one service needs beyond the common settings to find the others in the e2e system. */
        private static Map<String, String> extraEnvironment(Service s) {
            Map<String, String> env = new LinkedHashMap<>();
            if (s.module().equals(ACCOUNT.module())) {
                // cessations announced by other modules' tests on the same broker must not stop this run
                env.put("MP_MESSAGING_INCOMING_NOTIFICATION_EVENTS_GROUP_ID", "account-service-e2e-" + RUN);
                env.put("MP_MESSAGING_INCOMING_NOTIFICATION_EVENTS_AUTO_OFFSET_RESET", "latest");
            }
            if (s.module().equals(NOTIFICATION.module())) {
                // SMS, push and phone go to the e2e SMS gateway; email to the service's own embedded SMTP
                // server, whose mailboxes the tests read over IMAP
                env.put("PLEDGE_NOTIFICATION_WEBHOOK_URL", SmsInbox.url());
                env.put("PLEDGE_NOTIFICATION_WEBHOOK_SECRET", SmsInbox.SECRET);
                env.put("PLEDGE_NOTIFICATION_EMBEDDED_SMTP_PORT", Integer.toString(SMTP_PORT));
                env.put("PLEDGE_NOTIFICATION_EMBEDDED_SMTP_IMAP_PORT", Integer.toString(IMAP_PORT));
            }
            if (s.module().equals(RIGHTS.module())) {
                // holders' export locations (their gateway URLs) are fetched from the e2e ports
                env.put("PLEDGE_RIGHTS_EXPORT_REWRITES", String.join(",",
                        "https://pledge.local/api/accounts=" + ACCOUNT.url(),
                        "https://pledge.local/api/consents=" + CONSENT.url(),
                        "https://pledge.local/api/requests=" + RIGHTS.url(),
                        "https://pledge.local/api/notifications=" + NOTIFICATION.url(),
                        "https://pledge.local/api/audit=" + AUDIT.url()));
                // where each service publishes the keys its holder replies are signed with
                env.put("PLEDGE_RIGHTS_HOLDER_KEYS_SERVICE_URLS", String.join(",",
                        ACCOUNT.module() + "=" + ACCOUNT.url(), CONSENT.module() + "=" + CONSENT.url(),
                        NOTIFICATION.module() + "=" + NOTIFICATION.url(), AUDIT.module() + "=" + AUDIT.url()));
                // a watchdog that looks every 2 s, so escalations show within a test's patience
                env.put("PLEDGE_RIGHTS_WATCHDOG_EVERY", "2s");
                // "due soon" wide enough that a request submitted in the test run shows in the operator console's list
                // (WebAppsIT); no other test reads that view
                env.put("PLEDGE_RIGHTS_DEADLINES_DUE_SOON", "P60D");
                // the certificates of test holders' own https export servers (AccessAndWithdrawalIT writes the file;
                // absent, only the JDK's CAs are trusted, as before)
                env.put("PLEDGE_RIGHTS_EXPORT_TRUSTED_CERTIFICATES",
                        dataDir().resolve("holder-tls").resolve("trusted.pem").toString());
            }
            return env;
        }

        private static void awaitReady(HttpClient http, Service s, Process p, Instant launched) {
            Instant deadline = launched.plus(START_TIMEOUT);
            HttpRequest ready = HttpRequest.newBuilder(URI.create(s.url() + "/q/health/ready"))
                    .timeout(Duration.ofSeconds(2)).build();
            while (Instant.now().isBefore(deadline)) {
                if (!p.isAlive()) {
                    throw new IllegalStateException(s.module() + " exited with " + p.exitValue() + "; see "
                            + dataDir().resolve("logs").resolve(s.module() + ".log"));
                }
                try {
                    if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                        READY_AFTER.put(s.module(), Duration.between(launched, Instant.now()));
                        return;
                    }
                } catch (IOException e) {
                    // not listening yet
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for " + s.module(), e);
                }
                sleep(250);
            }
            throw new IllegalStateException(s.module() + " was not ready within " + START_TIMEOUT + "; see "
                    + dataDir().resolve("logs").resolve(s.module() + ".log"));
        }

        /** Runs deploy/local/gateway with the e2e ports, upstreams, limits and folder. */
        private static void gateway(String action) {
            ProcessBuilder pb = new ProcessBuilder(root().resolve("deploy/local/gateway").toString(), action);
            Map<String, String> env = pb.environment();
            env.put("PLEDGE_GATEWAY_DIR", dataDir().resolve("gateway").toString());
            env.put("PLEDGE_DATA_DIR", dataDir().toString());
            env.put("PLEDGE_GATEWAY_HTTP_PORT", "18080");
            env.put("PLEDGE_GATEWAY_HTTPS_PORT", "18443");
            env.put("PLEDGE_UPSTREAM_PORTS", "18081 18082 18083 18084 18085");
            env.put("PLEDGE_CORS_ORIGINS", ALLOWED_ORIGIN);
            env.put("PLEDGE_GATEWAY_RATE", Integer.toString(GATEWAY_RATE));
            env.put("PLEDGE_GATEWAY_BURST", Integer.toString(GATEWAY_BURST));
            pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(
                    dataDir().resolve("logs").resolve("gateway-script.log").toFile()));
            try {
                Process p = pb.start();
                if (!p.waitFor(3, java.util.concurrent.TimeUnit.MINUTES) || p.exitValue() != 0) {
                    throw new IllegalStateException("deploy/local/gateway " + action + " failed; see "
                            + dataDir().resolve("logs").resolve("gateway-script.log"));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void close() {
            synchronized (PledgeSystem.class) {
                running = null;
            }
            try {
                gateway("down");
            } catch (RuntimeException e) {
                // the services must still be stopped below
            }
            List<Process> all = new ArrayList<>(replicas.values());
            all.addAll(processes);
            for (Process p : all) {
                p.destroy();
            }
            SmsInbox.stop();
            awaitExit(all);
        }

        private static void sleep(long ms) {
            try {
                Thread.sleep(ms);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
