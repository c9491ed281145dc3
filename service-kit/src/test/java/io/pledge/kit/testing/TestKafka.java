package io.pledge.kit.testing;

/**
 * Where module tests find the tests' own Kafka broker: the one {@code deploy/local/test} starts empty
 * for every run on 127.0.0.1:29092, never the running system's 9092 (the {@code %test} profile in
 * service-kit's {@code microprofile-config.properties} points the services at the same address).
 * Override with {@code -Dpledge.test.kafka.bootstrap=host:port}.
 */
public final class TestKafka {

    /** The tests' broker, e.g. {@code 127.0.0.1:29092}. */
    public static final String BOOTSTRAP = System.getProperty("pledge.test.kafka.bootstrap", "127.0.0.1:29092");

    private TestKafka() {
    }
}
