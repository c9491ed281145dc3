package io.pledge.rights.webhook;

import io.pledge.kit.tx.AfterCommit;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.UUID;

/** Queues signed HTTPS calls to webhook holders in the caller's transaction; {@link WebhookSender} delivers them. */
@ApplicationScoped
public class WebhookDeliveries {

    /** The kind of a delivery that carries an assembled export package to a transfer recipient (policy 6.6). */
    public static final String TRANSFER_PACKAGE = "TRANSFER_PACKAGE";

    private final EntityManager em;
    private final TransactionSynchronizationRegistry transactions;
    private final WebhookWake wake;

    public WebhookDeliveries(EntityManager em, TransactionSynchronizationRegistry transactions, WebhookWake wake) {
        this.em = em;
        this.transactions = transactions;
        this.wake = wake;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void enqueue(String holderId, UUID requestId, String kind, String body) {
        em.createNativeQuery("insert into webhook_delivery (id, holder_id, request_id, kind, body, next_at) "
                        + "values (?1, ?2, ?3, ?4, ?5, ?6)")
                .setParameter(1, UUID.randomUUID()).setParameter(2, holderId).setParameter(3, requestId)
                .setParameter(4, kind).setParameter(5, body).setParameter(6, Instant.now()).executeUpdate();
        AfterCommit.run(transactions, wake::signal);
    }
}
