package io.pledge.notification.template;

/** A message rendered for one locale: the subject line and the plain-text body. */
public record RenderedMessage(String subject, String text) {

    /** Never the content: it may hold a verification code. */
    @Override
    public String toString() {
        return "RenderedMessage[" + text.length() + " chars]";
    }
}
