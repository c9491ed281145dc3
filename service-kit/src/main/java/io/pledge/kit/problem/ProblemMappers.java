package io.pledge.kit.problem;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.quarkus.logging.Log;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.vertx.core.http.HttpServerRequest;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Maps every exception that reaches the REST layer to an RFC 9457 problem: validation and parse
 * errors are 4xx, never 500; nothing echoes the input (it may be personal data) or a stack trace.
 */
public class ProblemMappers {

    private final ProblemWriter writer;

    public ProblemMappers(ProblemWriter writer) {
        this.writer = writer;
    }

    @ServerExceptionMapper
    public Response problem(ProblemException e, HttpServerRequest request) {
        return writer.response(e.problem().withInstance(request.path()));
    }

    /** Listed one by one: quarkus-rest-jackson has built-in mappers for the more specific types. */
    @ServerExceptionMapper({JsonProcessingException.class, JsonParseException.class, MismatchedInputException.class,
            UnrecognizedPropertyException.class, InvalidFormatException.class})
    public Response json(JsonProcessingException e, HttpServerRequest request) {
        return writer.response(fromJackson(e).withInstance(request.path()));
    }

    @ServerExceptionMapper
    public Response constraint(ConstraintViolationException e, HttpServerRequest request) {
        return writer.response(invalid(e.getConstraintViolations().stream()
                .map(v -> new Problem.FieldError(leafField(v), v.getMessage()))
                .toList()).withInstance(request.path()));
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
    public Response unauthorized(RuntimeException e, HttpServerRequest request) {
        return writer.response(unauthorized().withInstance(request.path()));
    }

    /** No valid bearer token. */
    public static Problem unauthorized() {
        return Problem.of(ProblemType.UNAUTHORIZED,
                "A valid bearer token is required: missing, expired, tampered or not signed by Pledge.");
    }

    /** A body in a media type other than JSON. */
    public static Problem unsupportedMediaType(String contentType) {
        return Problem.of(ProblemType.UNSUPPORTED_MEDIA_TYPE,
                "Content-Type " + contentType + " is not accepted here; send application/json.");
    }

    /** A valid token that does not allow the action. */
    public static Problem forbidden() {
        return Problem.of(ProblemType.FORBIDDEN, "The token is valid but does not allow this action on this resource.");
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, HttpServerRequest request) {
        return writer.response(forbidden().withInstance(request.path()));
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, HttpServerRequest request) {
        Throwable cause = e.getCause();
        if (cause instanceof JsonProcessingException jpe) {
            return json(jpe, request);
        }
        int status = e.getResponse().getStatus();
        ProblemType type = ProblemType.forStatus(status);
        String detail = switch (type) {
            case NOT_FOUND -> "No resource at " + request.method() + " " + request.path() + ".";
            case METHOD_NOT_ALLOWED -> request.method() + " is not allowed on " + request.path() + ".";
            case UNSUPPORTED_MEDIA_TYPE -> unsupportedMediaType(request.getHeader("Content-Type")).detail();
            case NOT_ACCEPTABLE -> "This resource cannot answer in the media type the Accept header asks for.";
            case PAYLOAD_TOO_LARGE -> "The request body is larger than this service accepts.";
            default -> type.title() + ".";
        };
        Problem p = new Problem(type.uri(), type.title(), status, detail, request.path(), null, null);
        return writer.response(p);
    }

    @ServerExceptionMapper(priority = jakarta.ws.rs.Priorities.USER + 1000)
    public Response unexpected(Throwable e, HttpServerRequest request) {
        // Logged with its class and stack for operators; the client sees no internals.
        Log.errorf(e, "unhandled %s on %s %s", e.getClass().getName(), request.method(), request.path());
        return writer.response(Problem.of(ProblemType.INTERNAL,
                "The service failed to handle this request; it has been logged.").withInstance(request.path()));
    }

    /** The problem for a body Jackson could not read; also for handlers outside the REST layer. */
    public static Problem fromJackson(JsonProcessingException e) {
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
