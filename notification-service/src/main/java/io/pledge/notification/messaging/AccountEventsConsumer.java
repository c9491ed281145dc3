package io.pledge.notification.messaging;

import io.pledge.events.account.AccountCancelled;
import io.pledge.events.account.AccountRegistered;
import io.pledge.kit.inbox.EventHandlers;
import io.pledge.kit.inbox.Inbox;
import io.pledge.notification.directory.SubjectDirectory;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** account.events: the subject directory (ids, locale, status) that "every subject" notices address. */
@ApplicationScoped
public class AccountEventsConsumer {

    static final String CHANNEL = "account-events";

    private final Inbox inbox;
    private final SubjectDirectory directory;

    public AccountEventsConsumer(Inbox inbox, SubjectDirectory directory) {
        this.inbox = inbox;
        this.directory = directory;
    }

    @Incoming(CHANNEL)
    @Blocking
    public void consume(ConsumerRecords<String, byte[]> records) {
        inbox.handle(CHANNEL, records, EventHandlers.create()
                .on(AccountRegistered.class, (env, e) -> directory.registered(e))
                .on(AccountCancelled.class, (env, e) -> directory.cancelled(e)));
    }
}
