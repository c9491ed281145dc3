package io.pledge.kit.http;

import io.pledge.kit.problem.Problem;
import io.pledge.kit.problem.ProblemType;
import io.pledge.kit.problem.ProblemWriter;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Problem responses for what never reaches the REST layer: a body over the configured limit
 * (checked from Content-Length before it is read), a path no route serves, and failures raised
 * by the HTTP layer itself. Without this, Vert.x would answer with an empty or HTML body. As in the REST layer, a
 * problem's {@code instance} is the request id, never the path.
 */
@ApplicationScoped
public class HttpProblems {

    private final ProblemWriter writer;
    private final long maxBodyBytes;

    public HttpProblems(ProblemWriter writer,
                        @ConfigProperty(name = "pledge.http.max-body-size") MemorySize maxBodySize) {
        this.writer = writer;
        this.maxBodyBytes = maxBodySize.asLongValue();
    }

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE + 10).handler(this::limitBody);
        router.route().order(Integer.MIN_VALUE + 10).failureHandler(this::failure);
        router.route().order(Integer.MAX_VALUE - 10).handler(this::notFound);
    }

    private void limitBody(RoutingContext ctx) {
        String length = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null) {
            long declared;
            try {
                declared = Long.parseLong(length.trim());
            } catch (NumberFormatException e) {
                send(ctx, Problem.of(ProblemType.INVALID_INPUT, "Content-Length is not a number."));
                return;
            }
            if (declared > maxBodyBytes) {
                send(ctx, Problem.of(ProblemType.PAYLOAD_TOO_LARGE,
                        "The request body is " + declared + " bytes; this service accepts at most "
                                + maxBodyBytes + " bytes."));
                return;
            }
        }
        ctx.next();
    }

    private void notFound(RoutingContext ctx) {
        send(ctx, Problem.of(ProblemType.NOT_FOUND, "No resource answers this method and path."));
    }

    private void failure(RoutingContext ctx) {
        if (ctx.response().headWritten()) {
            ctx.next();
            return;
        }
        int status = ctx.statusCode() > 0 ? ctx.statusCode() : 500;
        if (status == 413) {
            send(ctx, Problem.of(ProblemType.PAYLOAD_TOO_LARGE, "The request body is larger than this service accepts."));
        } else if (status >= 400 && status < 500) {
            ProblemType type = ProblemType.forStatus(status);
            send(ctx, new Problem(type.uri(), type.title(), status, type.title() + ".", null, null, null));
        } else {
            // 5xx and authentication challenges are left to Quarkus's own handlers.
            ctx.next();
        }
    }

    private void send(RoutingContext ctx, Problem problem) {
        // the REST layer's filter never saw this request: the caller's request id if sane, else a fresh one
        String id = ctx.request().getHeader(RequestIds.HEADER);
        if (id == null || !RequestIds.isSane(id)) {
            id = RequestIds.fresh();
        }
        Problem p = problem.withInstance(RequestIds.instance(id));
        ctx.response()
                .setStatusCode(p.status())
                .putHeader(RequestIds.HEADER, id)
                .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .end(writer.json(p));
    }
}
