package io.pledge.rights.messaging;

import io.pledge.events.rights.HolderReplied;
import io.pledge.kit.inbox.EventHandlers;
import io.pledge.kit.inbox.Inbox;
import io.pledge.rights.ledger.Propagation;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** rights.replies: every holder's reply, recorded in the propagation ledger. */
@ApplicationScoped
public class RepliesConsumer {

    static final String CHANNEL = "rights-replies";

    private final Inbox inbox;
    private final Propagation propagation;

    public RepliesConsumer(Inbox inbox, Propagation propagation) {
        this.inbox = inbox;
        this.propagation = propagation;
    }

    @Incoming(CHANNEL)
    @Blocking
    public void consume(ConsumerRecords<String, byte[]> records) {
        inbox.handle(CHANNEL, records, EventHandlers.create()
                .on(HolderReplied.class, (env, e) -> propagation.onReply(e, env.id(), "KAFKA")));
    }
}
