package io.pledge.notification.support;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A real SMTP relay that keeps no mailboxes: it speaks SMTP (RFC 5321: EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP,
 * QUIT) on a loopback port, accepts each message and discards it, remembering only the recipient and the
 * {@code X-Pledge-Delivery} header of what it accepted. Unlike GreenMail, it does not slow down as recipients pile up,
 * so a benchmark against it measures the sender. Tests can script a recipient to be refused for good (550) or once
 * (451, accepted the next time), and can make each DATA take a while, which shows how many messages are handed over
 * at the same time.
 */
public final class SmtpSink implements AutoCloseable {

    /** One accepted message: its recipient and its delivery id (header X-Pledge-Delivery). */
    public record Accepted(String recipient, String deliveryId) {
    }

    private final ServerSocket server;
    private final ExecutorService connections = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "smtp-sink");
        t.setDaemon(true);
        return t;
    });
    private final Queue<Accepted> accepted = new ConcurrentLinkedQueue<>();
    private final AtomicLong count = new AtomicLong();
    private final Set<String> refused = ConcurrentHashMap.newKeySet();
    private final Set<String> refusedOnce = ConcurrentHashMap.newKeySet();
    private final Map<String, Boolean> refusedOnceDone = new ConcurrentHashMap<>();
    private final AtomicInteger inData = new AtomicInteger();
    private final AtomicInteger maxInData = new AtomicInteger();
    private volatile long dataMillis;
    private volatile boolean keep = true;

    private SmtpSink(int port) throws IOException {
        server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
        Thread acceptor = new Thread(this::acceptLoop, "smtp-sink-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Listens on 127.0.0.1:{@code port}. */
    public static SmtpSink start(int port) {
        try {
            return new SmtpSink(port);
        } catch (IOException e) {
            throw new UncheckedIOException("the SMTP sink cannot listen on " + port, e);
        }
    }

    /** Messages accepted since the start or the last {@link #reset()}. */
    public long count() {
        return count.get();
    }

    /** What was accepted (recipient, delivery id); empty when not {@link #keep(boolean) kept}. */
    public List<Accepted> accepted() {
        return new ArrayList<>(accepted);
    }

    /** Whether to remember each accepted message's recipient and delivery id (default true); counts are kept anyway. */
    public void keep(boolean keep) {
        this.keep = keep;
    }

    /** These recipients are refused for good with {@code 550}. */
    public void refuse(Set<String> recipients) {
        refused.addAll(recipients);
    }

    /** These recipients are refused with {@code 451} the first time, accepted afterwards. */
    public void refuseOnce(Set<String> recipients) {
        refusedOnce.addAll(recipients);
    }

    /** How long each DATA takes before the server answers it (default 0). */
    public void dataTakes(long millis) {
        this.dataMillis = millis;
    }

    /** The most messages in DATA at the same time since the last {@link #reset()}. */
    public int maxConcurrent() {
        return maxInData.get();
    }

    /** Forgets counts, scripts and what was accepted. */
    public void reset() {
        accepted.clear();
        count.set(0);
        refused.clear();
        refusedOnce.clear();
        refusedOnceDone.clear();
        maxInData.set(0);
        dataMillis = 0;
        keep = true;
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        connections.shutdownNow();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                connections.submit(() -> session(s));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void session(Socket s) {
        try (s; InputStream in = new BufferedInputStream(s.getInputStream()); OutputStream out = s.getOutputStream()) {
            s.setTcpNoDelay(true);
            reply(out, "220 sink.pledge.test ESMTP");
            List<String> recipients = new ArrayList<>();
            String line;
            while ((line = readLine(in)) != null) {
                String verb = (line.length() < 4 ? line : line.substring(0, 4)).toUpperCase(Locale.ROOT);
                switch (verb) {
                    case "EHLO" -> reply(out, "250-sink.pledge.test\r\n250-8BITMIME\r\n250 SMTPUTF8");
                    case "HELO" -> reply(out, "250 sink.pledge.test");
                    case "MAIL" -> {
                        recipients.clear();
                        reply(out, "250 2.1.0 OK");
                    }
                    case "RCPT" -> {
                        String to = address(line);
                        if (refused.contains(to)) {
                            reply(out, "550 5.1.1 mailbox unavailable");
                        } else if (refusedOnce.contains(to) && refusedOnceDone.putIfAbsent(to, true) == null) {
                            reply(out, "451 4.3.0 try again later");
                        } else {
                            recipients.add(to);
                            reply(out, "250 2.1.5 OK");
                        }
                    }
                    case "DATA" -> {
                        if (recipients.isEmpty()) {
                            reply(out, "503 5.5.1 no valid recipients");
                            continue;
                        }
                        reply(out, "354 end data with <CR><LF>.<CR><LF>");
                        String delivery = readData(in);
                        if (delivery == null) {
                            return;
                        }
                        int now = inData.incrementAndGet();
                        maxInData.accumulateAndGet(now, Math::max);
                        try {
                            if (dataMillis > 0) {
                                Thread.sleep(dataMillis);
                            }
                        } finally {
                            inData.decrementAndGet();
                        }
                        for (String to : recipients) {
                            count.incrementAndGet();
                            if (keep) {
                                accepted.add(new Accepted(to, delivery));
                            }
                        }
                        recipients.clear();
                        reply(out, "250 2.0.0 accepted and discarded");
                    }
                    case "RSET" -> {
                        recipients.clear();
                        reply(out, "250 2.0.0 OK");
                    }
                    case "NOOP" -> reply(out, "250 2.0.0 OK");
                    case "QUIT" -> {
                        reply(out, "221 2.0.0 bye");
                        return;
                    }
                    default -> reply(out, "502 5.5.2 command not implemented");
                }
            }
        } catch (IOException | InterruptedException e) {
            // the client went away, or the sink closed
        }
    }

    /** Reads the message up to the lone dot; returns its X-Pledge-Delivery header ("" when none), null at end of stream. */
    private static String readData(InputStream in) throws IOException {
        String delivery = "";
        boolean headers = true;
        String line;
        while ((line = readLine(in)) != null) {
            if (line.equals(".")) {
                return delivery;
            }
            if (headers) {
                if (line.isEmpty()) {
                    headers = false;
                } else if (line.regionMatches(true, 0, "X-Pledge-Delivery:", 0, 18)) {
                    delivery = line.substring(18).trim();
                }
            }
        }
        return null;
    }

    private static String address(String rcpt) {
        int lt = rcpt.indexOf('<');
        int gt = rcpt.indexOf('>', lt + 1);
        return (lt >= 0 && gt > lt ? rcpt.substring(lt + 1, gt) : rcpt.substring(rcpt.indexOf(':') + 1).trim())
                .toLowerCase(Locale.ROOT);
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream(128);
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                byte[] bytes = b.toByteArray();
                int len = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, len, StandardCharsets.UTF_8);
            }
            b.write(c);
        }
        return b.size() == 0 ? null : b.toString(StandardCharsets.UTF_8);
    }

    private static void reply(OutputStream out, String text) throws IOException {
        out.write((text + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }
}
