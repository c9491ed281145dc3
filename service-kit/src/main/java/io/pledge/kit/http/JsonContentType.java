package io.pledge.kit.http;

import io.pledge.kit.problem.ProblemMappers;
import io.pledge.kit.problem.ProblemWriter;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * A body sent to an endpoint that consumes JSON only must say so: {@code Content-Type: application/json}, with or
 * without parameters ({@link StrictJson#isJson}). The REST layer itself refuses another declared type, but reads a
 * body with no Content-Type at all as JSON; this filter answers both with the 415 problem before the body is read.
 * Endpoints that also take forms or any type ({@code @Consumes(WILDCARD)}) are left alone.
 */
public class JsonContentType {

    private static final Map<Method, Boolean> JSON_ONLY = new ConcurrentHashMap<>();

    private final ProblemWriter writer;

    public JsonContentType(ProblemWriter writer) {
        this.writer = writer;
    }

    @ServerRequestFilter
    public Response require(ContainerRequestContext request, ResourceInfo resource) {
        Method method = resource.getResourceMethod();
        if (method == null || !hasBody(request) || !JSON_ONLY.computeIfAbsent(method, JsonContentType::consumesJsonOnly)
                || StrictJson.isJson(request.getHeaderString(HttpHeaders.CONTENT_TYPE))) {
            return null;
        }
        return writer.response(ProblemMappers.unsupportedMediaType().withInstance(RequestIds.instance(request)));
    }

    private static boolean hasBody(ContainerRequestContext request) {
        if (request.getHeaderString("Transfer-Encoding") != null) {
            return true;
        }
        String length = request.getHeaderString(HttpHeaders.CONTENT_LENGTH);
        return length != null && !length.trim().equals("0");
    }

    private static boolean consumesJsonOnly(Method method) {
        Consumes c = method.getAnnotation(Consumes.class);
        if (c == null) {
            c = method.getDeclaringClass().getAnnotation(Consumes.class);
        }
        if (c == null || c.value().length == 0) {
            return false;
        }
        for (String type : c.value()) {
            if (!StrictJson.isJson(type)) {
                return false;
            }
        }
        return true;
    }
}
