package io.pledge.kit.http;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import org.jboss.logging.MDC;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * Carries the gateway's {@code X-Request-Id} (or a fresh one) into the log context
 * ({@code %X{requestId}}) for the whole request, and back in the response, so one request can be
 * followed from the gateway through every service's log.
 */
public class RequestIds {

    public static final String HEADER = "X-Request-Id";
    public static final String MDC_KEY = "requestId";
    private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._-]{8,64}");
    private static final String INSTANCE_PREFIX = "urn:pledge:request:";

    /** Whether a request id from outside may be carried on (short, and only characters safe in a log line). */
    public static boolean isSane(String id) {
        return SANE.matcher(id).matches();
    }

    /**
     * A problem's {@code instance} for the request with this id: {@code urn:pledge:request:<id>}. Problems name the
     * request this way, never by its path, which may carry ids or other personal data.
     */
    public static String instance(String id) {
        return id == null ? null : INSTANCE_PREFIX + id;
    }

    /** The problem {@code instance} of a request in the REST layer: its id as {@link #in} chose it. */
    public static String instance(ContainerRequestContext request) {
        Object id = request.getProperty(MDC_KEY);
        if (id == null) {
            // a failure before the pre-matching filter ran: the caller's id if it is sane; otherwise none
            String header = request.getHeaderString(HEADER);
            id = header != null && isSane(header) ? header : null;
        }
        return id == null ? null : instance(id.toString());
    }

    /** A new request id: a correlation id, not a secret, so no need to take SecureRandom's lock on every request. */
    public static String fresh() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return new UUID(r.nextLong() & 0xffffffffffff0fffL | 0x0000000000004000L,
                r.nextLong() & 0x3fffffffffffffffL | 0x8000000000000000L).toString();
    }

    @ServerRequestFilter(preMatching = true)
    public void in(ContainerRequestContext request) {
        String id = request.getHeaderString(HEADER);
        if (id == null || !isSane(id)) {
            id = fresh();
        }
        request.setProperty(MDC_KEY, id);
        MDC.put(MDC_KEY, id);
    }

    @ServerResponseFilter
    public void out(ContainerRequestContext request, ContainerResponseContext response) {
        Object id = request.getProperty(MDC_KEY);
        if (id != null) {
            response.getHeaders().putSingle(HEADER, id.toString());
        }
        MDC.remove(MDC_KEY);
    }
}
