package io.pledge.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.function.Predicate;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The SMS gateway of the e2e system: what notification-service's webhook provider sends (SMS, push,
 * phone) lands here, signature checked as a real gateway would, and tests read the messages a phone
 * would show. Only correctly signed requests are kept; others get 401.
 */
final class SmsInbox {

    static final int PORT = 18099;
    /** A Standard Webhooks secret for the run: {@code whsec_} and a base64 key. */
    static final String SECRET = "whsec_" + java.util.Base64.getEncoder().encodeToString(
            ("e2e-sms-gateway-secret-" + PledgeSystem.RUN).getBytes(StandardCharsets.UTF_8));

    /** One message as the gateway received it. */
    record Message(String channel, String to, String text, String noticeId) {
    }

    private static final List<Message> RECEIVED = new ArrayList<>();
    /** Endings of the mobiles whose messages this gateway also delivers to their SMS mailbox ({@link #forwardToMailbox}). */
    private static final java.util.Set<String> FORWARDED = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private static HttpServer server;

    private SmsInbox() {
    }

    static synchronized void start() {
        if (server != null) {
            return;
        }
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", PORT), 50);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + PORT + " for the e2e SMS gateway", e);
        }
        ObjectMapper json = new ObjectMapper();
        server.createContext("/sms", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                byte[] body = in.readAllBytes();
                String id = exchange.getRequestHeaders().getFirst("webhook-id");
                String ts = exchange.getRequestHeaders().getFirst("webhook-timestamp");
                String sig = exchange.getRequestHeaders().getFirst("webhook-signature");
                if (id == null || ts == null || sig == null || !MessageDigest.isEqual(("v1," + hmac(id, ts, body))
                        .getBytes(StandardCharsets.US_ASCII), sig.getBytes(StandardCharsets.US_ASCII))) {
                    exchange.sendResponseHeaders(401, -1);
                    return;
                }
                JsonNode m = json.readTree(body);
                if (FORWARDED.stream().anyMatch(m.path("to").asText()::endsWith)) {
                    try {
                        toMailbox(m);
                    } catch (jakarta.mail.MessagingException e) {
                        exchange.sendResponseHeaders(503, -1); // not delivered: the service tries again
                        return;
                    }
                }
                synchronized (RECEIVED) {
                    RECEIVED.add(new Message(m.path("channel").asText(), m.path("to").asText(), m.path("text").asText(),
                            m.path("noticeId").asText()));
                }
                exchange.sendResponseHeaders(202, -1);
            } finally {
                exchange.close();
            }
        });
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.start();
    }

    static synchronized void stop() {
        if (server != null) {
            server.stop(0);
            server = null;
        }
    }

    /**
     * From now on, messages to mobiles ending in {@code ending} are also delivered as mail to
     * {@code <digits>@sms.pledge.local} on notification-service's embedded mail server, where the embedded default
     * (no SMS gateway) puts every SMS, with the same {@code X-Pledge-Notice} header: so the README's way of reading
     * an SMS code (deploy/local/mail) works in the e2e system too. Only for the mobiles asked for, so other tests'
     * mailboxes and counts are untouched.
     */
    static void forwardToMailbox(String ending) {
        FORWARDED.add(ending);
    }

    private static void toMailbox(JsonNode m) throws jakarta.mail.MessagingException {
        java.util.Properties p = new java.util.Properties();
        p.put("mail.smtp.host", "127.0.0.1");
        p.put("mail.smtp.port", Integer.toString(PledgeSystem.SMTP_PORT));
        jakarta.mail.internet.MimeMessage mail = new jakarta.mail.internet.MimeMessage(jakarta.mail.Session.getInstance(p));
        mail.setFrom("sms-gateway@pledge.local");
        mail.setRecipients(jakarta.mail.Message.RecipientType.TO,
                m.path("to").asText().replaceAll("[^0-9]", "") + "@sms.pledge.local");
        mail.setSubject("[" + m.path("channel").asText() + "] " + m.path("subject").asText(), "UTF-8");
        mail.setText(m.path("text").asText(), "UTF-8");
        mail.addHeader("X-Pledge-Notice", m.path("noticeId").asText());
        mail.addHeader("X-Pledge-Channel", m.path("channel").asText());
        jakarta.mail.Transport.send(mail);
    }

    static String url() {
        return "http://127.0.0.1:" + PORT + "/sms";
    }

    /** The first message to {@code to} matching {@code which}, waiting up to {@code within}. */
    static Message await(String to, Predicate<Message> which, Duration within) throws InterruptedException {
        long end = System.currentTimeMillis() + within.toMillis();
        while (System.currentTimeMillis() < end) {
            Optional<Message> m;
            synchronized (RECEIVED) {
                m = RECEIVED.stream().filter(x -> x.to().equals(to)).filter(which).findFirst();
            }
            if (m.isPresent()) {
                return m.get();
            }
            Thread.sleep(250);
        }
        throw new AssertionError("no SMS to the subject's mobile within " + within);
    }

    /** The six-digit code in a message's text. */
    static String code(Message m) {
        java.util.regex.Matcher x = java.util.regex.Pattern.compile("\\b(\\d{6})\\b").matcher(m.text());
        if (!x.find()) {
            throw new AssertionError("the message carries no six-digit code");
        }
        return x.group(1);
    }

    /** Standard Webhooks v1, computed here independently: base64 HMAC-SHA256(key, id.timestamp.body). */
    private static String hmac(String id, String ts, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(java.util.Base64.getDecoder().decode(SECRET.substring("whsec_".length())),
                    "HmacSHA256"));
            mac.update((id + "." + ts + ".").getBytes(StandardCharsets.UTF_8));
            return java.util.Base64.getEncoder().encodeToString(mac.doFinal(body));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
