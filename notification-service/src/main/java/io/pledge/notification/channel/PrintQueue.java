package io.pledge.notification.channel;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.util.UUID;

/**
 * Letters: the rendered letter is queued in {@code print_job} (subject id and text, no address) and a
 * print provider, itself a registered holder, exports the queue ({@code GET /internal/v1/print-jobs})
 * and reads the postal address from account-service for printing. Queued counts as accepted.
 */
@ApplicationScoped
public class PrintQueue implements ChannelProvider {

    private final EntityManager em;

    public PrintQueue(EntityManager em) {
        this.em = em;
    }

    @Override
    public boolean handles(String channel) {
        return "LETTER".equals(channel);
    }

    @Override
    public SendResult send(OutboundMessage m) {
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("insert into print_job (id, delivery_id, subject_id, "
                        + "locale, subject_line, body, queued_at) values (?1, ?2, ?3, ?4, ?5, ?6, ?7) on conflict (delivery_id) do nothing")
                .setParameter(1, UUID.randomUUID()).setParameter(2, m.deliveryId()).setParameter(3, m.subjectId())
                .setParameter(4, m.locale()).setParameter(5, m.message().subject()).setParameter(6, m.message().text())
                .setParameter(7, Instant.now()).executeUpdate());
        return SendResult.accepted();
    }
}
