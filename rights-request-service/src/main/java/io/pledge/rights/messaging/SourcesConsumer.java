package io.pledge.rights.messaging;

import io.pledge.events.account.AccountCancelled;
import io.pledge.events.account.AccountRegistered;
import io.pledge.events.account.GuardianLinked;
import io.pledge.events.consent.ConsentWithdrawn;
import io.pledge.events.notification.BreachDeclared;
import io.pledge.events.notification.CessationScheduled;
import io.pledge.kit.inbox.EventHandlers;
import io.pledge.kit.inbox.Inbox;
import io.pledge.rights.guardian.GuardianLinks;
import io.pledge.rights.ledger.Intake;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** account.events, consent.events and notification.events: the events that start propagations here. */
@ApplicationScoped
public class SourcesConsumer {

    static final String CHANNEL = "sources";

    private final Inbox inbox;
    private final Intake intake;
    private final GuardianLinks guardians;

    public SourcesConsumer(Inbox inbox, Intake intake, GuardianLinks guardians) {
        this.inbox = inbox;
        this.intake = intake;
        this.guardians = guardians;
    }

    @Incoming(CHANNEL)
    @Blocking
    public void consume(ConsumerRecords<String, byte[]> records) {
        inbox.handle(CHANNEL, records, EventHandlers.create()
                .on(AccountRegistered.class, (env, e) -> intake.registered(e.subjectId(), e.registeredAt()))
                .on(AccountCancelled.class, (env, e) -> intake.cancelled(e))
                .on(GuardianLinked.class, (env, e) -> guardians.linked(e))
                .on(ConsentWithdrawn.class, (env, e) -> intake.withdrawn(e))
                .on(BreachDeclared.class, (env, e) -> intake.breach(e))
                .on(CessationScheduled.class, (env, e) -> intake.cessationScheduled(e)));
    }
}
