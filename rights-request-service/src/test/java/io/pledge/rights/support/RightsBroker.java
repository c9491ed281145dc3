package io.pledge.rights.support;

import io.pledge.events.TopicCatalogue;
import io.pledge.kit.testing.LocalBroker;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A real Kafka broker of this module's tests (service-kit's {@link LocalBroker}, the Apache Kafka jars in their own
 * process) on a free port pair chosen at start, so other modules' test brokers and the shared 9092 are never touched.
 * Every topic of the catalogue is created up front.
 */
public class RightsBroker implements QuarkusTestResourceLifecycleManager {

    private static final String PROPERTY = "rights-test.broker.bootstrap";

    private LocalBroker broker;

    @Override
    public Map<String, String> start() {
        try {
            Path dir = Files.createTempDirectory("pledge-rights-broker-");
            broker = new LocalBroker(freePortPair(), dir);
            broker.start();
            broker.createTopics(3, TopicCatalogue.all().stream().map(t -> t.name()).toArray(String[]::new));
            System.setProperty(PROPERTY, broker.bootstrap());
            return Map.of("kafka.bootstrap.servers", broker.bootstrap());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The running broker's bootstrap address (a system property, so it is read the same from any class loader). */
    public static String bootstrap() {
        String b = System.getProperty(PROPERTY);
        if (b == null) {
            throw new IllegalStateException("the test broker was not started");
        }
        return b;
    }

    private static int freePortPair() throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            int port;
            try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
                port = s.getLocalPort();
            }
            try (java.net.ServerSocket next = new java.net.ServerSocket(port + 1)) {
                return port;
            } catch (IOException busy) {
                // try another pair
            }
        }
        throw new IOException("no free port pair for the test broker");
    }

    @Override
    public void stop() {
        if (broker != null) {
            broker.stop();
        }
    }
}
