package io.pledge.kit.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** {@code pledge.outbox.*}: the transactional outbox and its relay. */
@ConfigMapping(prefix = "pledge.outbox")
public interface OutboxConfig {

    /** Whether this instance runs the relay (default true). */
    @WithDefault("true")
    boolean relayEnabled();

    /** Rows per relay pass (default 500). */
    @WithDefault("500")
    int batchSize();

    /** How long an idle relay waits before looking again when no commit woke it (default 500 ms). */
    @WithDefault("PT0.5S")
    Duration pollInterval();

    /** How long one pass waits for the broker's acknowledgements (default 30 s). */
    @WithDefault("PT30S")
    Duration sendTimeout();

    /** The producer's delivery timeout: how long it retries one record before failing it (default 20 s). */
    @WithDefault("PT20S")
    Duration deliveryTimeout();

    /** Longest back-off between failed passes, e.g. while the broker is down (default 5 s). */
    @WithDefault("PT5S")
    Duration maxBackoff();

    /** How long sent rows are kept before the purge deletes them (default 7 days). */
    @WithDefault("P7D")
    Duration retention();

    /** Test-only fault injection: pause between the broker's acks and marking rows sent (default 0). */
    @WithDefault("PT0S")
    Duration pauseAfterSend();
}
