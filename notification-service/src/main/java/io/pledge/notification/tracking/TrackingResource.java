package io.pledge.notification.tracking;

import io.pledge.notification.contact.ConsentClient;
import io.pledge.notification.contact.Unavailable;
import io.pledge.notification.delivery.Kinds;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.annotation.security.PermitAll;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * Open pixel and click redirect of marketing email (policy 3.2): present only in messages to subjects who
 * consented to {@code email-tracking}; an open or a click is recorded only for such a delivery, and only while that
 * consent still holds: each hit asks consent-service (fail closed: unreachable records nothing), so a hit arriving
 * after the subject withdrew (or a DNT/GPC signal refused tracking) records nothing, and neither does a hit on a
 * delivery a processing stop untracked. A click goes to the offer URL stored with the delivery, never to a URL from
 * the request (no open redirect), whether or not it is recorded: a link in a message sent before a withdrawal still
 * reaches its offer.
 */
@Path("/v1/tracking/{deliveryId}")
@ApplicationScoped
@PermitAll
public class TrackingResource {

    private static final byte[] PIXEL = Base64.getDecoder().decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7");

    private record Target(UUID subjectId, String offerUrl, boolean tracked) {
    }

    private final EntityManager em;
    private final ConsentClient consent;

    public TrackingResource(EntityManager em, ConsentClient consent) {
        this.em = em;
        this.consent = consent;
    }

    @GET
    @Path("open")
    @Operation(summary = "Open pixel (recorded only while email-tracking consent holds)")
    public Response open(@PathParam("deliveryId") UUID id) {
        Target t = tracked(id);
        if (t != null && stillConsented(t.subjectId())) {
            QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("update delivery set opened_at = "
                    + "coalesce(opened_at, ?2) where id = ?1 and tracked").setParameter(1, id).setParameter(2, Instant.now())
                    .executeUpdate());
        }
        return Response.ok(PIXEL, "image/gif").header("Cache-Control", "no-store").build();
    }

    @GET
    @Path("click")
    @Operation(summary = "Click redirect to the message's offer (recorded only while email-tracking consent holds)")
    public Response click(@PathParam("deliveryId") UUID id) {
        Target t = QuarkusTransaction.requiringNew().call(() -> target(id));
        String to = t == null ? null : t.offerUrl();
        if (to == null || !to.startsWith("https://")) {
            return Response.status(404).build();
        }
        if (t.tracked() && t.subjectId() != null && stillConsented(t.subjectId())) {
            QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("update delivery set clicked_at = "
                    + "coalesce(clicked_at, ?2) where id = ?1 and tracked").setParameter(1, id).setParameter(2, Instant.now())
                    .executeUpdate());
        }
        return Response.seeOther(URI.create(to)).build();
    }

    /** The tracked delivery's subject (null when the delivery is not tracked, unknown or erased). */
    private Target tracked(UUID id) {
        Target t = QuarkusTransaction.requiringNew().call(() -> target(id));
        return t == null || t.subjectId() == null || !t.tracked() ? null : t;
    }

    /** A delivery: its subject (null once erased), offer, and whether it is still tracked; null when unknown. */
    private Target target(UUID id) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("select subject_id, params ->> 'offerUrl', tracked from delivery where id = ?1")
                .setParameter(1, id).getResultList();
        if (rows.isEmpty()) {
            return null;
        }
        Object[] r = rows.get(0);
        return new Target(r[0] == null ? null : (UUID) r[0], (String) r[1], Boolean.TRUE.equals(r[2]));
    }

    private boolean stillConsented(UUID subject) {
        try {
            return consent.permitted(List.of(subject), Kinds.TRACKING_PURPOSE).contains(subject);
        } catch (Unavailable e) {
            return false; // fail closed: nothing is recorded without a current answer
        }
    }
}
