package io.pledge.notification.campaign;

import io.pledge.notification.config.NotificationConfig;
import io.pledge.notification.delivery.Kinds;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Campaigns: created once per reference (an incident, a policy version, a cessation), expanded into
 * deliveries a batch of subjects per transaction in subject-id order (the cursor is saved with the batch,
 * so a restart resumes where it stopped), and completed when no delivery is left to send. A delivery's
 * notice id is derived from (campaign, subject): expanding the same subjects twice inserts nothing, so
 * every subject gets exactly one notice per channel.
 */
@ApplicationScoped
@Transactional
public class Campaigns {

    /** Fired in the transaction that completes a campaign. */
    public record Completed(Campaign campaign, Progress progress) {
    }

    private static final UUID BEFORE_ALL = new UUID(0, 0);

    private final EntityManager em;
    private final NotificationConfig config;
    private final Event<Completed> completed;

    public Campaigns(EntityManager em, NotificationConfig config, Event<Completed> completed) {
        this.em = em;
        this.config = config;
        this.completed = completed;
    }

    /** The campaign for {@code ref}, created on first call; later calls return the first one. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Campaign create(String kind, String ref, String templateId, List<String> channels, Map<String, String> params,
                           Campaign.Audience audience, Instant deadline, Collection<UUID> targets) {
        Optional<Campaign> existing = Campaign.find("ref", ref).firstResultOptional();
        if (existing.isPresent()) {
            return existing.get();
        }
        Campaign c = new Campaign();
        c.id = UUID.randomUUID();
        c.kind = kind;
        c.ref = ref;
        c.templateId = templateId;
        c.channels = channels.toArray(String[]::new);
        c.params = new LinkedHashMap<>(params);
        c.audience = audience.name();
        c.status = "EXPANDING";
        c.deadline = deadline;
        c.createdAt = Instant.now();
        c.persist();
        em.flush();
        if (targets != null) {
            addTargets(c, targets);
        }
        return c;
    }

    /** Adds subjects to a LIST campaign; a subject listed twice is one target. */
    @Transactional(Transactional.TxType.MANDATORY)
    public int addTargets(Campaign c, Collection<UUID> targets) {
        if (targets.isEmpty()) {
            return 0;
        }
        String ids = "{" + String.join(",", targets.stream().map(UUID::toString).toList()) + "}";
        int n = em.createNativeQuery("insert into campaign_target (campaign_id, subject_id) "
                        + "select ?1, s from unnest(cast(?2 as uuid[])) as t(s) on conflict do nothing")
                .setParameter(1, c.id).setParameter(2, ids).executeUpdate();
        if (n > 0) {
            // new ids may sort before the cursor: move it back to just before the smallest new one (the largest
            // target below it); subjects expanded again keep their notice (same notice id), so only new ones get one
            // (uuid order is PostgreSQL's, so it is computed there)
            @SuppressWarnings("unchecked")
            List<UUID> cursor = em.createNativeQuery("select case when c.status = 'EXPANDING' and c.cursor_subject is null then null "
                            + "when b.back is null then null "
                            + "when c.status = 'EXPANDING' and c.cursor_subject < b.back then c.cursor_subject else b.back end "
                            + "from campaign c, (select (select subject_id from campaign_target where campaign_id = ?1 and subject_id < "
                            + "(select s from unnest(cast(?2 as uuid[])) as t(s) order by s limit 1) "
                            + "order by subject_id desc limit 1) as back) b where c.id = ?1", UUID.class)
                    .setParameter(1, c.id).setParameter(2, ids).getResultList();
            c.cursorSubject = cursor.isEmpty() ? null : cursor.get(0);
            c.status = "EXPANDING";
            c.completedAt = null;
        }
        return n;
    }

    /**
     * Expands one batch of the next campaign that has subjects left; returns false when there was nothing
     * to expand. Campaigns are taken with SKIP LOCKED, so instances expand different campaigns.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    @SuppressWarnings("unchecked")
    public boolean expandOne() {
        List<UUID> ids = em.createNativeQuery("select id from campaign where status = 'EXPANDING' order by created_at "
                + "limit 1 for update skip locked", UUID.class).getResultList();
        if (ids.isEmpty()) {
            return false;
        }
        Campaign c = Campaign.findById(ids.get(0));
        int batch = config.campaign().batch();
        String source = switch (Campaign.Audience.valueOf(c.audience)) {
            case LIST -> "select subject_id from campaign_target where campaign_id = ?1 and subject_id > ?2 order by subject_id limit ?3";
            case ACTIVE -> "select subject_id from subject_directory where cast(?1 as uuid) is not null and status = 'ACTIVE' and subject_id > ?2 "
                    + "order by subject_id limit ?3";
            case KNOWN -> "select subject_id from subject_directory where cast(?1 as uuid) is not null and subject_id > ?2 "
                    + "order by subject_id limit ?3";
        };
        UUID cursor = c.cursorSubject == null ? BEFORE_ALL : c.cursorSubject;
        List<UUID> page = em.createNativeQuery(source, UUID.class)
                .setParameter(1, c.id).setParameter(2, cursor).setParameter(3, batch).getResultList();
        if (!page.isEmpty()) {
            em.createNativeQuery("insert into delivery (id, notice_id, subject_id, kind, template_id, channel, locale, params, "
                            + "priority, campaign_id, status, attempts, next_attempt_at, requested_at) "
                            + "select gen_random_uuid(), cast(md5(cast(?1 as text) || cast(t.s as text)) as uuid), t.s, ?2, ?3, ch, "
                            + "coalesce(d.locale, ?4), cast(?5 as jsonb) || jsonb_build_object('campaignId', cast(?1 as text)), "
                            + "?6, ?1, 'PENDING', 0, now(), now() "
                            + "from unnest(cast(?7 as uuid[])) as t(s) cross join unnest(cast(?8 as varchar[])) as ch "
                            + "left join subject_directory d on d.subject_id = t.s "
                            + "on conflict (notice_id, channel) do nothing")
                    .setParameter(1, c.id).setParameter(2, c.kind).setParameter(3, c.templateId)
                    .setParameter(4, config.defaultLocale()).setParameter(5, json(c.params))
                    .setParameter(6, Kinds.priority(c.kind))
                    .setParameter(7, "{" + String.join(",", page.stream().map(UUID::toString).toList()) + "}")
                    .setParameter(8, "{" + String.join(",", c.channels) + "}")
                    .executeUpdate();
            c.cursorSubject = page.get(page.size() - 1);
            c.subjects += page.size();
        }
        if (page.size() < batch) {
            if (Campaign.Audience.LIST.name().equals(c.audience)) {
                c.subjects = ((Number) em.createNativeQuery("select count(*) from campaign_target where campaign_id = ?1")
                        .setParameter(1, c.id).getSingleResult()).intValue();
            }
            c.status = "SENDING";
            c.expandedAt = Instant.now();
            Log.infof("campaign %s (%s) expanded: %d subjects", c.id, c.ref, c.subjects);
        }
        return true;
    }

    /** Completes SENDING campaigns with nothing left to send; returns how many completed. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    @SuppressWarnings("unchecked")
    public int completeFinished() {
        List<UUID> ids = em.createNativeQuery("select c.id from campaign c where c.status = 'SENDING' and not exists "
                + "(select 1 from delivery d where d.campaign_id = c.id and d.status in ('PENDING', 'SENDING')) "
                + "for update skip locked", UUID.class).getResultList();
        for (UUID id : ids) {
            Campaign c = Campaign.findById(id);
            c.status = "DONE";
            c.completedAt = Instant.now();
            Progress p = progress(c);
            Log.infof("campaign %s (%s) done: %d delivered, %d failed, %d subjects unreached", c.id, c.ref, p.delivered(),
                    p.failed(), p.unreachedSubjects());
            completed.fire(new Completed(c, p));
        }
        return ids.size();
    }

    /** A campaign's progress, counted from its deliveries. */
    @Transactional(Transactional.TxType.SUPPORTS)
    @SuppressWarnings("unchecked")
    public Progress progress(Campaign c) {
        List<Object[]> rows = em.createNativeQuery("select channel, status, count(*), count(handed_at) from delivery "
                + "where campaign_id = ?1 group by channel, status").setParameter(1, c.id).getResultList();
        long notices = 0, sent = 0, delivered = 0, failed = 0, remaining = 0, cancelled = 0;
        Map<String, Map<String, Long>> byChannel = new LinkedHashMap<>();
        for (Object[] r : rows) {
            String channel = (String) r[0];
            String status = (String) r[1];
            long n = ((Number) r[2]).longValue();
            notices += n;
            sent += ((Number) r[3]).longValue();
            switch (status) {
                case "SENT" -> delivered += n;
                case "FAILED" -> failed += n;
                case "CANCELLED" -> cancelled += n;
                default -> remaining += n;
            }
            byChannel.computeIfAbsent(channel, k -> new LinkedHashMap<>()).merge(status, n, Long::sum);
        }
        long unreached = ((Number) em.createNativeQuery("select count(*) from (select subject_id from delivery "
                + "where campaign_id = ?1 group by subject_id having bool_and(status in ('FAILED', 'CANCELLED'))) x")
                .setParameter(1, c.id).getSingleResult()).longValue();
        String status = c.status;
        return new Progress(status, c.subjects, notices, sent, delivered, failed, remaining, cancelled, unreached, byChannel);
    }

    private static String json(Map<String, String> params) {
        try {
            return io.pledge.events.EventJson.mapper().writeValueAsString(params);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
