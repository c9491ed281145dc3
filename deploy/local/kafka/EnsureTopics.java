import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;

/**
 * Creates every topic of deploy/local/kafka-topics.tsv (generated from the catalogue in
 * privacy-events) that is missing, and brings the partitions, cleanup policy and retention of the
 * existing ones in line. Idempotent. Run with the broker's jars on the classpath:
 * {@code java -cp 'libs/*' EnsureTopics.java 127.0.0.1:9092 kafka-topics.tsv}
 */
public class EnsureTopics {

    record Spec(String name, int partitions, String cleanup, long retentionMs) {
    }

    public static void main(String[] args) throws Exception {
        List<Spec> specs = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of(args[1]))) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\t");
            specs.add(new Spec(f[0], Integer.parseInt(f[1]), f[2], Long.parseLong(f[3])));
        }
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, args[0]);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "30000");
        try (Admin admin = Admin.create(props)) {
            Set<String> existing = admin.listTopics().names().get();
            List<NewTopic> create = new ArrayList<>();
            for (Spec s : specs) {
                if (!existing.contains(s.name())) {
                    create.add(new NewTopic(s.name(), s.partitions(), (short) 1).configs(configs(s)));
                }
            }
            if (!create.isEmpty()) {
                try {
                    admin.createTopics(create).all().get();
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof org.apache.kafka.common.errors.TopicExistsException)) {
                        throw e;
                    }
                }
            }
            Collection<String> old = specs.stream().map(Spec::name).filter(existing::contains).toList();
            if (!old.isEmpty()) {
                Map<String, TopicDescription> described = admin.describeTopics(old).allTopicNames().get();
                Map<String, NewPartitions> grow = new HashMap<>();
                Map<ConfigResource, Collection<AlterConfigOp>> alter = new HashMap<>();
                for (Spec s : specs) {
                    TopicDescription d = described.get(s.name());
                    if (d == null) {
                        continue;
                    }
                    if (d.partitions().size() < s.partitions()) {
                        grow.put(s.name(), NewPartitions.increaseTo(s.partitions()));
                    }
                    List<AlterConfigOp> ops = new ArrayList<>();
                    configs(s).forEach((k, v) -> ops.add(new AlterConfigOp(new ConfigEntry(k, v), AlterConfigOp.OpType.SET)));
                    alter.put(new ConfigResource(ConfigResource.Type.TOPIC, s.name()), ops);
                }
                if (!grow.isEmpty()) {
                    admin.createPartitions(grow).all().get();
                }
                admin.incrementalAlterConfigs(alter).all().get();
            }
            System.out.println("topics ready: " + specs.size() + " (" + create.size() + " created)");
        }
    }

    private static Map<String, String> configs(Spec s) {
        Map<String, String> c = new HashMap<>();
        c.put("cleanup.policy", s.cleanup());
        c.put("retention.ms", Long.toString(s.retentionMs()));
        c.put("min.insync.replicas", "1");
        return c;
    }
}
