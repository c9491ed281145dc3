package io.pledge.events;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The JSON Canonicalization Scheme (RFC 8785) for the values signed statements are made of: objects (map keys sorted by
 * UTF-16 code units, entries whose value is null left out), arrays, strings, booleans and integers. Whatever a
 * signer's language, the same statement gives the same bytes; no floating-point number is ever signed here.
 */
public final class Jcs {

    private Jcs() {
    }

    /** The canonical UTF-8 bytes of {@code value}. */
    public static byte[] bytes(Object value) {
        StringBuilder out = new StringBuilder();
        write(out, value);
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void write(StringBuilder out, Object v) {
        if (v == null) {
            out.append("null");
        } else if (v instanceof String s) {
            string(out, s);
        } else if (v instanceof Boolean b) {
            out.append(b);
        } else if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
            long n = ((Number) v).longValue();
            if (Math.abs(n) > (1L << 53)) {
                // beyond 2^53 ECMAScript numbers lose digits: a signer in another language would sign other bytes
                throw new IllegalArgumentException("an integer beyond 2^53 cannot be canonicalised");
            }
            out.append(n);
        } else if (v instanceof Map<?, ?> m) {
            List<String> keys = new ArrayList<>();
            for (Object k : m.keySet()) {
                keys.add((String) k);
            }
            // String.compareTo compares UTF-16 code units, as RFC 8785 section 3.2.3 requires
            keys.sort(String::compareTo);
            out.append('{');
            boolean first = true;
            for (String k : keys) {
                Object value = m.get(k);
                if (value == null) {
                    continue;
                }
                if (!first) {
                    out.append(',');
                }
                first = false;
                string(out, k);
                out.append(':');
                write(out, value);
            }
            out.append('}');
        } else if (v instanceof List<?> l) {
            out.append('[');
            for (int i = 0; i < l.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                write(out, l.get(i));
            }
            out.append(']');
        } else {
            throw new IllegalArgumentException("not a canonical JSON value: " + v.getClass().getSimpleName());
        }
    }

    /** A string as ECMAScript's JSON.stringify writes it (RFC 8785 section 3.2.2.2). */
    private static void string(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\f' -> out.append("\\f");
                case '\r' -> out.append("\\r");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else if (Character.isSurrogate(c)) {
                        if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                            out.append(c).append(s.charAt(++i));
                        } else {
                            throw new IllegalArgumentException("a lone surrogate cannot be canonicalised");
                        }
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
