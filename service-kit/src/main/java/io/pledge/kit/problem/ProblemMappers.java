package io.pledge.kit.problem;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.pledge.kit.http.RequestIds;
import io.quarkus.logging.Log;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Maps every exception that reaches the REST layer to an RFC 9457 problem: validation and parse
 * errors are 4xx, never 500; nothing echoes the input or the request path (either may carry personal data) or a
 * stack trace. The {@code instance} of every problem is the request's id ({@link RequestIds#instance}), the one
 * the response's {@code X-Request-Id} and the service's log carry.
 */
public class ProblemMappers {

    private final ProblemWriter writer;

    public ProblemMappers(ProblemWriter writer) {
        this.writer = writer;
    }

    @ServerExceptionMapper
    public Response problem(ProblemException e, ContainerRequestContext request) {
        Response r = writer.response(e.problem().withInstance(RequestIds.instance(request)));
        if (e instanceof RetryLater later) {
            return Response.fromResponse(r).header("Retry-After", Long.toString(later.retryAfterSeconds())).build();
        }
        return r;
    }

    /** Listed one by one: quarkus-rest-jackson has built-in mappers for the more specific types. */
    @ServerExceptionMapper({JsonProcessingException.class, JsonParseException.class, MismatchedInputException.class,
            UnrecognizedPropertyException.class, InvalidFormatException.class})
    public Response json(JsonProcessingException e, ContainerRequestContext request) {
        return writer.response(fromJackson(e).withInstance(RequestIds.instance(request)));
    }

    @ServerExceptionMapper
    public Response constraint(ConstraintViolationException e, ContainerRequestContext request) {
        return writer.response(invalid(e.getConstraintViolations().stream()
                .map(v -> new Problem.FieldError(leafField(v), v.getMessage()))
                .toList()).withInstance(RequestIds.instance(request)));
    }

    /** The problem for invalid fields, sorted by field; also for handlers outside the REST layer. */
    public static Problem invalid(List<Problem.FieldError> unsorted) {
        List<Problem.FieldError> errors = unsorted.stream()
                .sorted(Comparator.comparing(Problem.FieldError::field))
                .toList();
        String detail = errors.stream().map(f -> f.field() + " " + f.message()).collect(Collectors.joining("; "));
        Problem p = Problem.of(ProblemType.INVALID_INPUT, detail).withErrors(errors);
        if (errors.size() == 1) {
            p = p.withField(errors.get(0).field());
        }
        return p;
    }

    @ServerExceptionMapper({AuthenticationFailedException.class, UnauthorizedException.class})
    public Response unauthorized(RuntimeException e, ContainerRequestContext request) {
        return writer.response(unauthorized().withInstance(RequestIds.instance(request)));
    }

    /** No valid bearer token. */
    public static Problem unauthorized() {
        return Problem.of(ProblemType.UNAUTHORIZED,
                "A valid bearer token is required: missing, expired, tampered or not signed by Pledge.");
    }

    /** A body in a media type other than JSON, or with no Content-Type at all. */
    public static Problem unsupportedMediaType() {
        return Problem.of(ProblemType.UNSUPPORTED_MEDIA_TYPE,
                "The body's Content-Type is missing or not accepted here; send application/json.");
    }

    /** A valid token that does not allow the action. */
    public static Problem forbidden() {
        return Problem.of(ProblemType.FORBIDDEN, "The token is valid but does not allow this action on this resource.");
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, ContainerRequestContext request) {
        return writer.response(forbidden().withInstance(RequestIds.instance(request)));
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, ContainerRequestContext request) {
        Throwable cause = e.getCause();
        if (cause instanceof JsonProcessingException jpe) {
            return json(jpe, request);
        }
        int status = e.getResponse().getStatus();
        ProblemType type = ProblemType.forStatus(status);
        String detail = switch (type) {
            case NOT_FOUND -> "No resource answers this method and path.";
            case METHOD_NOT_ALLOWED -> request.getMethod() + " is not allowed on this resource.";
            case UNSUPPORTED_MEDIA_TYPE -> unsupportedMediaType().detail();
            case NOT_ACCEPTABLE -> "This resource cannot answer in the media type the Accept header asks for.";
            case PAYLOAD_TOO_LARGE -> "The request body is larger than this service accepts.";
            default -> type.title() + ".";
        };
        Problem p = new Problem(type.uri(), type.title(), status, detail, RequestIds.instance(request), null, null);
        return writer.response(p);
    }

    @ServerExceptionMapper(priority = jakarta.ws.rs.Priorities.USER + 1000)
    public Response unexpected(Throwable e, ContainerRequestContext request) {
        String race = concurrentChange(e);
        if (race != null) {
            // the database refused one of two changes made at once; nothing of this request was committed
            Log.infof("concurrent change refused (%s) on %s %s", race, request.getMethod(), request.getUriInfo().getPath());
            return writer.response(Problem.of(ProblemType.CONFLICT,
                    "Another request changed the same data at the same time; read it again and retry.")
                    .withInstance(RequestIds.instance(request)));
        }
        // Logged with its class and stack for operators; the client sees no internals.
        Log.errorf(e, "unhandled %s on %s %s", e.getClass().getName(), request.getMethod(),
                request.getUriInfo().getPath());
        return writer.response(Problem.of(ProblemType.INTERNAL,
                "The service failed to handle this request; it has been logged.").withInstance(RequestIds.instance(request)));
    }

    /**
     * What the database refused two changes at once with, anywhere in {@code e}'s causes: a unique key taken by a
     * concurrent insert, a serialization failure or a deadlock, or an optimistic lock; null for anything else.
     * Only the kind is returned: the exceptions' messages may quote values.
     */
    static String concurrentChange(Throwable e) {
        for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof jakarta.persistence.OptimisticLockException) {
                return "optimistic lock";
            }
            if (t instanceof java.sql.SQLException sql && sql.getSQLState() != null) {
                switch (sql.getSQLState()) {
                    case "23505": return "unique violation";
                    case "40001": return "serialization failure";
                    case "40P01": return "deadlock";
                    default: break;
                }
            }
        }
        return null;
    }

    /** The problem for a body Jackson could not read; also for handlers outside the REST layer. */
    public static Problem fromJackson(JsonProcessingException e) {
        String duplicate = duplicateField(e);
        if (duplicate != null) {
            return Problem.of(ProblemType.INVALID_INPUT, "Field '" + duplicate + "' is given more than once.")
                    .withField(duplicate);
        }
        if (e instanceof UnrecognizedPropertyException u) {
            return Problem.of(ProblemType.INVALID_INPUT, "Unknown field '" + u.getPropertyName() + "'.")
                    .withField(path(u));
        }
        if (e instanceof InvalidFormatException f) {
            return Problem.of(ProblemType.INVALID_INPUT, "Field '" + path(f) + "' has the wrong format; expected "
                    + simpleType(f.getTargetType()) + ".").withField(path(f));
        }
        if (e instanceof MismatchedInputException m && !path(m).isEmpty()) {
            return Problem.of(ProblemType.INVALID_INPUT, "Field '" + path(m) + "' has the wrong type; expected "
                    + simpleType(m.getTargetType()) + ".").withField(path(m));
        }
        JsonLocation loc = e.getLocation();
        String where = loc == null ? "" : " (line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ")";
        return Problem.of(ProblemType.MALFORMED_JSON, "The request body is not valid JSON" + where + ".");
    }

    /**
     * The path of the key a strict parser ({@code STRICT_DUPLICATE_DETECTION}, see {@code StrictJson}) found twice,
     * or null when {@code e} is not about a duplicate key. The parser raises it, possibly wrapped by databind with
     * the path of the enclosing property; the parser's own context knows the whole path.
     */
    private static String duplicateField(JsonProcessingException e) {
        Throwable t = e;
        while (t != null && !(t instanceof JsonParseException)) {
            t = t.getCause();
        }
        if (!(t instanceof JsonParseException pe) || pe.getOriginalMessage() == null
                || !pe.getOriginalMessage().startsWith("Duplicate field '")
                || pe.getProcessor() == null) {
            return null;
        }
        JsonParser parser = pe.getProcessor();
        StringBuilder path = new StringBuilder();
        for (JsonStreamContext c = parser.getParsingContext(); c != null && !c.inRoot(); c = c.getParent()) {
            String step = c.inObject() ? c.getCurrentName() : "[" + c.getCurrentIndex() + "]";
            if (step == null) {
                continue;
            }
            if (path.length() > 0 && path.charAt(0) != '[') {
                path.insert(0, '.');
            }
            path.insert(0, step);
        }
        return path.length() == 0 ? null : path.toString();
    }

    private static String simpleType(Class<?> type) {
        return type == null ? "another type" : type.getSimpleName();
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
    }

    private static String leafField(ConstraintViolation<?> v) {
        String path = v.getPropertyPath().toString();
        // "method.arg0.field" -> "field"; a bare argument keeps its name
        int dot = path.indexOf('.', path.indexOf('.') + 1);
        return dot > 0 ? path.substring(dot + 1) : path.substring(path.indexOf('.') + 1);
    }
}
