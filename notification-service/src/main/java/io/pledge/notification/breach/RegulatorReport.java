package io.pledge.notification.breach;

import io.pledge.notification.announcement.Announcement;
import io.pledge.notification.campaign.Campaign;
import io.pledge.notification.campaign.NoticeTexts;
import io.pledge.notification.campaign.Progress;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The report to the regulator about an incident (policy 5.3): the five parts in both languages, the counts
 * of affected subjects and categories, the timeline, and the delivery statistics per channel. Counts and
 * dates only: no subject id or contact value.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.SUPPORTS)
public class RegulatorReport {

    /** The report as a document. */
    public record Report(UUID incidentId, Instant generatedAt, Map<String, Map<String, String>> parts,
                         List<String> categories, int categoryCount, int affectedSubjects, String affectedBy,
                         List<String> channels, boolean individualNoticeImpractical, Map<String, Instant> timeline,
                         Progress deliveries) {
    }

    private final Incidents incidents;
    private final EntityManager em;

    public RegulatorReport(Incidents incidents, EntityManager em) {
        this.incidents = incidents;
        this.em = em;
    }

    public Report report(UUID id) {
        IncidentView v = incidents.view(id);
        Map<String, Instant> timeline = new LinkedHashMap<>();
        timeline.put("occurredAt", v.occurredAt());
        timeline.put("discoveredAt", v.discoveredAt());
        timeline.put("declaredAt", v.declaredAt());
        if (v.campaignId() != null) {
            Object[] r = (Object[]) em.createNativeQuery("select min(handed_at), max(sent_at) from delivery where campaign_id = ?1")
                    .setParameter(1, v.campaignId()).getSingleResult();
            timeline.put("firstNoticeAt", instant(r[0]));
            timeline.put("lastNoticeAt", instant(r[1]));
            Campaign c = Campaign.findById(v.campaignId());
            timeline.put("noticesCompletedAt", c.completedAt);
        }
        if (v.announcementId() != null) {
            Announcement a = Announcement.findById(v.announcementId());
            timeline.put("announcementPublishedAt", a.publishedAt);
        }
        return new Report(v.incidentId(), Instant.now(), v.parts(), v.categories(), v.categories().size(),
                v.affectedSubjects(), v.affectedBy(), v.channels(), v.individualNoticeImpractical(), timeline, v.progress());
    }

    /** The same report as a Markdown document, Chinese first. */
    public String markdown(UUID id) {
        Report r = report(id);
        StringBuilder b = new StringBuilder();
        b.append("# 个人信息安全事件报告 / Personal information security incident report\n\n");
        b.append("- Incident: `").append(r.incidentId()).append("`\n");
        b.append("- Generated: ").append(r.generatedAt()).append("\n");
        b.append("- Data categories (").append(r.categoryCount()).append("): ").append(String.join(", ", r.categories())).append("\n");
        b.append("- Affected subjects: ").append(r.affectedSubjects()).append(" (by ").append(r.affectedBy().toLowerCase()).append(")\n");
        b.append("- Channels: ").append(String.join(", ", r.channels()))
                .append(r.individualNoticeImpractical() ? " — individual notice impractical: public announcement" : "").append("\n\n");
        List<String[]> headings = List.of(new String[] {"title", "标题", "Title"},
                new String[] {"whatHappened", "事件情况", "What happened"},
                new String[] {"possibleEffects", "可能造成的影响", "Possible effects"},
                new String[] {"measuresTaken", "已采取的处置措施", "Measures taken"},
                new String[] {"selfProtection", "自主防范和降低风险的建议", "How subjects can protect themselves"},
                new String[] {"remedies", "补救措施", "Remedies"});
        for (String[] h : headings) {
            Map<String, String> p = r.parts().get(h[0]);
            b.append("## ").append(h[1]).append(" / ").append(h[2]).append("\n\n")
                    .append(p.get("zh-CN")).append("\n\n").append(p.get("en")).append("\n\n");
        }
        b.append("## 时间线 / Timeline\n\n");
        r.timeline().forEach((k, v) -> b.append("- ").append(k).append(": ").append(v == null ? "—" : v.toString()).append("\n"));
        b.append("\n## 告知统计 / Delivery statistics\n\n");
        Progress p = r.deliveries();
        if (p == null) {
            b.append("No individual notices (public announcement only).\n");
        } else {
            b.append("| notices | sent | delivered | failed | remaining | unreached subjects |\n|---|---|---|---|---|---|\n");
            b.append("| ").append(p.notices()).append(" | ").append(p.sent()).append(" | ").append(p.delivered()).append(" | ")
                    .append(p.failed()).append(" | ").append(p.remaining()).append(" | ").append(p.unreachedSubjects()).append(" |\n\n");
            b.append("| channel | status | count |\n|---|---|---|\n");
            p.byChannel().forEach((ch, m) -> m.forEach((st, n) -> b.append("| ").append(ch).append(" | ").append(st)
                    .append(" | ").append(n).append(" |\n")));
        }
        return b.toString();
    }

    private static Instant instant(Object o) {
        if (o == null) {
            return null;
        }
        if (o instanceof Instant i) {
            return i;
        }
        if (o instanceof OffsetDateTime t) {
            return t.toInstant();
        }
        if (o instanceof java.sql.Timestamp t) {
            return t.toInstant();
        }
        return Instant.parse(o.toString());
    }
}
