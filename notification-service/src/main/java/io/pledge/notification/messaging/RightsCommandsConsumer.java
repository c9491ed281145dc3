package io.pledge.notification.messaging;

import io.pledge.events.rights.BreachMeasuresRequested;
import io.pledge.events.rights.CorrectionRequested;
import io.pledge.events.rights.ErasureRequested;
import io.pledge.events.rights.ExportRequested;
import io.pledge.events.rights.ProcessingStopRequested;
import io.pledge.kit.inbox.EventHandlers;
import io.pledge.kit.inbox.Inbox;
import io.pledge.notification.holder.RightsHolder;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** rights.commands addressed to notification-service: erasure, correction, export, processing stop, breach measures. */
@ApplicationScoped
public class RightsCommandsConsumer {

    static final String CHANNEL = "rights-commands";

    private final Inbox inbox;
    private final RightsHolder holder;

    public RightsCommandsConsumer(Inbox inbox, RightsHolder holder) {
        this.inbox = inbox;
        this.holder = holder;
    }

    @Incoming(CHANNEL)
    @Blocking
    public void consume(ConsumerRecords<String, byte[]> records) {
        inbox.handle(CHANNEL, records, EventHandlers.create()
                .on(ErasureRequested.class, (env, e) -> {
                    if (RightsHolder.addressedHere(e.holderIds())) {
                        holder.erase(e);
                    }
                })
                .on(CorrectionRequested.class, (env, e) -> {
                    if (RightsHolder.addressedHere(e.holderIds())) {
                        holder.correct(e);
                    }
                })
                .on(ExportRequested.class, (env, e) -> {
                    if (RightsHolder.addressedHere(e.holderIds())) {
                        holder.export(e);
                    }
                })
                .on(ProcessingStopRequested.class, (env, e) -> {
                    if (RightsHolder.addressedHere(e.holderIds())) {
                        holder.stop(e);
                    }
                })
                .on(BreachMeasuresRequested.class, (env, e) -> {
                    if (RightsHolder.addressedHere(e.holderIds())) {
                        holder.breachMeasures(e);
                    }
                }));
    }
}
