package io.pledge.kit.http;

import io.vertx.core.MultiMap;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The security headers on every response a service sends, whoever writes it (a resource, a problem, Quarkus's own
 * /q endpoints): HSTS, {@code nosniff}, no referrer, no framing, and {@code Cache-Control: no-store} unless the
 * response chose its own caching (API responses carry personal data). The gateway sends the same set on its own
 * answers and replaces these on what it passes on (deploy/README.md).
 */
@ApplicationScoped
public class SecurityHeaders {

    public static final String HSTS = "max-age=31536000; includeSubDomains";
    public static final String FRAME_ANCESTORS = "frame-ancestors 'none'";

    void install(@Observes Router router) {
        // before every other handler, so that even the body-limit and not-found problems carry them
        router.route().order(Integer.MIN_VALUE).handler(ctx -> {
            ctx.addHeadersEndHandler(v -> apply(ctx));
            ctx.next();
        });
    }

    private static void apply(RoutingContext ctx) {
        MultiMap h = ctx.response().headers();
        h.set("Strict-Transport-Security", HSTS);
        h.set("X-Content-Type-Options", "nosniff");
        h.set("Referrer-Policy", "no-referrer");
        h.set("X-Frame-Options", "DENY");
        if (!h.contains("Content-Security-Policy")) {
            h.set("Content-Security-Policy", FRAME_ANCESTORS);
        }
        if (!h.contains("Cache-Control")) {
            h.set("Cache-Control", "no-store");
        }
    }
}
