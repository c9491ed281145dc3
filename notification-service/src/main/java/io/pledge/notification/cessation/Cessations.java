package io.pledge.notification.cessation;

import io.pledge.events.notification.CessationScheduled;
import io.pledge.kit.outbox.Outbox;
import io.pledge.kit.problem.ProblemException;
import io.pledge.kit.problem.ProblemType;
import io.pledge.notification.announcement.Announcement;
import io.pledge.notification.announcement.Announcements;
import io.pledge.notification.campaign.Campaign;
import io.pledge.notification.campaign.Campaigns;
import io.pledge.notification.campaign.Progress;
import io.pledge.notification.config.NotificationConfig;
import io.pledge.notification.delivery.Kinds;
import io.pledge.notification.idempotency.IdempotentRequests;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Cessation of operation (policy 6.9): scheduled with at least {@code min-notice} (30 days) ahead, it
 * publishes {@code CessationScheduled} (account-service stops collecting; rights-request-service requests
 * erasure of every subject at the end date), the public announcement, and a notice to every active subject.
 */
@ApplicationScoped
@Transactional
public class Cessations {

    /** A cessation with its notice progress. */
    public record View(UUID cessationId, Instant scheduledAt, Instant endsAt, Map<String, String> statement,
                       UUID announcementId, UUID campaignId, Progress progress) {
    }

    private final Outbox outbox;
    private final Campaigns campaigns;
    private final Announcements announcements;
    private final IdempotentRequests idempotent;
    private final NotificationConfig config;

    public Cessations(Outbox outbox, Campaigns campaigns, Announcements announcements, IdempotentRequests idempotent,
                      NotificationConfig config) {
        this.outbox = outbox;
        this.campaigns = campaigns;
        this.announcements = announcements;
        this.idempotent = idempotent;
        this.config = config;
    }

    public View schedule(Instant endsAt, Map<String, String> statement, List<String> channels, String officer, String key) {
        UUID id = idempotent.once("cessation", key, UUID.class, () -> create(endsAt, statement, channels, officer));
        return view(id);
    }

    private UUID create(Instant endsAt, Map<String, String> statement, List<String> channels, String officer) {
        Instant now = Instant.now();
        Instant earliest = now.atOffset(ZoneOffset.UTC).plus(config.cessation().minNotice()).toInstant();
        if (endsAt.isBefore(earliest)) {
            throw new ProblemException(ProblemType.UNPROCESSABLE, "A cessation must be announced at least "
                    + config.cessation().minNotice().getDays() + " days before it takes effect (policy 6.9).", "endsAt");
        }
        if (Cessation.count("cancelledAt is null") > 0) {
            throw new ProblemException(ProblemType.CONFLICT, "A cessation is already scheduled.");
        }
        Cessation c = new Cessation();
        c.id = UUID.randomUUID();
        c.scheduledBy = officer;
        c.scheduledAt = now;
        c.endsAt = endsAt;
        c.statement = Map.copyOf(statement);
        c.persist();
        String endDate = endsAt.atOffset(ZoneOffset.UTC).toLocalDate().toString();
        Announcement a = announcements.publish("CESSATION", "cessation:" + c.id,
                Map.of("zh-CN", "Pledge 将于 " + endDate + " 停止运营", "en", "Pledge will cease operating on " + endDate),
                Map.of("zh-CN", statement.get("zh-CN") + "\n\n自即日起我们停止收集个人信息；" + endDate + " 后我们将删除或匿名化处理所持有的个人信息。",
                        "en", statement.get("en") + "\n\nFrom now on we collect no new personal information; after " + endDate
                                + " we delete or anonymise the personal information we hold."));
        c.announcementId = a.id;
        List<String> ch = channels == null || channels.isEmpty() ? List.of("EMAIL") : List.copyOf(new LinkedHashSet<>(channels));
        Campaign camp = campaigns.create(Kinds.CESSATION, "cessation:" + c.id, "cessation-notice", ch,
                Map.of("cessationId", c.id.toString(), "endsAt", endDate), Campaign.Audience.ACTIVE, endsAt, null);
        c.campaignId = camp.id;
        outbox.publish(new CessationScheduled(c.id, now.truncatedTo(ChronoUnit.MICROS), endsAt));
        Log.infof("cessation %s scheduled by %s for %s", c.id, officer, endsAt);
        return c.id;
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public View view(UUID id) {
        Cessation c = Cessation.findById(id);
        if (c == null) {
            throw new ProblemException(ProblemType.NOT_FOUND, "No such cessation.");
        }
        Progress p = c.campaignId == null ? null : campaigns.progress(Campaign.findById(c.campaignId));
        return new View(c.id, c.scheduledAt, c.endsAt, c.statement, c.announcementId, c.campaignId, p);
    }
}
