package io.pledge.audit.ledger;

import io.pledge.events.EventTypes;
import io.pledge.events.TopicCatalogue;
import java.util.List;

/** The retention category of an entry, from its topic and type. */
public final class Categories {

    public static final String ACCOUNT = "account";
    public static final String CONSENT = "consent";
    public static final String RIGHTS = "rights";
    public static final String NOTIFICATION = "notification";
    public static final String PERSONAL_DATA_ACCESS = "personal-data-access";
    public static final String DEAD_LETTER = "dead-letter";

    /** Every category {@link #of} can answer: each must have a retention rule (policy 5.4). */
    public static final List<String> ALL = List.of(ACCOUNT, CONSENT, RIGHTS, NOTIFICATION, PERSONAL_DATA_ACCESS, DEAD_LETTER);

    private Categories() {
    }

    public static String of(String topic, String type) {
        if (topic.endsWith(TopicCatalogue.DLQ_SUFFIX)) {
            return DEAD_LETTER;
        }
        if (EventTypes.PERSONAL_DATA_ACCESSED.type().equals(type)) {
            return PERSONAL_DATA_ACCESS;
        }
        if (topic.startsWith("account.")) {
            return ACCOUNT;
        }
        if (topic.startsWith("consent.")) {
            return CONSENT;
        }
        if (topic.startsWith("notification.")) {
            return NOTIFICATION;
        }
        return RIGHTS;
    }
}
