package io.pledge.rights.registry;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A holder as the registry API shows it (never its webhook secret, which is shown once, at registration). */
public record HolderView(String id, String kind, List<String> categories, List<String> purposes, String region,
                         String channel, String webhookUrl, Map<String, Object> agreement, long ackSlaSeconds,
                         String status, Instant createdAt, Instant offboardedAt, UUID offboardingRequestId,
                         String webhookSecret, String exportBaseUrl) {

    public static HolderView of(Holder h, String secret) {
        return new HolderView(h.id, h.kind, List.of(h.categories), List.of(h.purposes), h.region, h.channel, h.webhookUrl,
                h.agreement, h.ackSlaSeconds, h.status, h.createdAt, h.offboardedAt, h.offboardingRequestId, secret,
                h.exportBaseUrl);
    }
}
