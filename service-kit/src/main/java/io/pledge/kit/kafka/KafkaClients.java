package io.pledge.kit.kafka;

import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Builds the raw Kafka clients of a service (the outbox relay, dead letters, consent's tombstones) from Quarkus'
 * default Kafka configuration, the same {@code kafka.*} the messaging channels use: bootstrap servers and the
 * security settings (SASL/SCRAM, see {@link PasswordFileCallbackHandler}) come from one place, never from
 * {@code bootstrap.servers} alone.
 */
@ApplicationScoped
public class KafkaClients {

    private static final Set<String> PRODUCER_KEYS = ProducerConfig.configNames();
    private static final Set<String> ADMIN_KEYS = AdminClientConfig.configNames();

    private final Map<String, Object> defaults;

    @Inject
    public KafkaClients(@Identifier("default-kafka-broker") Map<String, Object> defaults) {
        this.defaults = Map.copyOf(defaults);
    }

    /** The producer settings: the default Kafka configuration's producer keys, then {@code overrides}. */
    public Map<String, Object> producerConfig(Map<String, Object> overrides) {
        Map<String, Object> p = new HashMap<>();
        defaults.forEach((k, v) -> {
            if (PRODUCER_KEYS.contains(k)) {
                p.put(k, v);
            }
        });
        p.putAll(overrides);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return p;
    }

    /** A String-keyed, byte-valued producer with the default Kafka configuration and {@code overrides}. */
    public KafkaProducer<String, byte[]> producer(Map<String, Object> overrides) {
        return new KafkaProducer<>(producerConfig(overrides));
    }

    /**
     * An admin client with the default Kafka configuration (bootstrap servers, protocol, mechanism) logged in as
     * another principal of this service (e.g. rights-request-service's holder registrar).
     */
    public Admin admin(String principal, String password) {
        Map<String, Object> a = new HashMap<>();
        defaults.forEach((k, v) -> {
            if (ADMIN_KEYS.contains(k)) {
                a.put(k, v);
            }
        });
        a.put("sasl.jaas.config", KafkaLogin.jaas(principal, password));
        a.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 20_000);
        a.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        return Admin.create(a);
    }
}
