package io.pledge.notification.breach;

import io.pledge.notification.campaign.Progress;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** An incident as the officers' API shows it, with its campaign's progress (null before it has one). */
public record IncidentView(UUID incidentId, Instant declaredAt, String declaredBy, Instant occurredAt, Instant discoveredAt,
                           Map<String, Map<String, String>> parts, List<String> categories, String affectedBy,
                           int affectedSubjects, List<String> channels, boolean individualNoticeImpractical,
                           UUID campaignId, UUID announcementId, Progress progress) {
}
