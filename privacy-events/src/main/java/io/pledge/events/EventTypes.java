package io.pledge.events;

import io.pledge.events.account.AccountCancelled;
import io.pledge.events.account.AccountRegistered;
import io.pledge.events.account.CancellationRequested;
import io.pledge.events.account.ContactVerified;
import io.pledge.events.account.GuardianLinked;
import io.pledge.events.account.PersonalDataAccessed;
import io.pledge.events.account.ProfileChanged;
import io.pledge.events.account.RealNameVerified;
import io.pledge.events.account.SessionsRevoked;
import io.pledge.events.account.StaffAccountChanged;
import io.pledge.events.consent.ConsentExpired;
import io.pledge.events.consent.ConsentGranted;
import io.pledge.events.consent.ConsentRefused;
import io.pledge.events.consent.ConsentRequested;
import io.pledge.events.consent.ConsentStateChanged;
import io.pledge.events.consent.ConsentWithdrawn;
import io.pledge.events.consent.PolicyVersionPublished;
import io.pledge.events.notification.BreachDeclared;
import io.pledge.events.notification.CessationScheduled;
import io.pledge.events.notification.NoticeDelivered;
import io.pledge.events.notification.NoticeFailed;
import io.pledge.events.notification.NoticeRequested;
import io.pledge.events.rights.CorrectionRequested;
import io.pledge.events.rights.ErasureRequested;
import io.pledge.events.rights.ExportRequested;
import io.pledge.events.rights.HolderEscalated;
import io.pledge.events.rights.BreachMeasuresRequested;
import io.pledge.events.rights.HolderOffboardingRequested;
import io.pledge.events.rights.HolderReplied;
import io.pledge.events.rights.ProcessingStopRequested;
import io.pledge.events.rights.RightsRequestCompleted;
import io.pledge.events.rights.RightsRequestExtended;
import io.pledge.events.rights.RightsRequestRefused;
import io.pledge.events.rights.RightsRequestSubmitted;
import io.pledge.events.rights.RightsRequestVerified;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Every event type Pledge publishes, with its topic and schema. Add new types here, never in a service. */
public final class EventTypes {

    // account.events
    public static final EventType<AccountRegistered> ACCOUNT_REGISTERED =
            EventType.of("account", AccountRegistered.class, TopicCatalogue.ACCOUNT_EVENTS, 1);
    public static final EventType<ContactVerified> CONTACT_VERIFIED =
            EventType.of("account", ContactVerified.class, TopicCatalogue.ACCOUNT_EVENTS, 1);
    public static final EventType<ProfileChanged> PROFILE_CHANGED =
            EventType.of("account", ProfileChanged.class, TopicCatalogue.ACCOUNT_EVENTS, 1);
    public static final EventType<RealNameVerified> REAL_NAME_VERIFIED =
            EventType.of("account", RealNameVerified.class, TopicCatalogue.ACCOUNT_EVENTS, 1);
    public static final EventType<GuardianLinked> GUARDIAN_LINKED =
            EventType.of("account", GuardianLinked.class, TopicCatalogue.ACCOUNT_EVENTS, 1);
    public static final EventType<CancellationRequested> CANCELLATION_REQUESTED =
            EventType.of("account", CancellationRequested.class, TopicCatalogue.ACCOUNT_EVENTS, 1);
    public static final EventType<AccountCancelled> ACCOUNT_CANCELLED =
            EventType.of("account", AccountCancelled.class, TopicCatalogue.ACCOUNT_EVENTS, 1);
    public static final EventType<SessionsRevoked> SESSIONS_REVOKED =
            EventType.of("account", SessionsRevoked.class, TopicCatalogue.ACCOUNT_EVENTS, 1);
    public static final EventType<StaffAccountChanged> STAFF_ACCOUNT_CHANGED =
            EventType.of("account", StaffAccountChanged.class, TopicCatalogue.ACCOUNT_EVENTS, 1);

    // consent.events
    public static final EventType<ConsentGranted> CONSENT_GRANTED =
            EventType.of("consent", ConsentGranted.class, TopicCatalogue.CONSENT_EVENTS, 1);
    public static final EventType<ConsentRefused> CONSENT_REFUSED =
            EventType.of("consent", ConsentRefused.class, TopicCatalogue.CONSENT_EVENTS, 1);
    public static final EventType<ConsentWithdrawn> CONSENT_WITHDRAWN =
            EventType.of("consent", ConsentWithdrawn.class, TopicCatalogue.CONSENT_EVENTS, 1);
    public static final EventType<ConsentExpired> CONSENT_EXPIRED =
            EventType.of("consent", ConsentExpired.class, TopicCatalogue.CONSENT_EVENTS, 1);
    public static final EventType<ConsentRequested> CONSENT_REQUESTED =
            EventType.of("consent", ConsentRequested.class, TopicCatalogue.CONSENT_EVENTS, 1);
    public static final EventType<PolicyVersionPublished> POLICY_VERSION_PUBLISHED =
            EventType.of("consent", PolicyVersionPublished.class, TopicCatalogue.CONSENT_EVENTS, 1);

    // consent.state (compacted: the latest per subject)
    public static final EventType<ConsentStateChanged> CONSENT_STATE_CHANGED =
            EventType.of("consent", ConsentStateChanged.class, TopicCatalogue.CONSENT_STATE, 1);

    // rights.commands
    public static final EventType<ErasureRequested> ERASURE_REQUESTED =
            EventType.of("rights", ErasureRequested.class, TopicCatalogue.RIGHTS_COMMANDS, 1);
    public static final EventType<CorrectionRequested> CORRECTION_REQUESTED =
            EventType.of("rights", CorrectionRequested.class, TopicCatalogue.RIGHTS_COMMANDS, 1);
    public static final EventType<ExportRequested> EXPORT_REQUESTED =
            EventType.of("rights", ExportRequested.class, TopicCatalogue.RIGHTS_COMMANDS, 1);
    public static final EventType<ProcessingStopRequested> PROCESSING_STOP_REQUESTED =
            EventType.of("rights", ProcessingStopRequested.class, TopicCatalogue.RIGHTS_COMMANDS, 1);
    public static final EventType<HolderOffboardingRequested> HOLDER_OFFBOARDING_REQUESTED =
            EventType.of("rights", HolderOffboardingRequested.class, TopicCatalogue.RIGHTS_COMMANDS, 1);
    public static final EventType<BreachMeasuresRequested> BREACH_MEASURES_REQUESTED =
            EventType.of("rights", BreachMeasuresRequested.class, TopicCatalogue.RIGHTS_COMMANDS, 1);

    // rights.replies (keyed by request id)
    public static final EventType<HolderReplied> HOLDER_REPLIED =
            EventType.of("rights", HolderReplied.class, TopicCatalogue.RIGHTS_REPLIES, 1);

    // rights-request.events
    public static final EventType<RightsRequestSubmitted> RIGHTS_REQUEST_SUBMITTED =
            EventType.of("rights", RightsRequestSubmitted.class, TopicCatalogue.RIGHTS_REQUEST_EVENTS, 1);
    public static final EventType<RightsRequestVerified> RIGHTS_REQUEST_VERIFIED =
            EventType.of("rights", RightsRequestVerified.class, TopicCatalogue.RIGHTS_REQUEST_EVENTS, 1);
    public static final EventType<RightsRequestExtended> RIGHTS_REQUEST_EXTENDED =
            EventType.of("rights", RightsRequestExtended.class, TopicCatalogue.RIGHTS_REQUEST_EVENTS, 1);
    public static final EventType<RightsRequestRefused> RIGHTS_REQUEST_REFUSED =
            EventType.of("rights", RightsRequestRefused.class, TopicCatalogue.RIGHTS_REQUEST_EVENTS, 1);
    public static final EventType<RightsRequestCompleted> RIGHTS_REQUEST_COMPLETED =
            EventType.of("rights", RightsRequestCompleted.class, TopicCatalogue.RIGHTS_REQUEST_EVENTS, 1);
    public static final EventType<HolderEscalated> HOLDER_ESCALATED =
            EventType.of("rights", HolderEscalated.class, TopicCatalogue.RIGHTS_REQUEST_EVENTS, 1);

    // notification.commands
    public static final EventType<NoticeRequested> NOTICE_REQUESTED =
            EventType.of("notification", NoticeRequested.class, TopicCatalogue.NOTIFICATION_COMMANDS, 1);

    // notification.events
    public static final EventType<NoticeDelivered> NOTICE_DELIVERED =
            EventType.of("notification", NoticeDelivered.class, TopicCatalogue.NOTIFICATION_EVENTS, 1);
    public static final EventType<NoticeFailed> NOTICE_FAILED =
            EventType.of("notification", NoticeFailed.class, TopicCatalogue.NOTIFICATION_EVENTS, 1);
    public static final EventType<BreachDeclared> BREACH_DECLARED =
            EventType.of("notification", BreachDeclared.class, TopicCatalogue.NOTIFICATION_EVENTS, 1);
    public static final EventType<CessationScheduled> CESSATION_SCHEDULED =
            EventType.of("notification", CessationScheduled.class, TopicCatalogue.NOTIFICATION_EVENTS, 1);

    // access.records: every service's reads of personal data; the type keeps the account context it was published in
    public static final EventType<PersonalDataAccessed> PERSONAL_DATA_ACCESSED =
            EventType.of("account", PersonalDataAccessed.class, TopicCatalogue.ACCESS_RECORDS, 1);

    private static final List<EventType<?>> ALL = List.of(
            ACCOUNT_REGISTERED, CONTACT_VERIFIED, PROFILE_CHANGED, REAL_NAME_VERIFIED, GUARDIAN_LINKED,
            CANCELLATION_REQUESTED, ACCOUNT_CANCELLED, SESSIONS_REVOKED, STAFF_ACCOUNT_CHANGED,
            CONSENT_GRANTED, CONSENT_REFUSED, CONSENT_WITHDRAWN, CONSENT_EXPIRED, CONSENT_REQUESTED,
            POLICY_VERSION_PUBLISHED,
            CONSENT_STATE_CHANGED,
            ERASURE_REQUESTED, CORRECTION_REQUESTED, EXPORT_REQUESTED, PROCESSING_STOP_REQUESTED,
            HOLDER_OFFBOARDING_REQUESTED, BREACH_MEASURES_REQUESTED,
            HOLDER_REPLIED,
            RIGHTS_REQUEST_SUBMITTED, RIGHTS_REQUEST_VERIFIED, RIGHTS_REQUEST_EXTENDED, RIGHTS_REQUEST_REFUSED,
            RIGHTS_REQUEST_COMPLETED, HOLDER_ESCALATED,
            NOTICE_REQUESTED,
            NOTICE_DELIVERED, NOTICE_FAILED, BREACH_DECLARED, CESSATION_SCHEDULED,
            PERSONAL_DATA_ACCESSED);

    private static final Map<String, EventType<?>> BY_TYPE =
            ALL.stream().collect(Collectors.toUnmodifiableMap(EventType::type, Function.identity()));
    private static final Map<Class<?>, EventType<?>> BY_CLASS =
            ALL.stream().collect(Collectors.toUnmodifiableMap(EventType::eventClass, Function.identity()));

    private EventTypes() {
    }

    /** Every registered type, grouped by topic in catalogue order. */
    public static List<EventType<?>> all() {
        return ALL;
    }

    /** The descriptor of a {@code ce_type}, if Pledge knows it. */
    public static Optional<EventType<?>> find(String type) {
        return Optional.ofNullable(BY_TYPE.get(type));
    }

    /** The descriptor of an event record class. */
    @SuppressWarnings("unchecked")
    public static <T extends PrivacyEvent> EventType<T> of(Class<T> eventClass) {
        EventType<?> t = BY_CLASS.get(eventClass);
        if (t == null) {
            throw new IllegalArgumentException(eventClass.getName() + " is not a registered event type");
        }
        return (EventType<T>) t;
    }

    /** The event types published on a topic. */
    public static List<EventType<?>> onTopic(String topic) {
        return ALL.stream().filter(t -> t.topic().equals(topic)).toList();
    }
}
