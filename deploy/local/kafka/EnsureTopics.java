import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
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
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * Creates every topic of deploy/local/kafka-topics.tsv (generated from the catalogue in
 * privacy-events) that is missing, and brings the partitions, cleanup policy and retention of the
 * existing ones in line; then gives every principal of deploy/local/kafka-acls.tsv (generated from
 * privacy-events' KafkaAccess) its SCRAM-SHA-512 credential (the password in
 * {@code <credentials>/<principal>.password}, generated there, 0600, when missing) and exactly its
 * ACLs (stale ACLs of those principals are removed). Idempotent. Connects as the admin
 * ({@code <credentials>/pledge-admin.password}). Run with the broker's jars on the classpath:
 * {@code java -cp 'libs/*' EnsureTopics.java 127.0.0.1:9092 kafka-topics.tsv kafka-acls.tsv credentials all|test}
 * (topics {@code -}: no topics, credentials and ACLs only; scope {@code test} adds the test-only rows).
 */
public class EnsureTopics {

    static final String ADMIN = "pledge-admin";

    record Spec(String name, int partitions, String cleanup, long retentionMs) {
    }

    public static void main(String[] args) throws Exception {
        List<Spec> specs = new ArrayList<>();
        if (!args[1].equals("-")) {
            for (String line : Files.readAllLines(Path.of(args[1]))) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\t");
                specs.add(new Spec(f[0], Integer.parseInt(f[1]), f[2], Long.parseLong(f[3])));
            }
        }
        Path credentials = Path.of(args[3]);
        Properties props = adminProperties(args[0], credentials);
        try (Admin admin = Admin.create(props)) {
            ensureTopics(admin, specs);
            ensurePrincipals(admin, Path.of(args[2]), credentials, args[4]);
        }
    }

    /** Admin client properties: SASL/SCRAM-SHA-512 as the admin. */
    static Properties adminProperties(String bootstrap, Path credentials) throws Exception {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "30000");
        props.put("security.protocol", "SASL_PLAINTEXT");
        props.put("sasl.mechanism", "SCRAM-SHA-512");
        props.put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                + ADMIN + "\" password=\"" + Files.readString(credentials.resolve(ADMIN + ".password")).trim() + "\";");
        return props;
    }

    static void ensurePrincipals(Admin admin, Path aclTable, Path credentials, String scope) throws Exception {
        Set<String> principals = new LinkedHashSet<>();
        Set<AclBinding> wanted = new LinkedHashSet<>();
        for (String line : Files.readAllLines(aclTable)) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\t");
            if (f[0].equals("test") && !scope.equals("test")) {
                continue;
            }
            principals.add(f[1]);
            ResourceType type = ResourceType.fromString(f[3]);
            String name = type == ResourceType.CLUSTER ? "kafka-cluster" : f[5];
            wanted.add(new AclBinding(new ResourcePattern(type, name, PatternType.fromString(f[4])),
                    new AccessControlEntry("User:" + f[1], "*", AclOperation.fromString(f[2]), AclPermissionType.ALLOW)));
        }
        List<UserScramCredentialAlteration> upserts = new ArrayList<>();
        for (String p : principals) {
            upserts.add(new UserScramCredentialUpsertion(p, new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192),
                    password(credentials, p)));
        }
        admin.alterUserScramCredentials(upserts).all().get();
        Set<AclBinding> stale = new LinkedHashSet<>();
        for (AclBinding b : admin.describeAcls(AclBindingFilter.ANY).values().get()) {
            String p = b.entry().principal();
            if (p.startsWith("User:") && principals.contains(p.substring(5)) && !wanted.contains(b)) {
                stale.add(b);
            }
        }
        if (!stale.isEmpty()) {
            admin.deleteAcls(stale.stream().map(AclBinding::toFilter).toList()).all().get();
        }
        admin.createAcls(wanted).all().get();
        System.out.println("principals ready: " + principals.size() + " with " + wanted.size() + " ACLs ("
                + stale.size() + " stale removed)");
    }

    /** The principal's password from its file, generated (0600) when there is none. */
    static String password(Path credentials, String principal) throws Exception {
        Path file = credentials.resolve(principal + ".password");
        if (!Files.exists(file) || Files.readString(file).isBlank()) {
            byte[] random = new byte[24];
            new SecureRandom().nextBytes(random);
            Files.createDirectories(credentials);
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, Base64.getUrlEncoder().withoutPadding().encodeToString(random));
        }
        return Files.readString(file).trim();
    }

    static void ensureTopics(Admin admin, List<Spec> specs) throws Exception {
        if (specs.isEmpty()) {
            return;
        }
        {
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
