package io.pledge.notification.announcement;

import io.pledge.kit.problem.ProblemException;
import io.pledge.kit.problem.ProblemType;
import jakarta.annotation.security.PermitAll;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** The public announcement page: anyone, no login; announcements carry no personal data. */
@Path("/v1/announcements")
@Produces(MediaType.APPLICATION_JSON)
@ApplicationScoped
@PermitAll
public class AnnouncementResource {

    /** One announcement, in both languages. */
    public record View(UUID id, String kind, Map<String, String> title, Map<String, String> body, Instant publishedAt) {
        static View of(Announcement a) {
            return new View(a.id, a.kind, a.title, a.body, a.publishedAt);
        }
    }

    @GET
    @Transactional(Transactional.TxType.SUPPORTS)
    @Operation(summary = "Every announcement, newest first (public)")
    public List<View> list() {
        return Announcement.<Announcement>list("order by publishedAt desc").stream().map(View::of).toList();
    }

    @GET
    @Path("{id}")
    @Transactional(Transactional.TxType.SUPPORTS)
    @Operation(summary = "One announcement (public)")
    public View get(@PathParam("id") UUID id) {
        Announcement a = Announcement.findById(id);
        if (a == null) {
            throw new ProblemException(ProblemType.NOT_FOUND, "No such announcement.");
        }
        return View.of(a);
    }
}
