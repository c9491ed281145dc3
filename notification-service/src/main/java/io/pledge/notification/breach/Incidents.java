package io.pledge.notification.breach;

import io.pledge.events.notification.BreachDeclared;
import io.pledge.kit.outbox.Outbox;
import io.pledge.kit.problem.ProblemException;
import io.pledge.kit.problem.ProblemType;
import io.pledge.notification.announcement.Announcement;
import io.pledge.notification.announcement.Announcements;
import io.pledge.notification.campaign.Campaign;
import io.pledge.notification.campaign.Campaigns;
import io.pledge.notification.campaign.NoticeTexts;
import io.pledge.notification.campaign.Progress;
import io.pledge.notification.config.NotificationConfig;
import io.pledge.notification.delivery.Kinds;
import io.pledge.notification.idempotency.IdempotentRequests;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Breach incidents (policy 5.3): declaring one stores it, publishes {@code BreachDeclared} (so every holder
 * takes its own measures) and starts its campaign — one notice per affected subject per channel with all
 * five parts — or, when individual notice is impractical, the public announcement. A campaign that ends with
 * subjects reached on no channel publishes the announcement as their fallback.
 */
@ApplicationScoped
@Transactional
public class Incidents {

    private final EntityManager em;
    private final Outbox outbox;
    private final Campaigns campaigns;
    private final Announcements announcements;
    private final IdempotentRequests idempotent;
    private final NotificationConfig config;

    public Incidents(EntityManager em, Outbox outbox, Campaigns campaigns, Announcements announcements,
                     IdempotentRequests idempotent, NotificationConfig config) {
        this.em = em;
        this.outbox = outbox;
        this.campaigns = campaigns;
        this.announcements = announcements;
        this.idempotent = idempotent;
        this.config = config;
    }

    public IncidentView declare(Declaration d, String officer, String idempotencyKey) {
        UUID id = idempotent.once("incident", idempotencyKey, UUID.class, () -> create(d, officer));
        return view(id);
    }

    private UUID create(Declaration d, String officer) {
        List<String> categories = List.copyOf(new LinkedHashSet<>(d.categories()));
        boolean bySubjects = "SUBJECTS".equals(d.affectedBy());
        Set<UUID> subjects = d.affectedSubjects() == null ? Set.of() : new LinkedHashSet<>(d.affectedSubjects());
        if (bySubjects && subjects.isEmpty()) {
            throw new ProblemException(ProblemType.INVALID_INPUT, "Name the affected subjects, or declare by categories.",
                    "affectedSubjects");
        }
        if (!bySubjects && !subjects.isEmpty()) {
            throw new ProblemException(ProblemType.INVALID_INPUT, "Affected subjects are listed only with affectedBy SUBJECTS.",
                    "affectedSubjects");
        }
        if (!bySubjects && categories.stream().noneMatch(config.breach().accountCategories()::contains)) {
            throw new ProblemException(ProblemType.UNPROCESSABLE, "No subject can be resolved here for these categories "
                    + "(every account holds " + String.join(", ", config.breach().accountCategories())
                    + "); list the affected subjects instead.", "categories");
        }
        if (d.occurredAt() != null && d.discoveredAt() != null && d.discoveredAt().isBefore(d.occurredAt())) {
            throw new ProblemException(ProblemType.UNPROCESSABLE, "An incident cannot be discovered before it occurred.",
                    "discoveredAt");
        }
        List<String> channels = d.channels() == null || d.channels().isEmpty() ? config.breach().defaultChannels()
                : List.copyOf(new LinkedHashSet<>(d.channels()));
        Incident i = new Incident();
        i.id = UUID.randomUUID();
        i.declaredBy = officer;
        i.declaredAt = Instant.now();
        i.occurredAt = d.occurredAt();
        i.discoveredAt = d.discoveredAt();
        Map<String, Map<String, String>> parts = new LinkedHashMap<>();
        for (String p : NoticeTexts.INCIDENT_PARTS) {
            parts.put(p, d.parts().get(p).byLocale());
        }
        i.parts = parts;
        i.categories = categories.toArray(String[]::new);
        i.affectedBy = d.affectedBy();
        i.channels = channels.toArray(String[]::new);
        i.individualImpractical = Boolean.TRUE.equals(d.individualNoticeImpractical());
        i.affectedSubjects = bySubjects ? subjects.size()
                : ((Number) em.createNativeQuery("select count(*) from subject_directory").getSingleResult()).intValue();
        i.persist();
        em.flush();
        if (i.individualImpractical) {
            announce(i);
        } else {
            Campaign c = campaigns.create(Kinds.BREACH, "incident:" + i.id, "breach-notice", channels,
                    Map.of("incidentId", i.id.toString()), bySubjects ? Campaign.Audience.LIST : Campaign.Audience.KNOWN,
                    null, bySubjects ? subjects : null);
            i.campaignId = c.id;
        }
        outbox.publish(new BreachDeclared(i.id, categories, i.affectedSubjects, i.declaredAt));
        Log.infof("incident %s declared by %s: %d subjects affected (%s), categories %s", i.id, officer,
                i.affectedSubjects, i.affectedBy, categories);
        return i.id;
    }

    /** Adds affected subjects to an incident declared by subject list; each new one gets its notices. */
    public IncidentView addSubjects(UUID id, List<UUID> subjects) {
        Incident i = find(id);
        if (!"SUBJECTS".equals(i.affectedBy) || i.campaignId == null) {
            throw new ProblemException(ProblemType.CONFLICT, "This incident is not notified by subject list.", "affectedSubjects");
        }
        // locked, so that the expander (which skips locked campaigns) never interleaves with the cursor change
        Campaign c = Campaign.findById(i.campaignId, jakarta.persistence.LockModeType.PESSIMISTIC_WRITE);
        int added = campaigns.addTargets(c, new LinkedHashSet<>(subjects));
        i.affectedSubjects += added;
        return view(id);
    }

    /** Publishes the incident's public announcement now (the officer's decision). */
    public IncidentView announceNow(UUID id) {
        announce(find(id));
        return view(id);
    }

    /** The fallback: subjects reached on no channel learn of the incident from the announcement. */
    void onCampaignCompleted(@Observes Campaigns.Completed done) {
        if (!Kinds.BREACH.equals(done.campaign().kind) || done.progress().unreachedSubjects() == 0) {
            return;
        }
        Incident i = Incident.find("campaignId", done.campaign().id).firstResult();
        if (i != null) {
            Log.infof("incident %s: %d subjects unreached on every channel; announcement published", i.id,
                    done.progress().unreachedSubjects());
            announce(i);
        }
    }

    private void announce(Incident i) {
        if (i.announcementId != null) {
            return;
        }
        Map<String, String> title = new LinkedHashMap<>();
        Map<String, String> body = new LinkedHashMap<>();
        Map<String, List<String>> headings = Map.of(
                "zh-CN", List.of("事件情况", "可能造成的影响", "已采取的处置措施", "自主防范和降低风险的建议", "补救措施"),
                "en", List.of("What happened", "Possible effects", "Measures taken", "How to protect yourself", "Remedies"));
        for (String locale : List.of("zh-CN", "en")) {
            title.put(locale, i.parts.get("title").get(locale));
            StringBuilder b = new StringBuilder();
            List<String> names = NoticeTexts.INCIDENT_PARTS.subList(1, 6);
            for (int k = 0; k < names.size(); k++) {
                b.append(headings.get(locale).get(k)).append('\n').append(i.parts.get(names.get(k)).get(locale)).append("\n\n");
            }
            b.append("incident ").append(i.id);
            body.put(locale, b.toString());
        }
        Announcement a = announcements.publish("BREACH", "incident:" + i.id, title, body);
        i.announcementId = a.id;
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Incident find(UUID id) {
        Incident i = Incident.findById(id);
        if (i == null) {
            throw new ProblemException(ProblemType.NOT_FOUND, "No such incident.");
        }
        return i;
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public IncidentView view(UUID id) {
        Incident i = find(id);
        Progress p = i.campaignId == null ? null : campaigns.progress(Campaign.findById(i.campaignId));
        return new IncidentView(i.id, i.declaredAt, i.declaredBy, i.occurredAt, i.discoveredAt, i.parts,
                Arrays.asList(i.categories), i.affectedBy, i.affectedSubjects, Arrays.asList(i.channels),
                i.individualImpractical, i.campaignId, i.announcementId, p);
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<IncidentView> list() {
        return Incident.<Incident>list("order by declaredAt desc").stream().map(i -> view(i.id)).toList();
    }
}
