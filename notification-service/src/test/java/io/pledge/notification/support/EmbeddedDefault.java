package io.pledge.notification.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The embedded default as someone trying Pledge on one machine runs it: the service's own SMTP server with IMAP
 * on (port {@value #IMAP_PORT}) and <em>no</em> SMS/push webhook configured, so that SMS, telephone and push go to
 * the local mail server. Everything else is {@link TestServices} (the real broker of the tests, the stubs), which
 * this profile starts itself without the webhook keys instead of the global resource.
 */
public class EmbeddedDefault implements QuarkusTestProfile {

    public static final int IMAP_PORT = 32143;

    @Override
    public boolean disableGlobalTestResources() {
        return true;
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(WithoutWebhook.class));
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("pledge.notification.embedded-smtp.imap-port", Integer.toString(IMAP_PORT));
    }

    /** {@link TestServices}, less the webhook URL and secret. */
    public static class WithoutWebhook implements QuarkusTestResourceLifecycleManager {

        private final TestServices services = new TestServices();

        @Override
        public Map<String, String> start() {
            Map<String, String> config = new HashMap<>(services.start());
            config.remove("pledge.notification.webhook.url");
            config.remove("pledge.notification.webhook.secret");
            return config;
        }

        @Override
        public void stop() {
            services.stop();
        }
    }
}
