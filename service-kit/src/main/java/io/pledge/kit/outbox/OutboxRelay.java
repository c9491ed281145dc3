package io.pledge.kit.outbox;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.pledge.kit.config.OutboxConfig;
import io.pledge.kit.kafka.KafkaClients;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Runs {@link OutboxRelayCore} on one background thread for the life of the service: woken right
 * after a commit that wrote outbox rows, polling otherwise, backing off while the broker or the
 * database is unreachable (rows wait; nothing is dropped). Exposes the backlog as metrics.
 */
@ApplicationScoped
public class OutboxRelay {

    private final OutboxConfig config;
    private final AgroalDataSource dataSource;
    private final KafkaClients kafka;
    private final String application;
    private final Semaphore wakeUp = new Semaphore(0);
    private final Counter sent;
    private final Counter failures;
    private volatile boolean running;
    private Thread thread;

    public OutboxRelay(OutboxConfig config, AgroalDataSource dataSource, MeterRegistry registry,
                       KafkaClients kafka,
                       @ConfigProperty(name = "quarkus.application.name") String application) {
        this.config = config;
        this.dataSource = dataSource;
        this.kafka = kafka;
        this.application = application;
        this.sent = Counter.builder("pledge.outbox.sent").description("Outbox rows published and acknowledged")
                .register(registry);
        this.failures = Counter.builder("pledge.outbox.relay.failures")
                .description("Relay passes that failed and were rolled back").register(registry);
        Gauge.builder("pledge.outbox.backlog", this, r -> r.query("select count(*) from pledge_outbox where sent_at is null"))
                .description("Outbox rows not yet acknowledged by the broker").register(registry);
        Gauge.builder("pledge.outbox.oldest.unsent.age.seconds", this, r -> r.query(
                        "select coalesce(extract(epoch from now() - min(created_at)), 0) from pledge_outbox where sent_at is null"))
                .description("Age of the oldest unsent outbox row").register(registry);
    }

    void start(@Observes StartupEvent ev) {
        if (!config.relayEnabled()) {
            Log.info("outbox relay disabled on this instance (pledge.outbox.relay-enabled=false)");
            return;
        }
        running = true;
        thread = new Thread(this::loop, "pledge-outbox-relay");
        thread.setDaemon(true);
        thread.start();
    }

    void stop(@Observes ShutdownEvent ev) throws InterruptedException {
        running = false;
        wake();
        if (thread != null) {
            thread.join(10_000);
        }
    }

    /** Asks the relay to look at the outbox now (called after a commit that wrote rows). */
    public void wake() {
        if (wakeUp.availablePermits() == 0) {
            wakeUp.release();
        }
    }

    private void loop() {
        OutboxRelayCore.Settings settings = new OutboxRelayCore.Settings(config.batchSize(), config.sendTimeout(),
                config.pauseAfterSend());
        long backoffMs = 0;
        boolean failing = false;
        try (OutboxRelayCore core = new OutboxRelayCore(dataSource, this::newProducer, settings)) {
            while (running) {
                try {
                    int n = core.relayOnce();
                    if (failing) {
                        Log.info("outbox relay recovered");
                        failing = false;
                    }
                    backoffMs = 0;
                    sent.increment(n);
                    if (n < config.batchSize()) {
                        wakeUp.tryAcquire(config.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
                        wakeUp.drainPermits();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } catch (Exception e) {
                    failures.increment();
                    if (!failing) {
                        Log.warnf("outbox relay pass failed (%s: %s); rows stay unsent and are retried",
                                e.getClass().getSimpleName(), e.getMessage());
                        failing = true;
                    }
                    backoffMs = Math.min(config.maxBackoff().toMillis(), backoffMs == 0 ? 100 : backoffMs * 2);
                    sleep(backoffMs);
                }
            }
        }
    }

    private Producer<String, byte[]> newProducer() {
        Map<String, Object> p = new HashMap<>();
        p.put(ProducerConfig.CLIENT_ID_CONFIG, application + "-outbox");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "2");
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Long.toString(config.deliveryTimeout().toMillis()));
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(Math.min(10_000, config.deliveryTimeout().toMillis() - 2)));
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000");
        return kafka.producer(p);
    }

    private double query(String sql) {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getDouble(1) : Double.NaN;
        } catch (SQLException e) {
            return Double.NaN;
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
