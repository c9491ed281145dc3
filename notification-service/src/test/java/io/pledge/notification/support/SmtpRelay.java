package io.pledge.notification.support;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * The production shape of email: the embedded mail server off and quarkus-mailer sending to an external relay, here
 * the {@link SmtpSink} a test starts on port {@value #PORT} (a real SMTP server that keeps no mailboxes). Everything
 * else as in every test of this module ({@link TestServices}).
 */
public class SmtpRelay implements QuarkusTestProfile {

    public static final int PORT = 32526;

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("pledge.notification.embedded-smtp.enabled", "false",
                "quarkus.mailer.port", Integer.toString(PORT));
    }
}
