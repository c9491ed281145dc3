package io.pledge.kit.problem;

import java.time.Duration;

/**
 * A problem the client may retry after a while: a rate limit (429) or back-pressure (503). The answer carries
 * {@code Retry-After} in whole seconds (RFC 9110 10.2.3), at least one.
 */
public class RetryLater extends ProblemException {

    private final long retryAfterSeconds;

    public RetryLater(ProblemType type, String detail, Duration retryAfter) {
        super(type, detail);
        long s = retryAfter == null ? 1 : (retryAfter.toMillis() + 999) / 1000;
        this.retryAfterSeconds = Math.max(1, s);
    }

    /** The {@code Retry-After} value, in seconds. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
