package io.pledge.consent.check;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pledge.consent.check.CheckResource.CheckRequest;
import io.pledge.consent.check.CheckResource.CheckResult;
import io.pledge.kit.http.RequestIds;
import io.pledge.kit.http.StrictJson;
import io.pledge.kit.problem.Problem;
import io.pledge.kit.problem.ProblemMappers;
import io.pledge.kit.problem.ProblemType;
import io.pledge.kit.problem.ProblemWriter;
import io.pledge.kit.security.AllowedClients;
import io.pledge.kit.security.ClientAccess;
import io.pledge.kit.security.Roles;
import io.pledge.kit.security.Scopes;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * {@code POST /v1/checks}, the single check every holder calls before processing, served straight from a Vert.x
 * route on the event loop: the same token verification (smallrye-jwt's parser with the kit's verified-token
 * cache), the same JSON rules (the application's {@link ObjectMapper}, strict through {@link StrictJson}: no key
 * twice, no coerced scalar, a JSON Content-Type), the same Bean Validation constraints, the same answer and the same
 * problem+json errors as the REST layer, without the REST layer's per-request machinery, which cost more than the
 * check itself. The
 * batch endpoint stays in {@link CheckResource}; the OpenAPI document describes both
 * ({@code META-INF/openapi.yaml} for this one).
 */
@ApplicationScoped
public class CheckRoute {

    /** Bodies larger than this are refused before they are read (a check is under 300 bytes). */
    static final int MAX_BODY = 16 * 1024;
    private static final String PATH = "/v1/checks";
    private static final String[] ALLOWED = CheckResource.class.getAnnotation(AllowedClients.class).value();
    private static final String JSON = "application/json";

    private final JWTParser tokens;
    private final ObjectMapper mapper;
    private final Validator validator;
    private final ConsentCheck check;
    private final ProblemWriter problems;
    private final ClientAccess access;

    public CheckRoute(JWTParser tokens, ObjectMapper mapper, Validator validator, ConsentCheck check,
                      ProblemWriter problems, ClientAccess access) {
        this.tokens = tokens;
        this.mapper = mapper;
        this.validator = validator;
        this.check = check;
        this.problems = problems;
        this.access = access;
    }

    void install(@Observes Router router) {
        // after the kit's body limit and failure handler (order MIN_VALUE + 10), before the REST layer
        router.post(PATH).order(-1000).handler(BodyHandler.create(false).setBodyLimit(MAX_BODY));
        router.post(PATH).order(-999).handler(this::handle);
    }

    private void handle(RoutingContext ctx) {
        String requestId = requestId(ctx);
        ctx.response().putHeader(RequestIds.HEADER, requestId);
        JsonWebToken caller = caller(ctx.request().getHeader(HttpHeaders.AUTHORIZATION));
        if (caller == null) {
            send(ctx, ProblemMappers.unauthorized(), requestId);
            return;
        }
        if (!caller.getGroups().contains(Roles.HOLDER)) {
            send(ctx, ProblemMappers.forbidden(), requestId);
            return;
        }
        // the same rule as CheckResource's @AllowedClients (this route answers before the REST layer)
        java.util.Optional<String> refused = access.refusal(caller, ALLOWED, Scopes.CONSENT_CHECK);
        if (refused.isPresent()) {
            send(ctx, Problem.of(ProblemType.FORBIDDEN, refused.get()), requestId);
            return;
        }
        if (!StrictJson.isJson(ctx.request().getHeader(HttpHeaders.CONTENT_TYPE))) {
            send(ctx, ProblemMappers.unsupportedMediaType(), requestId);
            return;
        }
        Buffer body = ctx.body().buffer();
        if (body == null || body.length() == 0) {
            send(ctx, ProblemMappers.invalid(List.of(new Problem.FieldError("body", "must not be null"))), requestId);
            return;
        }
        CheckRequest request;
        try {
            request = mapper.readValue(body.getBytes(), CheckRequest.class);
        } catch (JsonProcessingException e) {
            send(ctx, ProblemMappers.fromJackson(e), requestId);
            return;
        } catch (IOException e) {
            send(ctx, Problem.of(ProblemType.MALFORMED_JSON, "The request body is not valid JSON."), requestId);
            return;
        }
        if (request == null) {
            send(ctx, ProblemMappers.invalid(List.of(new Problem.FieldError("body", "must not be null"))), requestId);
            return;
        }
        Set<ConstraintViolation<CheckRequest>> violations = validator.validate(request);
        if (!violations.isEmpty()) {
            send(ctx, ProblemMappers.invalid(violations.stream()
                    .map(v -> new Problem.FieldError(v.getPropertyPath().toString(), v.getMessage())).toList()), requestId);
            return;
        }
        Instant now = Instant.now();
        ConsentCheck.Answer a = check.check(request.subjectId(), request.purposeId(), request.recipientId(),
                request.region(), now);
        CheckResult result = new CheckResult(request.subjectId(), request.purposeId(), request.recipientId(),
                request.region(), a.permitted(), a.reason(), a.recordId(), now);
        byte[] out;
        try {
            out = mapper.writeValueAsBytes(result);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a check result did not serialise", e);
        }
        ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, JSON).end(Buffer.buffer(out));
    }

    /** The verified token of the caller, or null when there is none or it does not verify. */
    private JsonWebToken caller(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        try {
            return tokens.parse(authorization.substring(7).trim());
        } catch (ParseException e) {
            return null;
        }
    }

    private static String requestId(RoutingContext ctx) {
        String id = ctx.request().getHeader(RequestIds.HEADER);
        return id != null && RequestIds.isSane(id) ? id : RequestIds.fresh();
    }

    private void send(RoutingContext ctx, Problem problem, String requestId) {
        Problem p = problem.withInstance(RequestIds.instance(requestId));
        if (p.status() == 401) {
            ctx.response().putHeader("WWW-Authenticate", "Bearer");
        }
        ctx.response().setStatusCode(p.status()).putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .end(problems.json(p));
    }
}
