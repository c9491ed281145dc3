package io.pledge.notification.support;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.ConfigProvider;

/** Steers {@link StubServices} (account-service, consent-service and the webhook receiver stand-ins) over HTTP. */
// policy-coverage: stands in for account-service, consent-service
public final class Stub {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private Stub() {
    }

    public static String base() {
        return ConfigProvider.getConfig().getValue("pledge.account.url", String.class);
    }

    public static void consent(UUID subject, String purpose, boolean permitted) {
        put("/__stub/consent/" + subject + "/" + purpose, new JsonObject().put("permitted", permitted));
    }

    public static void contact(UUID subject, String email, String mobile) {
        JsonObject b = new JsonObject();
        if (email != null) {
            b.put("email", email);
        }
        if (mobile != null) {
            b.put("mobile", mobile);
        }
        put("/__stub/contacts/" + subject, b);
    }

    /** The subject's preferred language for notices, as account-service's contact lookup answers it. */
    public static void locale(UUID subject, String locale) {
        put("/__stub/locales/" + subject, new JsonObject().put("locale", locale));
    }

    /** account-service knows no such subject (NOT_FOUND). */
    public static void unknown(UUID subject) {
        send("DELETE", "/__stub/contacts/" + subject, null);
    }

    public static void secret(UUID noticeId, UUID subject, String channel, String address, String code) {
        secret(noticeId, subject, channel, address, code, null);
    }

    /** A notice secret as account-service answers it, with the language to write it in (null: none said). */
    public static void secret(UUID noticeId, UUID subject, String channel, String address, String code, String locale) {
        JsonObject s = new JsonObject().put("noticeId", noticeId.toString()).put("subjectId", subject.toString())
                .put("channel", channel).put("address", address).put("code", code)
                .put("expiresAt", java.time.Instant.now().plusSeconds(600).toString());
        if (locale != null) {
            s.put("locale", locale);
        }
        put("/__stub/secrets/" + noticeId, s);
    }

    public static void accountDown(boolean down) {
        put("/__stub/down/account", new JsonObject().put("down", down));
    }

    public static void consentDown(boolean down) {
        put("/__stub/down/consent", new JsonObject().put("down", down));
    }

    public static void webhookStatus(int status) {
        put("/__stub/webhook-status", new JsonObject().put("status", status));
    }

    /** Every webhook request received, each with {@code _validSignature}. */
    public static List<JsonObject> webhook() {
        JsonArray a = new JsonObject(send("GET", "/__stub/webhook", null)).getJsonArray("received");
        return a.stream().map(o -> (JsonObject) o).toList();
    }

    public static long contactCalls() {
        return new JsonObject(send("GET", "/__stub/contact-calls", null)).getLong("calls");
    }

    /** Follows a link as a browser would, without any token; returns the status. */
    public static int follow(String url) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void put(String path, JsonObject body) {
        send("PUT", path, body);
    }

    private static String send(String method, String path, JsonObject body) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + path)).header("Content-Type", "application/json");
            b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body.encode()));
            HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() >= 300) {
                throw new IllegalStateException("stub " + method + " " + path + " → " + r.statusCode());
            }
            return r.body();
        } catch (java.io.IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Map<String, Object> none() {
        return Map.of();
    }
}
