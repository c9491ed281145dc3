package io.pledge.rights.registry;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A holder as the registry API shows it (never its webhook secret, its Kafka password nor its OAuth client secret,
 * which are shown once, at registration or rotation), with its public signing keys and their validity.
 */
public record HolderView(String id, String kind, List<String> categories, List<String> purposes, String region,
                         String channel, String webhookUrl, Map<String, Object> agreement, long ackSlaSeconds,
                         String status, Instant createdAt, Instant offboardedAt, UUID offboardingRequestId,
                         String webhookSecret, KafkaPrincipals.Credential kafka, List<Map<String, Object>> signingKeys,
                         String exportBaseUrl, String oauthClientId, List<String> oauthScopes,
                         OAuthClients.Credential oauth) {

    public static HolderView of(Holder h, String secret) {
        return of(h, secret, null);
    }

    public static HolderView of(Holder h, String secret, KafkaPrincipals.Credential kafka) {
        return of(h, secret, kafka, null);
    }

    public static HolderView of(Holder h, String secret, KafkaPrincipals.Credential kafka, OAuthClients.Credential oauth) {
        return new HolderView(h.id, h.kind, List.of(h.categories), List.of(h.purposes), h.region, h.channel, h.webhookUrl,
                h.agreement, h.ackSlaSeconds, h.status, h.createdAt, h.offboardedAt, h.offboardingRequestId, secret, kafka,
                HolderKey.of(h.id).stream().map(HolderKeys::view).toList(), h.exportBaseUrl, h.oauthClientId,
                h.oauthScopes == null ? null : List.of(h.oauthScopes), oauth);
    }
}
