package io.pledge.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.pledge.events.KafkaAccess.Acl;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Pure logic: the ACLs derived from the catalogue, and the local and Kubernetes files kept equal to them. */
class KafkaAccessTest {

    private static final Path LOCAL_TABLE = Path.of("..", "deploy", "local", "kafka-acls.tsv");
    private static final Path STRIMZI_USERS = Path.of("..", "deploy", "k8s", "base", "kafka-users.yaml");

    @Test
    void aServiceWritesOnlyWhatItProducesAndTheDeadLettersOfWhatItReads() {
        List<Acl> consent = KafkaAccess.service("consent-service");
        assertThat(names(consent, "WRITE")).containsExactlyInAnyOrder("consent.events", "consent.state",
                "rights.replies", "access.records", "account.events.dlq", "rights.commands.dlq");
        assertThat(names(consent, "READ")).containsExactlyInAnyOrder("account.events", "rights.commands",
                "consent-service", "consent-service-");
        // no service but rights-request-service writes rights.commands, none but account-service account.events;
        // every service writes its reads of personal data to access.records, which only audit-service reads
        for (String s : TopicCatalogue.SERVICES) {
            assertThat(names(KafkaAccess.service(s), "WRITE")).as(s).contains("access.records");
            assertThat(names(KafkaAccess.service(s), "READ").contains("access.records"))
                    .as(s).isEqualTo(s.equals("audit-service"));
            assertThat(names(KafkaAccess.service(s), "WRITE").contains("rights.commands"))
                    .as(s).isEqualTo(s.equals("rights-request-service"));
            assertThat(names(KafkaAccess.service(s), "WRITE").contains("account.events"))
                    .as(s).isEqualTo(s.equals("account-service"));
        }
    }

    @Test
    void aHolderReadsCommandsAndWhatItIsGrantedAndWritesOnlyReplies() {
        String p = KafkaAccess.holderPrincipal("crm");
        List<Acl> acls = KafkaAccess.holder(p, List.of("consent.state", "account.events", "rights.replies"));
        assertThat(names(acls, "WRITE")).containsExactly("rights.replies");
        assertThat(acls.stream().filter(a -> a.operation().equals("READ") && a.resourceType().equals("TOPIC"))
                .map(Acl::resource)).containsExactlyInAnyOrder("rights.commands", "consent.state");
        assertThat(acls).contains(new Acl(KafkaAccess.Scope.ALL, p, "READ", "GROUP", "PREFIXED", "holder-crm:"));
        assertThat(KafkaAccess.grantableToHolders()).containsExactlyInAnyOrder("consent.state", "notification.events");
    }

    @Test
    void everyConsumerOfATopicCanDeadLetterIt() {
        for (Topic t : TopicCatalogue.all()) {
            if (t.isDeadLetter() || t.compacted()) {
                continue;
            }
            for (String c : t.consumers()) {
                if (TopicCatalogue.SERVICES.contains(c)) {
                    assertThat(names(KafkaAccess.service(c), "WRITE")).as(c).contains(t.name() + ".dlq");
                }
            }
        }
    }

    /** deploy/local/kafka-acls.tsv is what the local broker script applies; it must match the code. */
    @Test
    void localAclTableMatchesTheCode() throws IOException {
        String expected = KafkaAccess.toTsv();
        if (Boolean.getBoolean("pledge.regenerate")) {
            Files.writeString(LOCAL_TABLE, expected, StandardCharsets.UTF_8);
        }
        assertThat(Files.readString(LOCAL_TABLE, StandardCharsets.UTF_8))
                .as("deploy/local/kafka-acls.tsv is stale; regenerate it (see its header)")
                .isEqualTo(expected);
    }

    /** deploy/k8s/base/kafka-users.yaml holds a Strimzi KafkaUser per principal; it must match the code. */
    @Test
    void kubernetesUsersMatchTheCode() throws IOException {
        String expected = strimziUsers();
        if (Boolean.getBoolean("pledge.regenerate")) {
            Files.writeString(STRIMZI_USERS, expected, StandardCharsets.UTF_8);
        }
        assertThat(Files.readString(STRIMZI_USERS, StandardCharsets.UTF_8))
                .as("deploy/k8s/base/kafka-users.yaml is stale; regenerate it (see its header)")
                .isEqualTo(expected);
    }

    static String strimziUsers() {
        StringBuilder y = new StringBuilder("# generated from io.pledge.events.KafkaAccess; regenerate with\n"
                + "# mvn -pl privacy-events test -Dtest=KafkaAccessTest -Dpledge.regenerate=true\n"
                + "# One SCRAM-SHA-512 user per service (its Secret, of the same name, holds sasl.jaas.config) and the\n"
                + "# holder registrar. Holders' users are created by rights-request-service at registration.\n");
        Map<String, List<Acl>> byPrincipal = KafkaAccess.deployment().stream()
                .collect(Collectors.groupingBy(Acl::principal, java.util.LinkedHashMap::new, Collectors.toList()));
        byPrincipal.forEach((principal, acls) -> {
            y.append("---\napiVersion: kafka.strimzi.io/v1beta2\nkind: KafkaUser\nmetadata:\n")
                    .append("  name: ").append(principal).append('\n')
                    .append("  labels:\n    strimzi.io/cluster: pledge\n")
                    .append("spec:\n  authentication:\n    type: scram-sha-512\n")
                    .append("  authorization:\n    type: simple\n    acls:\n");
            for (Acl a : acls) {
                y.append("      - resource:\n          type: ").append(a.resourceType().toLowerCase()).append('\n');
                if (!a.resourceType().equals("CLUSTER")) {
                    y.append("          name: ").append(a.resource()).append('\n')
                            .append("          patternType: ").append(a.patternType().toLowerCase()).append('\n');
                }
                String op = a.operation().charAt(0) + a.operation().substring(1).toLowerCase();
                y.append("        operations:\n          - ").append(op).append('\n');
            }
        });
        return y.toString();
    }

    private static List<String> names(List<Acl> acls, String operation) {
        return acls.stream().filter(a -> a.operation().equals(operation)).map(Acl::resource).toList();
    }
}
