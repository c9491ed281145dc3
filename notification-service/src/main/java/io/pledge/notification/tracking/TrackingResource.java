package io.pledge.notification.tracking;

import io.pledge.notification.delivery.Delivery;
import jakarta.annotation.security.PermitAll;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * Open pixel and click redirect of marketing email (policy 3.2): present only in messages to subjects who
 * consented to {@code email-tracking}; an open or a click is recorded only for such a delivery. The click
 * goes to the offer URL stored with the delivery, never to a URL from the request (no open redirect).
 */
@Path("/v1/tracking/{deliveryId}")
@ApplicationScoped
@PermitAll
public class TrackingResource {

    private static final byte[] PIXEL = Base64.getDecoder().decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7");

    private final EntityManager em;

    public TrackingResource(EntityManager em) {
        this.em = em;
    }

    @GET
    @Path("open")
    @Transactional
    @Operation(summary = "Open pixel (recorded only with email-tracking consent)")
    public Response open(@PathParam("deliveryId") UUID id) {
        em.createNativeQuery("update delivery set opened_at = coalesce(opened_at, ?2) where id = ?1 and tracked")
                .setParameter(1, id).setParameter(2, Instant.now()).executeUpdate();
        return Response.ok(PIXEL, "image/gif").header("Cache-Control", "no-store").build();
    }

    @GET
    @Path("click")
    @Transactional
    @Operation(summary = "Click redirect to the message's offer (recorded only with email-tracking consent)")
    public Response click(@PathParam("deliveryId") UUID id) {
        Delivery d = Delivery.findById(id);
        String to = d == null || !d.tracked ? null : d.params().get("offerUrl");
        if (to == null || !to.startsWith("https://")) {
            return Response.status(404).build();
        }
        if (d.clickedAt == null) {
            d.clickedAt = Instant.now();
        }
        return Response.seeOther(URI.create(to)).build();
    }
}
