package io.pledge.kit.testing;

import io.pledge.events.KafkaAccess;
import io.pledge.events.Topic;
import io.pledge.events.TopicCatalogue;
import io.pledge.kit.kafka.KafkaLogin;
import java.nio.file.Path;
import java.util.Properties;

/**
 * Where module tests find the tests' own Kafka broker: the one {@code deploy/local/test} starts empty
 * for every run on 127.0.0.1:29092, never the running system's 9092 (the {@code %test} profile in
 * service-kit's {@code microprofile-config.properties} points the services at the same address).
 * Override with {@code -Dpledge.test.kafka.bootstrap=host:port}.
 * <p>
 * The broker authenticates every client (SASL/SCRAM-SHA-512) and authorises it by ACL; every raw client of a test
 * takes its settings from {@link #clientProperties(String)}: as {@link #OPERATOR} where the test plays the operator,
 * as the real service or holder principal where it plays that party. The passwords are the files
 * {@code deploy/local/kafka-broker up test} wrote ({@link #credentials()}).
 */
public final class TestKafka {

    /** The tests' broker, e.g. {@code 127.0.0.1:29092}. */
    public static final String BOOTSTRAP = System.getProperty("pledge.test.kafka.bootstrap", "127.0.0.1:29092");

    /** The tests' operator principal: reads and writes every topic, on the tests' brokers only. */
    public static final String OPERATOR = KafkaAccess.TEST_OPERATOR;

    private TestKafka() {
    }

    /** The folder of the tests' broker's password files ({@code <principal>.password}). */
    public static Path credentials() {
        String explicit = System.getProperty("pledge.test.kafka.credentials");
        if (explicit != null) {
            return Path.of(explicit);
        }
        String data = System.getenv("PLEDGE_DATA_DIR");
        Path base = data != null ? Path.of(data) : LocalBroker.root().resolve(".pledge");
        return base.resolve("test").resolve("kafka-credentials");
    }

    /** The password of a principal of the tests' broker. */
    public static String password(String principal) {
        String p = KafkaLogin.readPassword(credentials(), principal);
        if (p == null) {
            throw new IllegalStateException("no Kafka password for " + principal + " in " + credentials()
                    + ": run the tests through deploy/local/test (it starts the tests' broker)");
        }
        return p;
    }

    /** Client settings for the tests' broker, authenticated as {@code principal}. */
    public static Properties clientProperties(String principal) {
        return clientProperties(principal, BOOTSTRAP);
    }

    /** Client settings for the broker at {@code bootstrap}, authenticated as {@code principal}. */
    public static Properties clientProperties(String principal, String bootstrap) {
        return clientProperties(principal, password(principal), bootstrap);
    }

    /** Client settings for the broker at {@code bootstrap}, as {@code principal} with {@code password}. */
    public static Properties clientProperties(String principal, String password, String bootstrap) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("security.protocol", KafkaLogin.PROTOCOL);
        p.put("sasl.mechanism", KafkaLogin.MECHANISM);
        p.put("sasl.jaas.config", KafkaLogin.jaas(principal, password));
        return p;
    }

    /** Client settings as the tests' operator. */
    public static Properties operator() {
        return clientProperties(OPERATOR);
    }

    /**
     * The principal that publishes {@code topic} in the real system: its producing service when the catalogue names
     * exactly one, else {@link #OPERATOR} (a holder's reply, or a topic several services write).
     */
    public static String producerOf(String topic) {
        return TopicCatalogue.find(topic).map(Topic::producers).filter(p -> p.size() == 1)
                .map(p -> p.get(0)).filter(TopicCatalogue.SERVICES::contains).orElse(OPERATOR);
    }

    /** Client settings for publishing on {@code topic} as {@link #producerOf(String)}. */
    public static Properties producerFor(String topic) {
        return clientProperties(producerOf(topic));
    }

    /** The same, for a broker at {@code bootstrap}. */
    public static Properties producerFor(String topic, String bootstrap) {
        return clientProperties(producerOf(topic), bootstrap);
    }
}
