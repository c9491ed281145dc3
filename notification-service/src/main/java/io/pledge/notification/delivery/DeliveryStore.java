package io.pledge.notification.delivery;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pledge.events.notification.NoticeDelivered;
import io.pledge.events.notification.NoticeFailed;
import io.pledge.events.notification.NoticeRequested;
import io.pledge.kit.outbox.Outbox;
import io.pledge.notification.config.NotificationConfig;
import io.pledge.notification.template.Templates;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The durable state of deliveries: requests become rows de-duplicated by (notice id, channel); workers
 * claim due rows with {@code SELECT … FOR UPDATE SKIP LOCKED} and a lease; outcomes are recorded with their
 * {@code NoticeDelivered} / {@code NoticeFailed} in the same transaction (through the outbox).
 */
@ApplicationScoped
@Transactional
public class DeliveryStore {

    private final EntityManager em;
    private final Outbox outbox;
    private final Templates templates;
    private final ObjectMapper json;
    private final NotificationConfig.Delivery config;

    public DeliveryStore(EntityManager em, Outbox outbox, Templates templates, ObjectMapper json, NotificationConfig config) {
        this.em = em;
        this.outbox = outbox;
        this.templates = templates;
        this.json = json;
        this.config = config.delivery();
    }

    /**
     * Stores a requested notice, one row per channel; a notice id seen before adds nothing. An unknown
     * template fails at once ({@code NoticeFailed}, UNKNOWN_TEMPLATE). Returns the rows inserted.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public int request(NoticeRequested n) {
        boolean known = templates.exists(n.templateId());
        int inserted = 0;
        Instant now = Instant.now();
        for (String channel : n.channels()) {
            UUID id = UUID.randomUUID();
            int rows = em.createNativeQuery("insert into delivery (id, notice_id, subject_id, kind, template_id, channel, "
                            + "locale, params, priority, status, attempts, next_attempt_at, requested_at, reason_code, failed_at) "
                            + "values (?1, ?2, ?3, ?4, ?5, ?6, ?7, cast(?8 as jsonb), ?9, ?10, ?15, ?11, ?12, ?13, ?14) "
                            + "on conflict (notice_id, channel) do nothing")
                    .setParameter(1, id).setParameter(2, n.noticeId()).setParameter(3, n.subjectId())
                    .setParameter(4, n.kind()).setParameter(5, n.templateId()).setParameter(6, channel)
                    .setParameter(7, n.locale()).setParameter(8, toJson(n.params()))
                    .setParameter(9, Kinds.priority(n.kind())).setParameter(10, known ? "PENDING" : "FAILED")
                    .setParameter(11, now).setParameter(12, n.requestedAt() == null ? now : n.requestedAt())
                    .setParameter(13, known ? null : "UNKNOWN_TEMPLATE").setParameter(14, known ? null : now)
                    .setParameter(15, known ? 0 : 1)
                    .executeUpdate();
            inserted += rows;
            if (rows == 1 && !known) {
                Log.warnf("notice %s asks for unknown template %s; failed", n.noticeId(), n.templateId());
                outbox.publish(new NoticeFailed(n.noticeId(), n.subjectId(), channel, "UNKNOWN_TEMPLATE", 1, now));
            }
        }
        return inserted;
    }

    /**
     * Claims up to {@code max} due deliveries (pending and due, or sending with an expired lease, i.e. a
     * worker that stopped mid-batch) for this worker: they are SENDING until {@code lease} passes.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    @SuppressWarnings("unchecked")
    public List<Delivery> claim(int max) {
        Instant now = Instant.now();
        List<UUID> ids = new ArrayList<>(em.createNativeQuery("select id from delivery where status = 'SENDING' "
                        + "and lease_until < ?1 order by lease_until limit ?2 for update skip locked", UUID.class)
                .setParameter(1, now).setParameter(2, max).getResultList());
        if (ids.size() < max) {
            ids.addAll(em.createNativeQuery("select id from delivery where status = 'PENDING' and next_attempt_at <= ?1 "
                            + "order by priority, next_attempt_at limit ?2 for update skip locked", UUID.class)
                    .setParameter(1, now).setParameter(2, max - ids.size()).getResultList());
        }
        if (ids.isEmpty()) {
            return List.of();
        }
        em.createNativeQuery("update delivery set status = 'SENDING', attempts = attempts + 1, lease_until = ?1 "
                        + "where id in (?2)")
                .setParameter(1, now.plus(config.lease())).setParameter(2, ids).executeUpdate();
        em.clear();
        List<Delivery> out = Delivery.list("id in ?1 order by priority, nextAttemptAt", ids);
        out.forEach(em::detach);
        return out;
    }

    /**
     * Extends the lease of those of {@code ids} this worker still holds (SENDING): a live worker whose sends queue
     * behind others keeps its claim, and only a worker that stopped lets its rows be taken over.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public int renew(List<UUID> ids) {
        if (ids.isEmpty()) {
            return 0;
        }
        return em.createNativeQuery("update delivery set lease_until = ?1 where id in (?2) and status = 'SENDING'")
                .setParameter(1, Instant.now().plus(config.lease())).setParameter(2, ids).executeUpdate();
    }

    /** The provider accepted it: SENT (with the locale it was written in) and {@code NoticeDelivered}. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void sent(Delivery d, boolean tracked) {
        Instant now = Instant.now();
        int rows = em.createNativeQuery("update delivery set status = 'SENT', sent_at = ?2, handed_at = coalesce(handed_at, ?2), "
                        + "lease_until = null, reason_code = null, tracked = ?3, locale = ?4 where id = ?1 and status = 'SENDING'")
                .setParameter(1, d.id).setParameter(2, now).setParameter(3, tracked).setParameter(4, d.locale)
                .executeUpdate();
        if (rows == 1) {
            outbox.publish(new NoticeDelivered(d.noticeId, d.subjectId, d.channel, now));
        }
    }

    /** A message its provider accepted, waiting for its SENT to be recorded. */
    public record Sent(Delivery delivery, boolean tracked) {
    }

    /**
     * Several providers accepted messages at the same time: SENT (with the locale each was written in) and one
     * {@code NoticeDelivered} each, in one transaction (one commit for the group instead of one per message). A
     * delivery no longer SENDING (taken over, cancelled) is left as it is and publishes nothing.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    @SuppressWarnings("unchecked")
    public void sentAll(List<Sent> group) {
        if (group.isEmpty()) {
            return;
        }
        Instant now = Instant.now();
        List<UUID> updated = em.createNativeQuery("update delivery d set status = 'SENT', sent_at = ?1, "
                        + "handed_at = coalesce(d.handed_at, ?1), lease_until = null, reason_code = null, "
                        + "tracked = (d.id = any(cast(?3 as uuid[]))), locale = v.locale "
                        + "from unnest(cast(?2 as uuid[]), cast(?4 as varchar[])) as v(id, locale) "
                        + "where d.id = v.id and d.status = 'SENDING' returning d.id", UUID.class)
                .setParameter(1, now)
                .setParameter(2, uuidArray(group.stream().map(x -> x.delivery().id).toList()))
                .setParameter(3, uuidArray(group.stream().filter(Sent::tracked).map(x -> x.delivery().id).toList()))
                .setParameter(4, textArray(group.stream().map(x -> x.delivery().locale).toList()))
                .getResultList();
        java.util.Set<UUID> done = new java.util.HashSet<>(updated);
        for (Sent x : group) {
            Delivery d = x.delivery();
            if (done.contains(d.id)) {
                outbox.publish(new NoticeDelivered(d.noticeId, d.subjectId, d.channel, now));
            }
        }
    }

    private static String uuidArray(List<UUID> ids) {
        return "{" + String.join(",", ids.stream().map(UUID::toString).toList()) + "}";
    }

    /** A PostgreSQL array literal of texts, each element quoted. */
    private static String textArray(List<String> values) {
        return "{" + String.join(",", values.stream()
                .map(v -> "\"" + v.replace("\\", "\\\\").replace("\"", "\\\"") + "\"").toList()) + "}";
    }

    /** A failure that may pass: retried with back-off, or failed for good after the last attempt. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void retry(Delivery d, String reasonCode, boolean handed) {
        if (d.attempts >= config.maxAttempts()) {
            fail(d, reasonCode, handed);
            return;
        }
        Duration backoff = config.initialBackoff().multipliedBy(1L << Math.min(20, Math.max(0, d.attempts - 1)));
        if (backoff.compareTo(config.maxBackoff()) > 0) {
            backoff = config.maxBackoff();
        }
        Instant now = Instant.now();
        em.createNativeQuery("update delivery set status = 'PENDING', next_attempt_at = ?2, lease_until = null, "
                        + "reason_code = ?3, handed_at = case when ?4 then coalesce(handed_at, ?5) else handed_at end, "
                        + "locale = ?6 where id = ?1 and status = 'SENDING'")
                .setParameter(1, d.id).setParameter(2, now.plus(backoff)).setParameter(3, reasonCode)
                .setParameter(4, handed).setParameter(5, now).setParameter(6, d.locale).executeUpdate();
        Log.debugf("delivery %s (notice %s, %s) attempt %d failed with %s; next in %s", d.id, d.noticeId, d.channel,
                d.attempts, reasonCode, backoff);
    }

    /** Failed for good: FAILED and {@code NoticeFailed}. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void fail(Delivery d, String reasonCode, boolean handed) {
        Instant now = Instant.now();
        int rows = em.createNativeQuery("update delivery set status = 'FAILED', failed_at = ?2, lease_until = null, "
                        + "reason_code = ?3, handed_at = case when ?4 then coalesce(handed_at, ?2) else handed_at end, "
                        + "locale = ?5 where id = ?1 and status = 'SENDING'")
                .setParameter(1, d.id).setParameter(2, now).setParameter(3, reasonCode).setParameter(4, handed)
                .setParameter(5, d.locale).executeUpdate();
        if (rows == 1) {
            Log.infof("notice %s on %s failed after %d attempt(s): %s", d.noticeId, d.channel, d.attempts, reasonCode);
            outbox.publish(new NoticeFailed(d.noticeId, d.subjectId, d.channel, reasonCode, d.attempts, now));
        }
    }

    /** A claimed delivery that should not be sent after all (cancelled meanwhile): back to its state untouched. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void cancel(Delivery d, String reasonCode) {
        em.createNativeQuery("update delivery set status = 'CANCELLED', lease_until = null, reason_code = ?2 "
                        + "where id = ?1 and status = 'SENDING'")
                .setParameter(1, d.id).setParameter(2, reasonCode).executeUpdate();
    }

    /** Cancels a subject's marketing not sent yet, for one marketing purpose's channels or all; returns how many. */
    @Transactional(Transactional.TxType.MANDATORY)
    public int cancelMarketing(UUID subject, String purposeId) {
        List<String> channels = switch (purposeId == null ? "" : purposeId) {
            case "marketing-email" -> List.of("EMAIL");
            case "marketing-phone" -> List.of("SMS", "PHONE");
            default -> Kinds.CHANNELS;
        };
        return em.createNativeQuery("update delivery set status = 'CANCELLED', reason_code = 'CONSENT_WITHDRAWN', "
                        + "lease_until = null where subject_id = ?1 and kind = 'MARKETING' and status = 'PENDING' "
                        + "and channel in (?2)")
                .setParameter(1, subject).setParameter(2, channels).executeUpdate();
    }

    private String toJson(Map<String, String> params) {
        try {
            return json.writeValueAsString(params == null ? Map.of() : params);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("params cannot be serialised", e);
        }
    }
}
