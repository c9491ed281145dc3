package io.pledge.events.consent;

import io.pledge.events.PrivacyEvent;
import java.time.Instant;
import java.util.List;

/**
 * A new privacy-policy version was published (policy 9); a material one is notified before it takes effect.
 *
 * @param version         the version label, e.g. {@code 2026-12-01}
 * @param contentSha256   lower-case hex SHA-256 of the published text
 * @param effectiveAt     when it takes effect
 * @param material        {@code true} for a material change (policy 9.3): notices and re-consent follow
 * @param changedPurposes the purposes whose terms changed
 * @param publishedAt     when it was published
 */
public record PolicyVersionPublished(String version, String contentSha256, Instant effectiveAt, boolean material,
                                     List<String> changedPurposes, Instant publishedAt) implements PrivacyEvent {

    public PolicyVersionPublished {
        changedPurposes = List.copyOf(changedPurposes);
    }

    /** Keyed by version: a policy version concerns no single subject. */
    @Override
    public String key() {
        return "policy:" + version;
    }

    @Override
    public String subject() {
        return null;
    }
}
