package io.pledge.events;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Who may do what on the broker, as data derived from the {@link TopicCatalogue}: the ACLs of every Kafka principal.
 * The local brokers apply {@link #toTsv()} ({@code deploy/local/kafka-acls.tsv}), Kubernetes the Strimzi
 * {@code KafkaUser}s generated from the same lists, and rights-request-service grants a registered holder
 * {@link #holder(String, Collection)}. Authentication is SASL/SCRAM-SHA-512; a principal's name is a service's
 * {@code quarkus.application.name}, {@link #holderPrincipal(String)} for a holder. Nothing is allowed to a principal
 * without an ACL (the brokers run with {@code allow.everyone.if.no.acl.found=false}).
 */
public final class KafkaAccess {

    /** The brokers' own principal (inter-broker traffic, topic and ACL management): the only super user. */
    public static final String ADMIN = "pledge-admin";
    /** rights-request-service's second principal: creates and deletes holder credentials and ACLs, nothing else. */
    public static final String HOLDER_REGISTRAR = "pledge-holder-registrar";
    /** Tests only: plays the operator (reads and writes every topic), on the tests' brokers, never in a deployment. */
    public static final String TEST_OPERATOR = "pledge-test";
    /** Tests only: service-kit's own test application, on its own topics {@code kit-test.*}. */
    public static final String KIT_TEST = "service-kit-test";

    /** Where an ACL row applies: every broker, or only the tests' brokers. */
    public enum Scope { ALL, TEST }

    /**
     * One ACL: allow {@code principal} to {@code operation} the resource.
     *
     * @param operation    Kafka's AclOperation name: READ, WRITE, DESCRIBE, ALTER
     * @param resourceType Kafka's ResourceType name: TOPIC, GROUP, CLUSTER
     * @param patternType  LITERAL or PREFIXED
     * @param resource     the topic or group name (or prefix); {@code kafka-cluster} for the cluster
     */
    public record Acl(Scope scope, String principal, String operation, String resourceType, String patternType,
                      String resource) {
    }

    private KafkaAccess() {
    }

    /** The principal of a registered holder: never a service's name, nor another holder's prefix. */
    public static String holderPrincipal(String holderId) {
        return "holder-" + holderId;
    }

    /**
     * What a service may do: write the topics it produces and the dead-letter topics of those it consumes, read the
     * topics it consumes, and use the consumer groups named after it ({@code <name>} and {@code <name>-...}, e.g.
     * {@code account-service-test}).
     */
    public static List<Acl> service(String principal) {
        Set<Acl> acls = new LinkedHashSet<>();
        boolean consumes = false;
        for (Topic t : TopicCatalogue.all()) {
            if (t.producers().contains(principal)) {
                acls.add(topic(Scope.ALL, principal, "WRITE", t.name()));
            }
        }
        for (Topic t : TopicCatalogue.all()) {
            if (t.consumers().contains(principal)) {
                consumes = true;
                acls.add(topic(Scope.ALL, principal, "READ", t.name()));
                TopicCatalogue.find(t.name() + TopicCatalogue.DLQ_SUFFIX)
                        .ifPresent(dlq -> acls.add(topic(Scope.ALL, principal, "WRITE", dlq.name())));
            }
        }
        if (consumes) {
            acls.add(new Acl(Scope.ALL, principal, "READ", "GROUP", "LITERAL", principal));
            acls.add(new Acl(Scope.ALL, principal, "READ", "GROUP", "PREFIXED", principal + "-"));
        }
        return List.copyOf(acls);
    }

    /**
     * What a registered holder may do: read {@code rights.commands} and the topics its registration grants among those
     * read by {@link Topic#DOWNSTREAM_HOLDERS}, write {@code rights.replies}, and use the consumer groups
     * {@code <principal>:...} (a separator no holder id holds, so one holder's prefix never covers another's groups).
     *
     * @param granted topic names the registration grants beyond rights.commands; others are ignored
     */
    public static List<Acl> holder(String principal, Collection<String> granted) {
        Set<Acl> acls = new LinkedHashSet<>();
        acls.add(topic(Scope.ALL, principal, "READ", TopicCatalogue.RIGHTS_COMMANDS));
        for (Topic t : TopicCatalogue.all()) {
            if (granted.contains(t.name()) && t.consumers().contains(Topic.DOWNSTREAM_HOLDERS)) {
                acls.add(topic(Scope.ALL, principal, "READ", t.name()));
            }
        }
        for (Topic t : TopicCatalogue.all()) {
            if (t.producers().contains(Topic.EVERY_HOLDER)) {
                acls.add(topic(Scope.ALL, principal, "WRITE", t.name()));
            }
        }
        acls.add(new Acl(Scope.ALL, principal, "READ", "GROUP", "PREFIXED", holderGroupPrefix(principal)));
        return List.copyOf(acls);
    }

    /** The prefix of every consumer group a holder principal may use. */
    public static String holderGroupPrefix(String principal) {
        return principal + ":";
    }

    /** The topics a holder registration may be granted beyond rights.commands (read by downstream holders). */
    public static List<String> grantableToHolders() {
        return TopicCatalogue.all().stream()
                .filter(t -> t.consumers().contains(Topic.DOWNSTREAM_HOLDERS)
                        && !t.name().equals(TopicCatalogue.RIGHTS_COMMANDS))
                .map(Topic::name).toList();
    }

    /**
     * The registrar may create and delete SCRAM credentials and ACLs (both need ALTER on the cluster; listing ACLs
     * needs DESCRIBE). Kafka has no narrower right for either; see deploy/README.md.
     */
    public static List<Acl> registrar() {
        return List.of(new Acl(Scope.ALL, HOLDER_REGISTRAR, "ALTER", "CLUSTER", "LITERAL", "kafka-cluster"),
                new Acl(Scope.ALL, HOLDER_REGISTRAR, "DESCRIBE", "CLUSTER", "LITERAL", "kafka-cluster"));
    }

    /** Every principal of a deployment: the five services and the holder registrar (not the admin, a super user). */
    public static List<String> principals() {
        List<String> all = new ArrayList<>(TopicCatalogue.SERVICES);
        all.add(HOLDER_REGISTRAR);
        return List.copyOf(all);
    }

    /** The ACLs of {@link #principals()}. */
    public static List<Acl> deployment() {
        List<Acl> all = new ArrayList<>();
        TopicCatalogue.SERVICES.forEach(s -> all.addAll(service(s)));
        all.addAll(registrar());
        return List.copyOf(all);
    }

    /** Test-only principals and their ACLs (the tests' brokers apply them beside {@link #deployment()}). */
    public static List<Acl> testOnly() {
        return List.of(new Acl(Scope.TEST, TEST_OPERATOR, "READ", "TOPIC", "LITERAL", "*"),
                new Acl(Scope.TEST, TEST_OPERATOR, "WRITE", "TOPIC", "LITERAL", "*"),
                new Acl(Scope.TEST, TEST_OPERATOR, "READ", "GROUP", "LITERAL", "*"),
                new Acl(Scope.TEST, KIT_TEST, "READ", "TOPIC", "PREFIXED", "kit-test."),
                new Acl(Scope.TEST, KIT_TEST, "WRITE", "TOPIC", "PREFIXED", "kit-test."),
                new Acl(Scope.TEST, KIT_TEST, "READ", "GROUP", "PREFIXED", KIT_TEST));
    }

    /**
     * Every ACL as the tab-separated table {@code deploy/local/kafka-acls.tsv} holds: scope, principal, operation,
     * resource type, pattern type, resource. A principal named in it gets a SCRAM credential on the local brokers.
     */
    public static String toTsv() {
        StringBuilder sb = new StringBuilder("# generated from io.pledge.events.KafkaAccess; regenerate with\n"
                + "# mvn -pl privacy-events test -Dtest=KafkaAccessTest -Dpledge.regenerate=true\n"
                + "# scope (all brokers | test brokers only)\tprincipal\toperation\tresource type\tpattern\tresource\n");
        List<Acl> all = new ArrayList<>(deployment());
        all.addAll(testOnly());
        for (Acl a : all) {
            sb.append(a.scope().name().toLowerCase()).append('\t').append(a.principal()).append('\t')
                    .append(a.operation()).append('\t').append(a.resourceType()).append('\t')
                    .append(a.patternType()).append('\t').append(a.resource()).append('\n');
        }
        return sb.toString();
    }

    private static Acl topic(Scope scope, String principal, String operation, String name) {
        return new Acl(scope, principal, operation, "TOPIC", "LITERAL", name);
    }
}
