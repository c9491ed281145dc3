package io.pledge.notification.channel;

/**
 * Hands a message to whatever carries one channel: SMTP for email, an HTTP webhook for SMS, push and
 * telephone, the print queue for letters. Implementations never log addresses or content.
 */
public interface ChannelProvider {

    /** Whether this provider carries the channel (EMAIL, SMS, PUSH, PHONE, LETTER). */
    boolean handles(String channel);

    /** Whether the channel needs a contact value from account-service (email or mobile). */
    default boolean needsAddress(String channel) {
        return "EMAIL".equals(channel) || "SMS".equals(channel) || "PHONE".equals(channel);
    }

    SendResult send(OutboundMessage message);
}
