package io.pledge.kit.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Starts a {@link LocalBroker} of the test's own (port 19092) before the application, for tests
 * that stop and restart the broker; the shared broker on 9092 is never touched. Topics are given as
 * init argument {@code topics} (comma-separated). Tests reach the broker with {@link #broker()}, logged in
 * through {@link TestKafka#clientProperties(String, String)} (the broker is secured as the tests' broker is).
 */
public class TestBrokerResource implements QuarkusTestResourceLifecycleManager {

    public static final int PORT = 19092;
    private static final String DIR_PROPERTY = "pledge.test.broker.dir";

    private String topics = "";

    @Override
    public void init(Map<String, String> initArgs) {
        topics = initArgs.getOrDefault("topics", "");
    }

    @Override
    public Map<String, String> start() {
        try {
            Path dir = Files.createTempDirectory("pledge-test-broker-");
            System.setProperty(DIR_PROPERTY, dir.toString());
            LocalBroker broker = new LocalBroker(PORT, dir);
            broker.start();
            if (!topics.isBlank()) {
                broker.createTopics(3, topics.split(","));
            }
            return Map.of("kafka.bootstrap.servers", broker.bootstrap());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
        broker().stop();
    }

    /** The running test broker (state on disk, so this works from any class loader). */
    public static LocalBroker broker() {
        String dir = System.getProperty(DIR_PROPERTY);
        if (dir == null) {
            throw new IllegalStateException("the test broker was not started");
        }
        return new LocalBroker(PORT, Path.of(dir));
    }
}
