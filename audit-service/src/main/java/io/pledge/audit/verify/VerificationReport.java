package io.pledge.audit.verify;

import java.util.List;

/**
 * The outcome of verifying the chain and its checkpoints.
 *
 * @param valid               true when every entry and checkpoint checked out
 * @param entriesChecked      entries read
 * @param checkpointsVerified checkpoints whose signature and root matched
 * @param redactedBodies      entries whose body retention has redacted (their body hash is still chained)
 * @param firstBadSeq         the first entry that is not what was recorded, or null
 * @param problem             MISSING, INSERTED, ALTERED, BROKEN_LINK, TRUNCATED or REWRITTEN, or null
 * @param detail              what was found, in words (no entry content)
 * @param checkpointProblems  checkpoints whose signature or root failed
 * @param segments            how many segments between checkpoints were read at once to reach this (1: one pass)
 */
public record VerificationReport(boolean valid, long entriesChecked, int checkpointsVerified, long redactedBodies,
                                 Long firstBadSeq, String problem, String detail, List<String> checkpointProblems,
                                 int segments) {
}
