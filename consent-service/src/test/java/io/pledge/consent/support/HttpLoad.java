package io.pledge.consent.support;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import org.HdrHistogram.Histogram;

/**
 * A load generator that costs the machine as little as possible, so that a benchmark measures the service and
 * not the client: one thread, one selector, HTTP/1.1 keep-alive connections, requests encoded once up front.
 * Closed loop (each connection sends its next request when the last is answered) or open loop (requests due at
 * a fixed rate; latency counted from when each was due, so a stalled server cannot hide its queue).
 */
public final class HttpLoad {

    /** What a run measured. */
    public record Result(long ops, double seconds, Histogram latency, long errors) {
        public double perSecond() {
            return ops / seconds;
        }

        @Override
        public String toString() {
            return String.format("%.0f/s, p50 %.2f ms, p99 %.2f ms, max %.1f ms (%d ops, %d errors)", perSecond(),
                    latency.getValueAtPercentile(50) / 1000.0, latency.getValueAtPercentile(99) / 1000.0,
                    latency.getMaxValue() / 1000.0, ops, errors);
        }
    }

    private final InetSocketAddress target;
    private final int connections;

    public HttpLoad(String host, int port, int connections) {
        this.target = new InetSocketAddress(host, port);
        this.connections = connections;
    }

    /** One encoded POST with a JSON body and a bearer token. */
    public static byte[] post(String host, String path, String token, String json) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        String head = "POST " + path + " HTTP/1.1\r\nHost: " + host + "\r\nAuthorization: Bearer " + token
                + "\r\nContent-Type: application/json\r\nAccept: application/json\r\nContent-Length: " + body.length
                + "\r\n\r\n";
        byte[] h = head.getBytes(StandardCharsets.US_ASCII);
        byte[] all = new byte[h.length + body.length];
        System.arraycopy(h, 0, all, 0, h.length);
        System.arraycopy(body, 0, all, h.length, body.length);
        return all;
    }

    /** Every connection keeps one request in flight for the whole run. */
    public Result closed(IntFunction<byte[]> requests, int expectStatus, Duration run) throws IOException {
        return drive(requests, expectStatus, run, 0);
    }

    /** Requests due at {@code rate} per second for the whole run, spread over the connections. */
    public Result open(IntFunction<byte[]> requests, int expectStatus, Duration run, double rate) throws IOException {
        return drive(requests, expectStatus, run, rate);
    }

    private final class Conn {
        final SocketChannel channel;
        final ByteBuffer in = ByteBuffer.allocate(64 * 1024);
        SelectionKey key;
        ByteBuffer out;
        long startedAt;

        Conn(SocketChannel channel) {
            this.channel = channel;
        }
    }

    private Result drive(IntFunction<byte[]> requests, int expectStatus, Duration run, double rate) throws IOException {
        Histogram h = new Histogram(3_600_000_000L, 3);
        long errors = 0;
        long ops = 0;
        int next = 0;
        List<Conn> all = new ArrayList<>();
        ArrayDeque<Conn> idle = new ArrayDeque<>();
        try (Selector selector = Selector.open()) {
            for (int i = 0; i < connections; i++) {
                SocketChannel ch = SocketChannel.open(target);
                ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                ch.configureBlocking(false);
                Conn c = new Conn(ch);
                c.key = ch.register(selector, SelectionKey.OP_READ, c);
                all.add(c);
                idle.add(c);
            }
            long start = System.nanoTime();
            long end = start + run.toNanos();
            long interval = rate > 0 ? (long) (1e9 / rate) : 0;
            long dueNext = start;
            while (true) {
                long now = System.nanoTime();
                boolean sending = now < end;
                if (sending) {
                    if (rate <= 0) {
                        while (!idle.isEmpty()) {
                            send(idle.poll(), requests.apply(next++), now);
                        }
                    } else {
                        while (dueNext <= now && !idle.isEmpty()) {
                            send(idle.poll(), requests.apply(next++), dueNext);
                            dueNext += interval;
                        }
                    }
                } else if (idle.size() == all.size()) {
                    break;
                } else if (now > end + 30_000_000_000L) {
                    throw new IOException((all.size() - idle.size()) + " requests still unanswered 30 s after the run");
                }
                long waitMs = 1;
                if (rate > 0 && sending && !idle.isEmpty()) {
                    waitMs = Math.max(0, (dueNext - System.nanoTime()) / 1_000_000);
                }
                if (waitMs == 0) {
                    selector.selectNow();
                } else {
                    selector.select(waitMs);
                }
                for (SelectionKey key : selector.selectedKeys()) {
                    Conn c = (Conn) key.attachment();
                    if (key.isWritable()) {
                        c.channel.write(c.out);
                        if (!c.out.hasRemaining()) {
                            key.interestOps(SelectionKey.OP_READ);
                        }
                    }
                    if (key.isReadable()) {
                        int read = c.channel.read(c.in);
                        if (read < 0) {
                            throw new IOException("the server closed a keep-alive connection");
                        }
                        int status = complete(c.in);
                        if (status > 0) {
                            h.recordValue(Math.max(1, (System.nanoTime() - c.startedAt) / 1000));
                            ops++;
                            if (status != expectStatus) {
                                errors++;
                            }
                            c.in.clear();
                            idle.add(c);
                        }
                    }
                }
                selector.selectedKeys().clear();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            for (Conn c : all) {
                c.channel.close();
            }
            return new Result(ops, seconds, h, errors);
        }
    }

    private void send(Conn c, byte[] request, long startedAt) throws IOException {
        c.startedAt = startedAt;
        c.out = ByteBuffer.wrap(request);
        c.channel.write(c.out);
        if (c.out.hasRemaining()) {
            c.key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
        }
    }

    /** The status of a complete response in {@code in}, or 0 while more bytes are needed. */
    static int complete(ByteBuffer in) {
        byte[] a = in.array();
        int len = in.position();
        int headEnd = -1;
        for (int i = 3; i < len; i++) {
            if (a[i] == '\n' && a[i - 1] == '\r' && a[i - 2] == '\n' && a[i - 3] == '\r') {
                headEnd = i + 1;
                break;
            }
        }
        if (headEnd < 0) {
            return 0;
        }
        String head = new String(a, 0, headEnd, StandardCharsets.US_ASCII);
        int status = Integer.parseInt(head.substring(9, 12));
        String lower = head.toLowerCase();
        int cl = lower.indexOf("\ncontent-length:");
        if (cl >= 0) {
            int eol = lower.indexOf('\r', cl);
            int length = Integer.parseInt(lower.substring(cl + 16, eol).trim());
            return len >= headEnd + length ? status : 0;
        }
        if (lower.contains("\ntransfer-encoding: chunked")) {
            return len >= headEnd + 5 && a[len - 5] == '0' && a[len - 4] == '\r' && a[len - 3] == '\n'
                    && a[len - 2] == '\r' && a[len - 1] == '\n' ? status : 0;
        }
        return status;
    }
}
