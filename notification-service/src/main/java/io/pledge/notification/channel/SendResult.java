package io.pledge.notification.channel;

/** What a provider did with a message: accepted it, refused it for good, or could not take it now. */
public record SendResult(Outcome outcome, String reasonCode) {

    public enum Outcome { ACCEPTED, REJECTED, RETRY }

    public static SendResult accepted() {
        return new SendResult(Outcome.ACCEPTED, null);
    }

    public static SendResult rejected(String code) {
        return new SendResult(Outcome.REJECTED, code);
    }

    public static SendResult retry(String code) {
        return new SendResult(Outcome.RETRY, code);
    }
}
