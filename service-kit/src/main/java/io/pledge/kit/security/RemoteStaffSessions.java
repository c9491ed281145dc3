package io.pledge.kit.security;

import io.quarkus.arc.DefaultBean;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Every service but account-service: a staff token's session is checked by presenting the token itself to
 * account-service's {@code GET /v1/staff/sessions/current} (200 = live). The token is its own credential, so no
 * service secret is involved. A live answer is remembered for {@code pledge.security.staff-session-check.cache-for}
 * ({@code PT1S}), so a logout or a disabled account is refused everywhere within that time; an ended session is
 * remembered until the token expires. account-service unreachable means refused (fail closed).
 */
@ApplicationScoped
@DefaultBean
public class RemoteStaffSessions implements StaffSessions {

    private record Answer(boolean live, long until) {
    }

    private final URI check;
    private final long cacheMillis;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();

    public RemoteStaffSessions(@ConfigProperty(name = "pledge.account.url") String accountUrl,
                               @ConfigProperty(name = "pledge.security.staff-session-check.cache-for",
                                       defaultValue = "PT1S") Duration cacheFor) {
        this.check = URI.create(accountUrl.replaceAll("/$", "") + "/v1/staff/sessions/current");
        this.cacheMillis = cacheFor.toMillis();
    }

    @Override
    public boolean live(JsonWebToken token) {
        if (!StaffSessions.isStaff(token)) {
            return true;
        }
        String sid = StaffSessions.sessionId(token);
        if (sid == null) {
            return false;
        }
        long now = System.currentTimeMillis();
        Answer known = answers.get(sid);
        if (known != null && known.until() > now) {
            return known.live();
        }
        boolean live = ask(token.getRawToken());
        long until = live ? now + cacheMillis : token.getExpirationTime() * 1000;
        if (answers.size() > 10_000) {
            answers.values().removeIf(a -> a.until() <= now);
        }
        answers.put(sid, new Answer(live, until));
        return live;
    }

    private boolean ask(String rawToken) {
        try {
            HttpResponse<Void> r = http.send(HttpRequest.newBuilder(check).timeout(Duration.ofSeconds(3))
                    .header("Authorization", "Bearer " + rawToken).GET().build(), HttpResponse.BodyHandlers.discarding());
            if (r.statusCode() != 200 && r.statusCode() != 401) {
                Log.warnf("staff session check answered %d: the token is refused", r.statusCode());
            }
            return r.statusCode() == 200;
        } catch (IOException e) {
            Log.warnf("staff session check unreachable (%s): the token is refused", e.getClass().getSimpleName());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
