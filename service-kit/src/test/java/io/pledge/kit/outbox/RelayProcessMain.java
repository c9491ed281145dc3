package io.pledge.kit.outbox;

import io.pledge.events.KafkaAccess;
import io.pledge.kit.testing.TestKafka;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Test-only: the outbox relay alone in its own JVM, so that a test can kill it with SIGKILL at the
 * worst moment. Arguments: JDBC URL, user, password, bootstrap servers, pause-after-send in ms.
 */
public final class RelayProcessMain {

    private RelayProcessMain() {
    }

    public static void main(String[] args) throws Exception {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(args[0]);
        ds.setUser(args[1]);
        ds.setPassword(args[2]);
        // the relay of the kit's test application, as its own principal
        Properties p = TestKafka.clientProperties(KafkaAccess.KIT_TEST, args[3]);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        OutboxRelayCore.Settings settings = new OutboxRelayCore.Settings(100, Duration.ofSeconds(20),
                Duration.ofMillis(Long.parseLong(args[4])));
        try (OutboxRelayCore core = new OutboxRelayCore(ds, () -> new KafkaProducer<>(p), settings)) {
            System.out.println("relay process started");
            while (!Thread.currentThread().isInterrupted()) {
                int n = core.relayOnce();
                if (n > 0) {
                    System.out.println("relayed " + n);
                }
                Thread.sleep(100);
            }
        }
    }
}
