package io.pledge.consent.messaging;

import io.pledge.consent.ledger.ConsentLedger;
import io.pledge.consent.ledger.Subjects;
import io.pledge.events.account.AccountCancelled;
import io.pledge.events.account.AccountRegistered;
import io.pledge.events.account.GuardianLinked;
import io.pledge.kit.inbox.EventHandlers;
import io.pledge.kit.inbox.Inbox;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** account.events: which subjects are minors and who their guardian is (policy 7). */
@ApplicationScoped
public class AccountEventsConsumer {

    static final String CHANNEL = "account-events";

    private final Inbox inbox;
    private final Subjects subjects;
    private final ConsentLedger ledger;

    public AccountEventsConsumer(Inbox inbox, Subjects subjects, ConsentLedger ledger) {
        this.inbox = inbox;
        this.subjects = subjects;
        this.ledger = ledger;
    }

    @Incoming(CHANNEL)
    @Blocking
    public void consume(ConsumerRecords<String, byte[]> records) {
        inbox.handle(CHANNEL, records, EventHandlers.create()
                .on(AccountRegistered.class, (env, e) -> subjects.registered(e.subjectId(), e.minor()))
                .on(GuardianLinked.class, (env, e) -> subjects.guardianLinked(e.subjectId(), e.guardianId()))
                .on(AccountCancelled.class, (env, e) -> ledger.accountCancelled(e.subjectId(), e.cancelledAt())));
    }
}
