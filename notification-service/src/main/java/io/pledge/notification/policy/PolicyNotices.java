package io.pledge.notification.policy;

import io.pledge.events.consent.PolicyVersionPublished;
import io.pledge.kit.problem.ProblemException;
import io.pledge.kit.problem.ProblemType;
import io.pledge.notification.campaign.Campaign;
import io.pledge.notification.campaign.Campaigns;
import io.pledge.notification.campaign.Progress;
import io.pledge.notification.delivery.Kinds;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

/**
 * Policy-change notices (policy 9.2): a material version published by consent-service becomes a notice to
 * every active subject, sent ahead of other bulk notices and before the version takes effect. A non-material
 * version is not notified individually.
 */
@ApplicationScoped
@Transactional
public class PolicyNotices {

    /** A policy version's notice campaign. */
    public record View(String version, Instant effectiveAt, Progress progress) {
    }

    private final Campaigns campaigns;

    public PolicyNotices(Campaigns campaigns) {
        this.campaigns = campaigns;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void published(PolicyVersionPublished e) {
        if (!e.material()) {
            return;
        }
        if (e.effectiveAt().isBefore(Instant.now())) {
            Log.warnf("material policy version %s took effect before its notice could start; notifying now", e.version());
        }
        campaigns.create(Kinds.POLICY_CHANGE, "policy:" + e.version(), "policy-change", List.of("EMAIL"),
                Map.of("policyVersion", e.version(), "effectiveDate", e.effectiveAt().atOffset(ZoneOffset.UTC).toLocalDate().toString()),
                Campaign.Audience.ACTIVE, e.effectiveAt(), null);
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public View view(String version) {
        Campaign c = Campaign.find("ref", "policy:" + version).firstResult();
        if (c == null) {
            throw new ProblemException(ProblemType.NOT_FOUND, "No notice for that policy version.");
        }
        return new View(version, c.deadline, campaigns.progress(c));
    }
}
