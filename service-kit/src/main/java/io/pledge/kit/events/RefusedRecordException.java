package io.pledge.kit.events;

/**
 * A record the consumer refuses by its own rules (e.g. a reply whose signature does not verify) and whose refusal
 * must itself be recorded: the inbox rolls the effect's transaction back, runs {@link #recorder()} in a transaction of
 * its own (it must be idempotent: a redelivered record is refused again), then dead-letters the record with this
 * message as its reason. The message names what is wrong without quoting values.
 */
public class RefusedRecordException extends PoisonRecordException {

    private final transient Runnable recorder;

    public RefusedRecordException(String reason, Runnable recorder) {
        super(reason);
        this.recorder = recorder;
    }

    /** Records the refusal (refused reply, escalation), in a transaction of its own. */
    public Runnable recorder() {
        return recorder;
    }
}
