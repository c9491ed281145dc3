package io.pledge.rights.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A third-party webhook holder as a small real HTTP server (JDK {@code com.sun.net.httpserver}) on a free loopback
 * port: it records every call it receives and answers each path with the status set for it (200 unless told
 * otherwise). It also signs and checks the documented scheme on its own
 * ({@code v1=hex(HMAC-SHA256(secret, timestamp + "." + body))}), so tests do not trust the service's code for it.
 */
public final class WebhookHolderServer implements AutoCloseable {

    /** One call as received. */
    public record Call(String path, String body, String ceId, String ceType, String requestId, String timestamp,
                       String signature, Instant receivedAt, String webhookId) {
    }

    private final HttpServer server;
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final Map<String, Integer> statuses = new ConcurrentHashMap<>();

    public WebhookHolderServer() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::handle);
        server.start();
    }

    /** The URL of a path on this server. */
    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** Every later call to {@code path} is answered with {@code status}. */
    public void answer(String path, int status) {
        statuses.put(path, status);
    }

    /** The calls received on {@code path} so far, in order. */
    public List<Call> calls(String path) {
        return calls.stream().filter(c -> c.path().equals(path)).toList();
    }

    private void handle(HttpExchange x) throws IOException {
        String path = x.getRequestURI().getPath();
        String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        var h = x.getRequestHeaders();
        calls.add(new Call(path, body, h.getFirst("ce-id"), h.getFirst("ce-type"), h.getFirst("X-Pledge-Request-Id"),
                h.getFirst("webhook-timestamp"), h.getFirst("webhook-signature"), Instant.now(), h.getFirst("webhook-id")));
        int status = statuses.getOrDefault(path, 200);
        byte[] out = ("{\"status\":" + status + "}").getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().add("Content-Type", "application/json");
        x.sendResponseHeaders(status, out.length);
        x.getResponseBody().write(out);
        x.close();
    }

    /**
     * The {@code webhook-signature} of {@code body} at {@code timestamp} for the message id given later (Standard
     * Webhooks v1), computed here, independently of the service's code.
     */
    public static java.util.function.Function<String, String> sign(String secret, long timestamp, String body) {
        return id -> signature(secret, id, timestamp, body);
    }

    /** {@code v1,<base64 HMAC-SHA256(base64-decoded secret, id.timestamp.body)>}. */
    public static String signature(String secret, String id, long timestamp, String body) {
        try {
            String b64 = secret.startsWith("whsec_") ? secret.substring(6) : secret;
            byte[] key;
            try {
                key = java.util.Base64.getDecoder().decode(b64);
            } catch (IllegalArgumentException urlSafe) {
                key = java.util.Base64.getUrlDecoder().decode(b64);
            }
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return "v1," + java.util.Base64.getEncoder().encodeToString(
                    mac.doFinal((id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether a received call carries a valid signature under {@code secret}. */
    public static boolean signedWith(Call c, String secret) {
        if (c.timestamp() == null || c.signature() == null || c.webhookId() == null) {
            return false;
        }
        String expected;
        try {
            expected = signature(secret, c.webhookId(), Long.parseLong(c.timestamp()), c.body());
        } catch (IllegalArgumentException notAKey) {
            return false;
        }
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                c.signature().getBytes(StandardCharsets.US_ASCII));
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
