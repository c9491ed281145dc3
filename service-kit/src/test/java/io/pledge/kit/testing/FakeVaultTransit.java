package io.pledge.kit.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.crypto.Cipher;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * Test-only local HTTP stand-in for Vault's transit secrets engine, written from Vault's documented
 * HTTP API (no Vault server can be installed on these machines): {@code POST
 * /v1/transit/encrypt|decrypt|rewrap/:name} with single or {@code batch_input} bodies, {@code POST
 * /v1/transit/keys/:name/rotate}, {@code GET /v1/transit/keys/:name}, and token look-up. It really
 * encrypts (AES-256-GCM, versioned keys, {@code vault:vN:} ciphertext) and checks {@code
 * X-Vault-Token}. It records every request path so tests can see what the client called.
 */
public final class FakeVaultTransit implements AutoCloseable {

    public static final String TOKEN = "pledge-test-root-token";

    private final ObjectMapper json = new ObjectMapper();
    private final SecureRandom random = new SecureRandom();
    private final Map<String, List<SecretKey>> keys = new ConcurrentHashMap<>();
    private final List<String> calls = new CopyOnWriteArrayList<>();
    private final HttpServer server;

    public FakeVaultTransit() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::handle);
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Every "METHOD path [batch size]" received, in order. */
    public List<String> calls() {
        return List.copyOf(calls);
    }

    public int versions(String keyName) {
        return keys.getOrDefault(keyName, List.of()).size();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        try {
            JsonNode body = readBody(ex);
            calls.add(ex.getRequestMethod() + " " + path + (body.has("batch_input")
                    ? " [batch " + body.get("batch_input").size() + "]" : ""));
            if (!TOKEN.equals(ex.getRequestHeaders().getFirst("X-Vault-Token"))) {
                send(ex, 403, "{\"errors\":[\"permission denied\"]}");
                return;
            }
            String[] p = path.split("/");
            if (path.equals("/v1/auth/token/lookup-self")) {
                send(ex, 200, "{\"data\":{\"id\":\"" + TOKEN + "\",\"ttl\":0,\"renewable\":false,\"policies\":[\"root\"]}}");
            } else if (p.length == 6 && p[2].equals("transit") && p[3].equals("keys") && p[5].equals("rotate")) {
                key(p[4]).add(newKey());
                send(ex, 204, "");
            } else if (p.length == 5 && p[2].equals("transit") && p[3].equals("keys")) {
                send(ex, 200, "{\"data\":{\"name\":\"" + p[4] + "\",\"type\":\"aes256-gcm96\",\"latest_version\":"
                        + key(p[4]).size() + "}}");
            } else if (p.length == 5 && p[2].equals("transit") && List.of("encrypt", "decrypt", "rewrap").contains(p[3])) {
                send(ex, 200, json.writeValueAsString(transit(p[3], p[4], body)));
            } else {
                send(ex, 404, "{\"errors\":[\"no handler for route " + path + "\"]}");
            }
        } catch (GeneralSecurityException | RuntimeException e) {
            send(ex, 400, "{\"errors\":[\"" + e.getClass().getSimpleName() + "\"]}");
        }
    }

    private ObjectNode transit(String op, String name, JsonNode body) throws GeneralSecurityException {
        ObjectNode data = json.createObjectNode();
        if (body.has("batch_input")) {
            ArrayNode results = data.putArray("batch_results");
            for (JsonNode item : body.get("batch_input")) {
                results.add(one(op, name, item));
            }
        } else {
            data.setAll(one(op, name, body));
        }
        ObjectNode out = json.createObjectNode();
        out.set("data", data);
        return out;
    }

    private ObjectNode one(String op, String name, JsonNode item) throws GeneralSecurityException {
        ObjectNode r = json.createObjectNode();
        switch (op) {
            case "encrypt" -> r.put("ciphertext", encrypt(name, Base64.getDecoder().decode(item.get("plaintext").asText())));
            case "decrypt" -> r.put("plaintext", Base64.getEncoder().encodeToString(decrypt(name, item.get("ciphertext").asText())));
            default -> r.put("ciphertext", encrypt(name, decrypt(name, item.get("ciphertext").asText())));
        }
        return r;
    }

    private String encrypt(String name, byte[] plaintext) throws GeneralSecurityException {
        List<SecretKey> versions = key(name);
        int v = versions.size();
        byte[] nonce = new byte[12];
        random.nextBytes(nonce);
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(Cipher.ENCRYPT_MODE, versions.get(v - 1), new GCMParameterSpec(128, nonce));
        byte[] ct = c.doFinal(plaintext);
        byte[] out = new byte[12 + ct.length];
        System.arraycopy(nonce, 0, out, 0, 12);
        System.arraycopy(ct, 0, out, 12, ct.length);
        return "vault:v" + v + ":" + Base64.getEncoder().encodeToString(out);
    }

    private byte[] decrypt(String name, String ciphertext) throws GeneralSecurityException {
        String[] f = ciphertext.split(":", 3);
        int v = Integer.parseInt(f[1].substring(1));
        byte[] in = Base64.getDecoder().decode(f[2]);
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(Cipher.DECRYPT_MODE, key(name).get(v - 1), new GCMParameterSpec(128, in, 0, 12));
        return c.doFinal(in, 12, in.length - 12);
    }

    private List<SecretKey> key(String name) {
        return keys.computeIfAbsent(name, n -> {
            List<SecretKey> l = new CopyOnWriteArrayList<>();
            l.add(newKey());
            return l;
        });
    }

    private SecretKey newKey() {
        try {
            KeyGenerator g = KeyGenerator.getInstance("AES");
            g.init(256, random);
            return g.generateKey();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private JsonNode readBody(HttpExchange ex) throws IOException {
        byte[] bytes = ex.getRequestBody().readAllBytes();
        return bytes.length == 0 ? json.createObjectNode() : json.readTree(bytes);
    }

    private static void send(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, status == 204 ? -1 : bytes.length);
        if (status != 204) {
            ex.getResponseBody().write(bytes);
        }
        ex.close();
    }
}
