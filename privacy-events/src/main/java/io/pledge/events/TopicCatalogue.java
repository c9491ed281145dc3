package io.pledge.events;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The topic catalogue as code: the one list from which the local broker's topics, the Kubernetes
 * {@code KafkaTopic} resources and the AsyncAPI document are produced or checked.
 */
public final class TopicCatalogue {

    public static final String ACCOUNT_EVENTS = "account.events";
    public static final String CONSENT_EVENTS = "consent.events";
    public static final String CONSENT_STATE = "consent.state";
    public static final String RIGHTS_COMMANDS = "rights.commands";
    public static final String RIGHTS_REPLIES = "rights.replies";
    public static final String RIGHTS_REQUEST_EVENTS = "rights-request.events";
    public static final String NOTIFICATION_COMMANDS = "notification.commands";
    public static final String NOTIFICATION_EVENTS = "notification.events";
    public static final String ACCESS_RECORDS = "access.records";

    /** Suffix of a topic's dead-letter topic. */
    public static final String DLQ_SUFFIX = ".dlq";

    private static final int PARTITIONS = 6;
    private static final Duration EVENT_RETENTION = Duration.ofDays(7);
    private static final Duration DLQ_RETENTION = Duration.ofDays(30);
    private static final String SUBJECT_ID = "subject id";
    private static final String REQUEST_ID = "request id";
    private static final String ACCOUNT = "account-service";
    private static final String CONSENT = "consent-service";
    private static final String RIGHTS = "rights-request-service";
    private static final String NOTIFICATION = "notification-service";
    private static final String AUDIT = "audit-service";

    /** Every Pledge service: its {@code quarkus.application.name} is its Kafka principal. */
    public static final List<String> SERVICES = List.of(ACCOUNT, CONSENT, RIGHTS, NOTIFICATION, AUDIT);

    // Producers and consumers are what the services' code and channel configuration do (each service's
    // application.properties); the ACLs of KafkaAccess allow exactly that, so a wrong entry fails a test.
    private static final List<Topic> MAIN = List.of(
            new Topic(ACCOUNT_EVENTS, SUBJECT_ID, PARTITIONS, false, EVENT_RETENTION, List.of(ACCOUNT),
                    List.of(CONSENT, RIGHTS, NOTIFICATION, AUDIT)),
            new Topic(CONSENT_EVENTS, SUBJECT_ID, PARTITIONS, false, EVENT_RETENTION, List.of(CONSENT),
                    List.of(RIGHTS, NOTIFICATION, AUDIT)),
            new Topic(CONSENT_STATE, SUBJECT_ID, PARTITIONS, true, EVENT_RETENTION, List.of(CONSENT),
                    List.of(AUDIT, Topic.DOWNSTREAM_HOLDERS)),
            new Topic(RIGHTS_COMMANDS, SUBJECT_ID, PARTITIONS, false, EVENT_RETENTION, List.of(RIGHTS),
                    List.of(ACCOUNT, CONSENT, NOTIFICATION, AUDIT, Topic.DOWNSTREAM_HOLDERS)),
            // the internal services reply as holders too (audit-service for the audit trail it keeps)
            new Topic(RIGHTS_REPLIES, REQUEST_ID, PARTITIONS, false, EVENT_RETENTION,
                    List.of(ACCOUNT, CONSENT, NOTIFICATION, AUDIT, Topic.EVERY_HOLDER), List.of(RIGHTS, AUDIT)),
            new Topic(RIGHTS_REQUEST_EVENTS, SUBJECT_ID, PARTITIONS, false, EVENT_RETENTION, List.of(RIGHTS),
                    List.of(AUDIT)),
            new Topic(NOTIFICATION_COMMANDS, SUBJECT_ID, PARTITIONS, false, EVENT_RETENTION, List.of(ACCOUNT, RIGHTS),
                    List.of(NOTIFICATION, AUDIT)),
            new Topic(NOTIFICATION_EVENTS, SUBJECT_ID, PARTITIONS, false, EVENT_RETENTION, List.of(NOTIFICATION),
                    List.of(ACCOUNT, RIGHTS, AUDIT, Topic.DOWNSTREAM_HOLDERS)),
            // every read of personal data any service serves (policy 5.2.3, service-kit's AccessRecorder); only
            // audit-service reads it, and no service's own topic is opened to another's writes for it
            new Topic(ACCESS_RECORDS, SUBJECT_ID, PARTITIONS, false, EVENT_RETENTION, SERVICES, List.of(AUDIT)));

    private static final List<Topic> ALL;

    static {
        List<Topic> all = new ArrayList<>(MAIN);
        for (Topic t : MAIN) {
            if (!t.compacted()) {
                all.add(new Topic(t.name() + DLQ_SUFFIX, "as " + t.name(), 1, false, DLQ_RETENTION,
                        List.of(Topic.ANY_CONSUMER), List.of(AUDIT, Topic.OPERATORS)));
            }
        }
        ALL = List.copyOf(all);
    }

    private TopicCatalogue() {
    }

    /** Every topic, the dead-letter topics after the topics they serve. */
    public static List<Topic> all() {
        return ALL;
    }

    /** The topic of that name, if it is in the catalogue. */
    public static Optional<Topic> find(String name) {
        return ALL.stream().filter(t -> t.name().equals(name)).findFirst();
    }

    /**
     * The event types published on a topic, as {@link EventTypes#onTopic(String)} lists them; none for a dead-letter
     * topic, which carries the records of the topic it serves unchanged.
     *
     * @throws IllegalArgumentException when the topic is not in the catalogue (a misspelt name is not "no events")
     */
    public static List<EventType<?>> eventTypes(String topic) {
        if (find(topic).isEmpty()) {
            throw new IllegalArgumentException("not a topic of the catalogue: " + topic);
        }
        return EventTypes.onTopic(topic);
    }

    /**
     * The catalogue as the tab-separated table that {@code deploy/local/kafka-topics.tsv} holds:
     * name, partitions, cleanup policy, retention in ms.
     */
    public static String toTsv() {
        StringBuilder sb = new StringBuilder("# generated from io.pledge.events.TopicCatalogue; regenerate with\n"
                + "# mvn -pl privacy-events test -Dtest=TopicCatalogueTest -Dpledge.regenerate=true\n");
        sb.append("# name\tpartitions\tcleanup.policy\tretention.ms\n");
        for (Topic t : ALL) {
            sb.append(t.name()).append('\t').append(t.partitions()).append('\t')
                    .append(t.cleanupPolicy()).append('\t').append(t.retentionMs()).append('\n');
        }
        return sb.toString();
    }

    /** Prints {@link #toTsv()}; used to regenerate the local topic table. */
    public static void main(String[] args) {
        System.out.print(toTsv());
    }
}
