package io.pledge.notification.messaging;

import io.pledge.events.consent.ConsentRequested;
import io.pledge.events.consent.ConsentWithdrawn;
import io.pledge.events.consent.PolicyVersionPublished;
import io.pledge.kit.inbox.EventHandlers;
import io.pledge.kit.inbox.Inbox;
import io.pledge.notification.consent.ConsentRequestNotices;
import io.pledge.notification.delivery.DeliveryStore;
import io.pledge.notification.delivery.Kinds;
import io.pledge.notification.policy.PolicyNotices;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * consent.events: a material policy version starts its notices (9.2); a withdrawn marketing purpose cancels
 * the subject's pending marketing at once (2.2.3) — the send-time consent check would stop it anyway; a consent
 * request becomes the subject's notice asking them to answer it (2.3, 9.2).
 */
@ApplicationScoped
public class ConsentEventsConsumer {

    static final String CHANNEL = "consent-events";

    private final Inbox inbox;
    private final PolicyNotices policy;
    private final DeliveryStore deliveries;
    private final ConsentRequestNotices requests;

    public ConsentEventsConsumer(Inbox inbox, PolicyNotices policy, DeliveryStore deliveries, ConsentRequestNotices requests) {
        this.inbox = inbox;
        this.policy = policy;
        this.deliveries = deliveries;
        this.requests = requests;
    }

    @Incoming(CHANNEL)
    @Blocking
    public void consume(ConsumerRecords<String, byte[]> records) {
        inbox.handle(CHANNEL, records, EventHandlers.create()
                .on(PolicyVersionPublished.class, (env, e) -> policy.published(e))
                .on(ConsentRequested.class, (env, e) -> requests.requested(e))
                .on(ConsentWithdrawn.class, (env, e) -> {
                    if (Kinds.MARKETING_PURPOSES.contains(e.purposeId())) {
                        deliveries.cancelMarketing(e.subjectId(), e.purposeId());
                    }
                }));
    }
}
