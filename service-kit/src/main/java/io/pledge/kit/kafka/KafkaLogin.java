package io.pledge.kit.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A Kafka principal's SASL/SCRAM-SHA-512 login: its password file and its {@code sasl.jaas.config}. Plain Java (no
 * Quarkus), so that tests driving the packaged services from outside log in the same way.
 */
public final class KafkaLogin {

    /** Kafka's {@code security.protocol} on the embedded brokers (loopback only); SASL_SSL in a cluster. */
    public static final String PROTOCOL = "SASL_PLAINTEXT";
    public static final String MECHANISM = "SCRAM-SHA-512";

    private KafkaLogin() {
    }

    /** The SCRAM login of a principal, as Kafka's {@code sasl.jaas.config} takes it. */
    public static String jaas(String principal, String password) {
        if (principal.contains("\"") || password.contains("\"") || password.contains("\\")) {
            throw new IllegalArgumentException("a Kafka principal or password cannot hold a quote or backslash");
        }
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + principal
                + "\" password=\"" + password + "\";";
    }

    /** The password in {@code <dir>/<principal>.password}, or null when there is no such file. */
    public static String readPassword(Path dir, String principal) {
        Path file = dir.resolve(principal + ".password");
        if (!Files.isReadable(file)) {
            return null;
        }
        try {
            String p = Files.readString(file).trim();
            return p.isEmpty() ? null : p;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the Kafka password file " + file, e);
        }
    }
}
