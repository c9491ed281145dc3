package io.pledge.notification.support;

import io.pledge.kit.testing.LocalBroker;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * What every test of this module runs against, started once before the application:
 * <ul>
 * <li>a real Kafka broker of the tests' own (the kit's {@link LocalBroker}, a separate process on port
 *     {@value #KAFKA_PORT}, apart from the shared 9092 and from the kit's 19092 so that modules may test at
 *     the same time), with every topic this service reads and writes;</li>
 * <li>{@link StubServices}: account-service's and consent-service's documented endpoints and a webhook receiver.</li>
 * </ul>
 * PostgreSQL (pledge_notification_test) and the SMTP server (GreenMail, started by the service itself in its
 * embedded mode on port 32525) are real.
 */
@QuarkusTestResource(value = TestServices.class)
public class TestServices implements QuarkusTestResourceLifecycleManager {

    public static final int KAFKA_PORT = 19392;
    public static final String[] TOPICS = {"notification.commands", "notification.events", "consent.events", "account.events",
        "rights.commands", "rights.replies", "notification.commands.dlq", "consent.events.dlq", "account.events.dlq",
        "rights.commands.dlq", "access.records"};

    private LocalBroker broker;
    private StubServices stub;

    @Override
    public Map<String, String> start() {
        try {
            forgetEarlierRuns();
            Path dir = Files.createTempDirectory("pledge-notification-broker-");
            broker = new LocalBroker(KAFKA_PORT, dir);
            broker.start();
            broker.createTopics(3, TOPICS);
            stub = new StubServices();
            int port = stub.start();
            String base = "http://127.0.0.1:" + port;
            return Map.of("kafka.bootstrap.servers", broker.bootstrap(),
                    "pledge.account.url", base,
                    "pledge.consent.url", base,
                    "pledge.notification.webhook.url", base + "/webhook",
                    "pledge.notification.webhook.secret", StubServices.WEBHOOK_SECRET);
        } catch (Exception e) {
            throw new IllegalStateException("test services did not start", e);
        }
    }

    /**
     * deploy/local/test recreates the test database before a run; a run by hand finds what an earlier (perhaps
     * interrupted) run left: its unsent deliveries and campaigns are dropped so that they neither slow nor
     * disturb this run, and a scheduled cessation is withdrawn (only one may be scheduled at a time).
     */
    private static void forgetEarlierRuns() throws java.sql.SQLException {
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(
                "jdbc:postgresql://127.0.0.1:5432/pledge_notification_test", "pledge_notification", "pledge_notification");
             java.sql.Statement st = c.createStatement()) {
            st.execute("do $$ begin if to_regclass('public.delivery') is not null then "
                    + "truncate delivery, campaign_target, campaign, print_job; "
                    + "update cessation set cancelled_at = now() where cancelled_at is null; end if; end $$");
        }
    }

    @Override
    public void stop() {
        if (stub != null) {
            stub.stop();
        }
        if (broker != null) {
            broker.stop();
        }
    }
}
