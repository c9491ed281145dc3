package io.pledge.notification.support;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Test stand-in for the two services notification-service calls and the SMS/push webhook receiver, implementing
 * exactly their documented contracts on one real HTTP server (Vert.x):
 * <ul>
 * <li>account-service: {@code POST /v1/oauth/token} (client credentials, one token per {@code audience}, each
 *     accepted only by that service's paths), {@code POST /internal/v1/contacts},
 *     {@code GET /internal/v1/notices/{id}/secret};</li>
 * <li>consent-service: {@code POST /v1/checks}, {@code POST /v1/checks/batch}, {@code POST /v1/unsubscribe-tokens},
 *     and the public {@code GET|POST /v1/unsubscribe?token=} that withdraws the purpose (no login);</li>
 * <li>a webhook receiver at {@code POST /webhook} that verifies the HMAC-SHA256 signature.</li>
 * </ul>
 * Tests steer it under {@code /__stub/…} ({@link Stub}). Every subject has contact values by default
 * ({@code s-<id>@example.test}, a mobile derived from the id); necessary purposes are permitted, others only when set.
 * An answered subject's {@code locale} is the one a test set ({@link Stub#locale}); a subject without one is answered
 * without it, as by an account-service from before preferred languages.
 */
// policy-coverage: stands in for account-service, consent-service
public final class StubServices {

    /** A Standard Webhooks secret: {@code whsec_} and a base64 key. */
    public static final String WEBHOOK_SECRET = "whsec_dGVzdC13ZWJob29rLXNlY3JldC0wMTIzNDU2Nzg5";
    /** The token the stub issues notification-service for one audience (the service a call goes to). */
    private static String token(String audience) {
        return "stub-holder-token-notification-service-for-" + audience;
    }
    private static final Set<String> NECESSARY = Set.of("account-security", "service-notice", "verification-code");

    private final Vertx vertx = Vertx.vertx();
    private HttpServer server;

    private final Map<UUID, JsonObject> contacts = new ConcurrentHashMap<>();
    private final Map<UUID, String> locales = new ConcurrentHashMap<>();
    private final Set<UUID> missing = ConcurrentHashMap.newKeySet();
    private final Map<String, Boolean> consent = new ConcurrentHashMap<>();
    private final Map<String, JsonObject> secrets = new ConcurrentHashMap<>();
    private final Map<String, String> unsubscribeTokens = new ConcurrentHashMap<>();
    private final AtomicBoolean accountDown = new AtomicBoolean();
    private final AtomicBoolean consentDown = new AtomicBoolean();
    private final AtomicInteger webhookStatus = new AtomicInteger(200);
    private final List<JsonObject> webhook = new CopyOnWriteArrayList<>();
    private final AtomicLong contactCalls = new AtomicLong();

    public int start() throws Exception {
        Router r = Router.router(vertx);
        r.route().handler(BodyHandler.create().setBodyLimit(8 * 1024 * 1024));
        r.post("/v1/oauth/token").handler(c -> {
            String auth = c.request().getHeader("Authorization");
            if (auth == null || !auth.startsWith("Basic ")) {
                c.response().setStatusCode(401).end();
                return;
            }
            String audience = c.request().getFormAttribute("audience");
            if (!"account-service".equals(audience) && !"consent-service".equals(audience)) {
                json(c, 400, new JsonObject().put("type", "urn:pledge:problem:invalid-input").put("status", 400)
                        .put("error", "invalid_target"));
                return;
            }
            json(c, 200, new JsonObject().put("access_token", token(audience)).put("token_type", "Bearer").put("expires_in", 300));
        });
        r.post("/internal/v1/contacts").handler(this::contacts);
        r.get("/internal/v1/notices/:id/secret").handler(c -> {
            if (!authorised(c)) {
                return;
            }
            if (accountDown.get()) {
                c.response().setStatusCode(503).end();
                return;
            }
            JsonObject s = secrets.get(c.pathParam("id"));
            if (s == null) {
                json(c, 404, new JsonObject().put("type", "urn:pledge:problem:not-found").put("status", 404));
            } else {
                json(c, 200, s);
            }
        });
        r.post("/v1/checks/batch").handler(c -> {
            if (!authorised(c) || down(c)) {
                return;
            }
            JsonArray out = new JsonArray();
            for (Object o : c.body().asJsonObject().getJsonArray("checks")) {
                out.add(check((JsonObject) o));
            }
            json(c, 200, new JsonObject().put("results", out));
        });
        r.post("/v1/checks").handler(c -> {
            if (!authorised(c) || down(c)) {
                return;
            }
            json(c, 200, check(c.body().asJsonObject()));
        });
        r.post("/v1/unsubscribe-tokens").handler(c -> {
            if (!authorised(c) || down(c)) {
                return;
            }
            JsonObject b = c.body().asJsonObject();
            String token = UUID.randomUUID().toString().replace("-", "");
            unsubscribeTokens.put(token, b.getString("subjectId") + ":" + b.getString("purposeId"));
            String base = "http://127.0.0.1:" + server.actualPort();
            json(c, 201, new JsonObject().put("token", token).put("url", base + "/v1/unsubscribe?token=" + token)
                    .put("expiresAt", Instant.now().plusSeconds(86400 * 90).toString()));
        });
        r.route("/v1/unsubscribe").handler(c -> {
            String key = unsubscribeTokens.get(String.valueOf(c.request().getParam("token")));
            if (key == null) {
                json(c, 400, new JsonObject().put("type", "urn:pledge:problem:invalid-input").put("status", 400));
                return;
            }
            consent.put(key, false);
            json(c, 200, new JsonObject().put("purposeId", key.substring(key.indexOf(':') + 1)).put("status", "WITHDRAWN"));
        });
        r.post("/webhook").handler(c -> {
            String id = c.request().getHeader("webhook-id");
            String ts = c.request().getHeader("webhook-timestamp");
            String sig = c.request().getHeader("webhook-signature");
            byte[] body = c.body().buffer().getBytes();
            boolean valid = id != null && ts != null && sig != null && sig.equals("v1," + hmac(id, ts, body));
            webhook.add(new JsonObject(new String(body, StandardCharsets.UTF_8)).put("_validSignature", valid)
                    .put("_delivery", c.request().getHeader("X-Pledge-Delivery")));
            c.response().setStatusCode(valid ? webhookStatus.get() : 401).end();
        });
        // control
        r.put("/__stub/contacts/:id").handler(c -> {
            UUID id = UUID.fromString(c.pathParam("id"));
            missing.remove(id);
            contacts.put(id, c.body().asJsonObject());
            c.response().setStatusCode(204).end();
        });
        r.put("/__stub/locales/:id").handler(c -> {
            locales.put(UUID.fromString(c.pathParam("id")), c.body().asJsonObject().getString("locale"));
            c.response().setStatusCode(204).end();
        });
        r.delete("/__stub/contacts/:id").handler(c -> {
            missing.add(UUID.fromString(c.pathParam("id")));
            c.response().setStatusCode(204).end();
        });
        r.put("/__stub/consent/:id/:purpose").handler(c -> {
            consent.put(c.pathParam("id") + ":" + c.pathParam("purpose"), c.body().asJsonObject().getBoolean("permitted"));
            c.response().setStatusCode(204).end();
        });
        r.put("/__stub/secrets/:id").handler(c -> {
            secrets.put(c.pathParam("id"), c.body().asJsonObject());
            c.response().setStatusCode(204).end();
        });
        r.put("/__stub/down/:which").handler(c -> {
            boolean down = c.body().asJsonObject().getBoolean("down");
            ("account".equals(c.pathParam("which")) ? accountDown : consentDown).set(down);
            c.response().setStatusCode(204).end();
        });
        r.put("/__stub/webhook-status").handler(c -> {
            webhookStatus.set(c.body().asJsonObject().getInteger("status"));
            c.response().setStatusCode(204).end();
        });
        r.get("/__stub/webhook").handler(c -> json(c, 200, new JsonObject().put("received", new JsonArray(List.copyOf(webhook)))));
        r.get("/__stub/contact-calls").handler(c -> json(c, 200, new JsonObject().put("calls", contactCalls.get())));
        server = vertx.createHttpServer().requestHandler(r).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
        return server.actualPort();
    }

    public void stop() {
        vertx.close().toCompletionStage().toCompletableFuture().orTimeout(30, TimeUnit.SECONDS).join();
    }

    /** The default email of a subject in tests. */
    public static String email(UUID subject) {
        return "s-" + subject + "@example.test";
    }

    /** The default mobile of a subject in tests. */
    public static String mobile(UUID subject) {
        return "+86139" + String.format("%08d", Math.floorMod(subject.getLeastSignificantBits(), 100_000_000L));
    }

    private void contacts(RoutingContext c) {
        if (!authorised(c)) {
            return;
        }
        if (accountDown.get()) {
            c.response().setStatusCode(503).end();
            return;
        }
        contactCalls.incrementAndGet();
        JsonObject q = c.body().asJsonObject();
        String purpose = q.getString("purposeId");
        JsonArray ids = q.getJsonArray("subjectIds");
        if (purpose == null || ids == null || ids.isEmpty() || ids.size() > 1000) {
            json(c, 400, new JsonObject().put("type", "urn:pledge:problem:invalid-input").put("status", 400).put("field", "subjectIds"));
            return;
        }
        JsonArray results = new JsonArray();
        for (Object o : ids) {
            UUID s = UUID.fromString((String) o);
            JsonObject r = new JsonObject().put("subjectId", s.toString());
            if (missing.contains(s)) {
                results.add(r.put("outcome", "NOT_FOUND"));
            } else if (!NECESSARY.contains(purpose) && !Boolean.TRUE.equals(consent.get(s + ":" + purpose))) {
                results.add(r.put("outcome", "NOT_PERMITTED"));
            } else {
                JsonObject v = contacts.getOrDefault(s, new JsonObject().put("email", email(s)).put("mobile", mobile(s)));
                results.add(r.put("outcome", "OK").put("email", v.getString("email")).put("mobile", v.getString("mobile")));
                String locale = locales.get(s);
                if (locale != null) {
                    r.put("locale", locale);
                }
            }
        }
        json(c, 200, new JsonObject().put("purposeId", purpose).put("results", results));
    }

    private JsonObject check(JsonObject q) {
        String purpose = q.getString("purposeId");
        boolean permitted = NECESSARY.contains(purpose) || Boolean.TRUE.equals(consent.get(q.getString("subjectId") + ":" + purpose));
        return new JsonObject().put("subjectId", q.getString("subjectId")).put("purposeId", purpose)
                .put("permitted", permitted).put("reason", permitted ? "GRANTED" : "NEVER_GRANTED")
                .put("checkedAt", Instant.now().toString());
    }

    private boolean down(RoutingContext c) {
        if (consentDown.get()) {
            c.response().setStatusCode(503).end();
            return true;
        }
        return false;
    }

    /** Only the token for the service that serves the path: account-service's internal paths, consent-service's others. */
    private static boolean authorised(RoutingContext c) {
        String audience = c.request().path().startsWith("/internal/") ? "account-service" : "consent-service";
        if (!("Bearer " + token(audience)).equals(c.request().getHeader("Authorization"))) {
            json(c, 401, new JsonObject().put("type", "urn:pledge:problem:unauthorized").put("status", 401));
            return false;
        }
        return true;
    }

    private static void json(RoutingContext c, int status, JsonObject body) {
        c.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
    }

    /** Standard Webhooks v1, computed here independently: base64 HMAC-SHA256(key, id.timestamp.body). */
    private static String hmac(String id, String ts, byte[] body) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(java.util.Base64.getDecoder().decode(
                    WEBHOOK_SECRET.substring("whsec_".length())), "HmacSHA256"));
            mac.update((id + "." + ts + ".").getBytes(StandardCharsets.UTF_8));
            return java.util.Base64.getEncoder().encodeToString(mac.doFinal(body));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
