package io.pledge.rights.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.pledge.kit.testing.TestTokens;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for account-service (not running in module tests) that implements exactly its documented contract for
 * this service: {@code POST /v1/oauth/token} (client credentials), {@code POST /internal/v1/identity-verifications}
 * (202; 404 for an unknown account; 409 without a verified contact) and its {@code /confirmation} (200, or 422 for a
 * wrong code), the export part {@code GET /v1/accounts/{id}/export}, and the holder-client API
 * ({@code /internal/v1/holder-clients}, see {@link #holderClients}). It also plays a third-party webhook holder
 * and transfer recipient at {@code /partner/webhook}, recording what it received. The code it "sends" is {@value #CODE}.
 */
// policy-coverage: stands in for account-service
public final class AccountStub {

    public static final int PORT = 18383;
    public static final String URL = "http://127.0.0.1:" + PORT;
    public static final String CODE = "246810";

    /** Subjects without an account, and without a verified contact. */
    public static final Set<String> NO_ACCOUNT = ConcurrentHashMap.newKeySet();
    public static final Set<String> NO_CONTACT = ConcurrentHashMap.newKeySet();
    public static final Map<String, String> VERIFICATIONS = new ConcurrentHashMap<>();
    public static final List<Received> WEBHOOK = new CopyOnWriteArrayList<>();
    public static final AtomicInteger FAIL_WEBHOOK_TIMES = new AtomicInteger();
    public static final List<String> AUTHORIZATIONS = new CopyOnWriteArrayList<>();

    /** One webhook call as received. */
    public record Received(String body, String timestamp, String signature, String type, String webhookId) {
    }

    private static HttpServer server;

    private AccountStub() {
    }

    public static synchronized void ensure() {
        if (server != null) {
            return;
        }
        server = bind();
        server.createContext("/", AccountStub::handle);
        server.start();
    }

    /**
     * Binds the stub's port. A test profile restarts Quarkus with a new class loader, and so a new copy of this
     * class: a stub an earlier copy started (its state out of this copy's reach) is asked to give way.
     */
    private static HttpServer bind() {
        long end = System.currentTimeMillis() + 10_000;
        boolean asked = false;
        while (true) {
            try {
                return HttpServer.create(new InetSocketAddress("127.0.0.1", PORT), 50);
            } catch (IOException busy) {
                if (System.currentTimeMillis() > end) {
                    throw new UncheckedIOException("port " + PORT + " busy", busy);
                }
                if (!asked) {
                    asked = true;
                    try {
                        HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + PORT + GIVE_WAY))
                                .POST(HttpRequest.BodyPublishers.noBody()).build(),
                                HttpResponse.BodyHandlers.discarding());
                    } catch (IOException | InterruptedException notAStub) {
                        // not a stub of ours: wait for the port, then fail naming it
                    }
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new UncheckedIOException("interrupted waiting for port " + PORT, busy);
                }
            }
        }
    }

    private static final String GIVE_WAY = "/__stub/give-way";

    private static void handle(HttpExchange x) throws IOException {
        String path = x.getRequestURI().getPath();
        if (path.equals(GIVE_WAY)) {
            send(x, 200, new JsonObject());
            HttpServer mine = server;
            server = null;
            new Thread(() -> mine.stop(0), "account-stub-give-way").start();
            return;
        }
        String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String auth = x.getRequestHeaders().getFirst("Authorization");
        try {
            if (path.equals("/v1/oauth/token")) {
                // what account-service grants: a token for the one audience asked for, with this service's scopes there
                String audience = java.net.URLDecoder.decode(body.replaceAll(".*(?:^|&)audience=([^&]*).*", "$1"),
                        StandardCharsets.UTF_8);
                if (!body.contains("audience=") || !io.pledge.kit.security.Scopes.SERVICES.contains(audience)) {
                    send(x, 400, problem(400, "invalid-input", "audience").put("error", "invalid_target"));
                    return;
                }
                String token = TestTokens.service("rights-request-service", audience);
                send(x, 200, new JsonObject().put("access_token", token).put("token_type", "Bearer").put("expires_in", 600));
                return;
            }
            if (path.equals("/internal/v1/holder-keys")) {
                // account-service's holder-key document, as the kit's HolderKeysResource serves it
                send(x, 200, new JsonObject().put("holderId", "account-service")
                        .put("keys", new io.vertx.core.json.JsonArray().add(new JsonObject(HolderKeysForTests.jwk("account-service")))));
                return;
            }
            if (path.equals("/partner/webhook")) {
                WEBHOOK.add(new Received(body, x.getRequestHeaders().getFirst("webhook-timestamp"),
                        x.getRequestHeaders().getFirst("webhook-signature"), x.getRequestHeaders().getFirst("ce-type"),
                        x.getRequestHeaders().getFirst("webhook-id")));
                if (FAIL_WEBHOOK_TIMES.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                    send(x, 503, new JsonObject().put("status", 503));
                } else {
                    send(x, 200, new JsonObject().put("ok", true));
                }
                return;
            }
            if (auth == null || !auth.startsWith("Bearer ")) {
                send(x, 401, problem(401, "unauthorized", null));
                return;
            }
            AUTHORIZATIONS.add(path + " aud=" + audience(auth));
            if (path.equals("/internal/v1/identity-verifications")) {
                JsonObject in = new JsonObject(body);
                String subject = in.getString("subjectId");
                if (NO_ACCOUNT.contains(subject)) {
                    send(x, 404, problem(404, "not-found", "subjectId"));
                } else if (NO_CONTACT.contains(subject)) {
                    send(x, 409, problem(409, "conflict", "subjectId"));
                } else {
                    String id = UUID.randomUUID().toString();
                    VERIFICATIONS.put(id, subject);
                    send(x, 202, new JsonObject().put("verificationId", id)
                            .put("channel", in.getString("channel", "EMAIL"))
                            .put("expiresAt", Instant.now().plus(Duration.ofMinutes(10)).toString()));
                }
                return;
            }
            if (path.startsWith("/internal/v1/identity-verifications/") && path.endsWith("/confirmation")) {
                String id = path.split("/")[4];
                JsonObject in = new JsonObject(body);
                if (CODE.equals(in.getString("code")) && in.getString("subjectId").equals(VERIFICATIONS.get(id))) {
                    send(x, 200, new JsonObject().put("subjectId", in.getString("subjectId")).put("verified", true)
                            .put("verifiedAt", Instant.now().toString()));
                } else {
                    send(x, 422, problem(422, "unprocessable", "code"));
                }
                return;
            }
            if (path.startsWith("/internal/v1/holder-clients")) {
                holderClients(x, path, body);
                return;
            }
            if (path.startsWith("/v1/accounts/") && path.endsWith("/export")) {
                String id = path.split("/")[3];
                send(x, 200, new JsonObject().put("subjectId", id).put("account", new JsonObject().put("status", "ACTIVE")));
                return;
            }
            send(x, 404, problem(404, "not-found", null));
        } catch (RuntimeException e) {
            send(x, 400, problem(400, "invalid-input", null));
        }
    }

    /** A holder's OAuth client as the stub keeps it: its status, its current secret and scopes. */
    public record HolderClient(String status, String secret, String credentialId, List<String> scopes) {
    }

    /** The holder clients issued, by client id. */
    public static final Map<String, HolderClient> HOLDER_CLIENTS = new ConcurrentHashMap<>();

    /** While set, the holder-client API answers 503, as an account-service that cannot be reached would fail. */
    public static final java.util.concurrent.atomic.AtomicBoolean HOLDER_CLIENTS_DOWN =
            new java.util.concurrent.atomic.AtomicBoolean();

    /**
     * account-service's holder-client contract: {@code POST /internal/v1/holder-clients} (201 with a new secret and
     * credential id, again for an existing client; 400 for a scope a holder may not hold), {@code /{id}/rotation}
     * (200; 404 unknown; 409 revoked) and {@code /{id}/revocation} (200, again too; 404 unknown).
     */
    private static void holderClients(HttpExchange x, String path, String body) throws IOException {
        if (HOLDER_CLIENTS_DOWN.get()) {
            send(x, 503, problem(503, "unavailable", null));
            return;
        }
        String[] parts = path.split("/");
        if (parts.length == 4) {
            JsonObject in = new JsonObject(body);
            List<String> scopes = in.getJsonArray("scopes").stream().map(String::valueOf).sorted().toList();
            if (!io.pledge.kit.security.Scopes.HOLDER_GRANTABLE.containsAll(scopes)) {
                send(x, 400, problem(400, "invalid-input", "scopes"));
                return;
            }
            String clientId = "holder-" + in.getString("holderId");
            HolderClient c = new HolderClient("ACTIVE", UUID.randomUUID().toString(), UUID.randomUUID().toString(), scopes);
            HOLDER_CLIENTS.put(clientId, c);
            send(x, 201, issued(clientId, in.getString("holderId"), c));
            return;
        }
        String clientId = parts[4];
        HolderClient c = HOLDER_CLIENTS.get(clientId);
        if (c == null) {
            send(x, 404, problem(404, "not-found", "clientId"));
        } else if (path.endsWith("/rotation")) {
            if (!c.status().equals("ACTIVE")) {
                send(x, 409, problem(409, "conflict", "clientId"));
                return;
            }
            HolderClient fresh = new HolderClient("ACTIVE", UUID.randomUUID().toString(), UUID.randomUUID().toString(),
                    c.scopes());
            HOLDER_CLIENTS.put(clientId, fresh);
            send(x, 200, issued(clientId, clientId.substring(7), fresh));
        } else if (path.endsWith("/revocation")) {
            HOLDER_CLIENTS.put(clientId, new HolderClient("REVOKED", c.secret(), c.credentialId(), c.scopes()));
            send(x, 200, new JsonObject().put("clientId", clientId).put("status", "REVOKED"));
        } else {
            send(x, 404, problem(404, "not-found", null));
        }
    }

    private static JsonObject issued(String clientId, String holderId, HolderClient c) {
        return new JsonObject().put("clientId", clientId).put("holderId", holderId).put("clientSecret", c.secret())
                .put("credentialId", c.credentialId()).put("scopes", new io.vertx.core.json.JsonArray(c.scopes()))
                .put("status", c.status());
    }

    /** The audience of a bearer token (its {@code aud} claim, unverified: the stub only records it). */
    private static String audience(String authorization) {
        String[] parts = authorization.substring(7).split("\\.");
        if (parts.length < 2) {
            return "";
        }
        JsonObject claims = new JsonObject(new String(java.util.Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
        Object aud = claims.getValue("aud");
        return aud instanceof io.vertx.core.json.JsonArray a ? a.getString(0) : String.valueOf(aud);
    }

    private static JsonObject problem(int status, String slug, String field) {
        JsonObject p = new JsonObject().put("type", "urn:pledge:problem:" + slug).put("status", status);
        return field == null ? p : p.put("field", field);
    }

    private static void send(HttpExchange x, int status, JsonObject body) throws IOException {
        byte[] b = body.encode().getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().add("Content-Type", status >= 400 ? "application/problem+json" : "application/json");
        x.sendResponseHeaders(status, b.length);
        x.getResponseBody().write(b);
        x.close();
    }
}
