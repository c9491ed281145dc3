package io.pledge.kit.kafka;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.common.MapBackedConfigSource;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * The one place a Pledge service's Kafka credential comes from: {@code kafka.sasl.jaas.config} (SCRAM) for the
 * principal {@code pledge.kafka.principal} (default {@code quarkus.application.name}), with the password
 * {@code pledge.kafka.password} (env {@code PLEDGE_KAFKA_PASSWORD}) or else the file
 * {@code <pledge.kafka.credentials-dir>/<principal>.password} that deploy/local/kafka-broker generates. Every Kafka
 * client of a service takes it with the rest of {@code kafka.*}: the messaging channels through Quarkus' default
 * Kafka configuration, the kit's raw clients through {@link KafkaClients}. A {@code kafka.sasl.jaas.config} given
 * outright (env {@code KAFKA_SASL_JAAS_CONFIG}: the KafkaUser's Secret in Kubernetes) wins: this source's ordinal
 * is below the environment's and application.properties'.
 */
public class KafkaCredentialsSource implements ConfigSourceFactory {

    static final String JAAS = "kafka.sasl.jaas.config";
    private static final int ORDINAL = 150;

    @Override
    public Iterable<org.eclipse.microprofile.config.spi.ConfigSource> getConfigSources(ConfigSourceContext context) {
        String principal = value(context, "pledge.kafka.principal");
        if (principal == null) {
            principal = value(context, "quarkus.application.name");
        }
        String password = value(context, "pledge.kafka.password");
        if (password == null && principal != null) {
            String dir = value(context, "pledge.kafka.credentials-dir");
            if (dir != null) {
                password = KafkaLogin.readPassword(Path.of(dir), principal);
            }
        }
        if (principal == null || password == null) {
            return List.of(); // no credential here: the broker refuses the client, naming the missing login
        }
        return List.of(new MapBackedConfigSource("pledge kafka credentials", Map.of(JAAS, KafkaLogin.jaas(principal, password)),
                ORDINAL) {
        });
    }

    @Override
    public OptionalInt getPriority() {
        return OptionalInt.of(ORDINAL);
    }

    private static String value(ConfigSourceContext context, String name) {
        ConfigValue v = context.getValue(name);
        return v == null || v.getValue() == null || v.getValue().isBlank() ? null : v.getValue();
    }
}
