package io.pledge.consent.policy;

import java.time.Instant;
import java.util.List;

/**
 * One published privacy-policy version (policy 9); never changed once published.
 *
 * @param version         label, e.g. {@code 2026-12-01}
 * @param contentSha256   lower-case hex SHA-256 of the text
 * @param summary         what changed
 * @param effectiveAt     when it takes effect
 * @param material        a material change (9.3): notified before it takes effect, re-consent requested
 * @param changedPurposes purposes whose terms changed
 * @param publishedAt     when it was published
 */
public record PolicyVersion(String version, String contentSha256, String summary, Instant effectiveAt, boolean material,
                            List<String> changedPurposes, Instant publishedAt) {

    public PolicyVersion {
        changedPurposes = List.copyOf(changedPurposes);
    }
}
