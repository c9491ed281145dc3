package io.pledge.notification.marketing;

import io.pledge.events.notification.NoticeRequested;
import io.pledge.kit.problem.ProblemException;
import io.pledge.kit.problem.ProblemType;
import io.pledge.notification.config.NotificationConfig;
import io.pledge.notification.delivery.DeliveryStore;
import io.pledge.notification.delivery.Kinds;
import io.pledge.notification.idempotency.IdempotentRequests;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Marketing sent on a marketing team's behalf (policy 2.2.3, 3.2). Each subject's notice becomes ordinary MARKETING
 * deliveries, so every rule of the delivery path holds for it: consent-service is asked per channel at send time
 * (fail closed), a withdrawal or a processing stop cancels what is still pending, every message carries the one-click
 * unsubscribe link, and the open pixel and click tracking are added only with email-tracking consent.
 */
@ApplicationScoped
public class Marketing {

    /** What a message became: one notice per subject (the ids the team sees in NoticeDelivered/NoticeFailed). */
    public record Accepted(UUID messageId, String offerId, List<String> channels, List<Notice> notices) {
    }

    public record Notice(UUID subjectId, UUID noticeId) {
    }

    /** A message's outcome so far, counted over its deliveries: by status, and failures by reason. */
    public record Outcome(UUID messageId, String offerId, List<String> channels, int notices, Map<String, Long> deliveries,
                          Map<String, Long> failedBecause, Instant createdAt) {
    }

    private final EntityManager em;
    private final DeliveryStore deliveries;
    private final IdempotentRequests idempotent;
    private final String defaultLocale;

    public Marketing(EntityManager em, DeliveryStore deliveries, IdempotentRequests idempotent, NotificationConfig config) {
        this.em = em;
        this.deliveries = deliveries;
        this.idempotent = idempotent;
        this.defaultLocale = config.defaultLocale();
    }

    @Transactional
    public Accepted send(String holderClient, MarketingMessage m, String idempotencyKey) {
        return idempotent.once("marketing:" + holderClient, idempotencyKey, Accepted.class, () -> {
            UUID id = UUID.randomUUID();
            Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
            List<String> channels = List.copyOf(new LinkedHashSet<>(m.channels()));
            List<UUID> subjects = List.copyOf(new LinkedHashSet<>(m.subjectIds()));
            em.createNativeQuery("insert into marketing_message (id, holder_id, offer_id, channels, notices, created_at) "
                            + "values (?1, ?2, ?3, ?4, ?5, ?6)")
                    .setParameter(1, id).setParameter(2, holderClient).setParameter(3, m.offerId())
                    .setParameter(4, String.join(",", channels)).setParameter(5, subjects.size()).setParameter(6, now)
                    .executeUpdate();
            List<Notice> notices = new ArrayList<>(subjects.size());
            for (UUID subject : subjects) {
                UUID notice = UUID.randomUUID();
                em.createNativeQuery("insert into marketing_notice (message_id, notice_id) values (?1, ?2)")
                        .setParameter(1, id).setParameter(2, notice).executeUpdate();
                // the subject's own language replaces the default when the delivery looks the contact up
                deliveries.request(new NoticeRequested(notice, subject, Kinds.MARKETING, "marketing-offer", channels,
                        defaultLocale, Map.of("offerId", m.offerId(), "offerUrl", m.offerUrl()), now));
                notices.add(new Notice(subject, notice));
            }
            Log.infof("marketing message %s of %s: %d notices on %s", id, holderClient, notices.size(), channels);
            return new Accepted(id, m.offerId(), channels, notices);
        });
    }

    /** The message's outcome, for the team that sent it only (another caller learns nothing, not even that it exists). */
    @Transactional(Transactional.TxType.SUPPORTS)
    @SuppressWarnings("unchecked")
    public Outcome outcome(String holderClient, UUID id) {
        List<Object[]> rows = em.createNativeQuery("select offer_id, channels, notices, created_at from marketing_message "
                + "where id = ?1 and holder_id = ?2").setParameter(1, id).setParameter(2, holderClient).getResultList();
        if (rows.isEmpty()) {
            throw new ProblemException(ProblemType.NOT_FOUND, "No such marketing message of this client.");
        }
        Object[] r = rows.get(0);
        Map<String, Long> byStatus = new LinkedHashMap<>();
        Map<String, Long> byReason = new LinkedHashMap<>();
        List<Object[]> counts = em.createNativeQuery("select d.status, d.reason_code, count(*) from delivery d "
                + "join marketing_notice n on n.notice_id = d.notice_id where n.message_id = ?1 "
                + "group by d.status, d.reason_code order by d.status, d.reason_code").setParameter(1, id).getResultList();
        for (Object[] c : counts) {
            long n = ((Number) c[2]).longValue();
            byStatus.merge((String) c[0], n, Long::sum);
            if ("FAILED".equals(c[0]) || "CANCELLED".equals(c[0])) {
                byReason.merge(c[1] == null ? "UNKNOWN" : (String) c[1], n, Long::sum);
            }
        }
        Instant created = r[3] instanceof java.time.OffsetDateTime t ? t.toInstant() : r[3] instanceof Instant i ? i
                : ((java.sql.Timestamp) r[3]).toInstant();
        return new Outcome(id, (String) r[0], List.of(((String) r[1]).split(",")), ((Number) r[2]).intValue(), byStatus,
                byReason, created);
    }
}
