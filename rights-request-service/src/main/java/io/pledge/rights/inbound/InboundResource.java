package io.pledge.rights.inbound;

import io.pledge.kit.problem.ProblemException;
import io.pledge.kit.problem.ProblemType;
import io.quarkus.security.identity.SecurityIdentity;
import io.pledge.kit.security.AllowedClients;
import io.pledge.kit.security.Scopes;
import jakarta.annotation.security.RolesAllowed;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * Inbound sources (policy 2.1.3): data from a third party is used only when its source is registered with the legal
 * basis of its collection and the consent scope it obtained; a use outside that scope is refused. Public disclosures
 * (policy 4.4) are recorded only with a legal-document reference.
 */
@Path("/v1")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class InboundResource {

    /** A source registered by a privacy officer. */
    public record Source(@NotBlank @Pattern(regexp = "[a-z0-9][a-z0-9.-]{0,99}") String id,
                         @NotBlank @Pattern(regexp = "[A-Z][A-Z0-9_]{0,63}") String legalBasis,
                         @NotNull @Size(min = 1, max = 50) List<@Pattern(regexp = "[a-z0-9][a-z0-9-]{0,63}") String> consentScope,
                         @NotNull @Size(min = 1, max = 50) List<@Pattern(regexp = "[a-z0-9][a-z0-9-]{0,63}") String> categories) {
    }

    /** An intended use of a source's data. */
    public record Use(@NotBlank @Pattern(regexp = "[a-z0-9][a-z0-9-]{0,63}") String purposeId,
                      @NotNull @Size(min = 1, max = 50) List<@Pattern(regexp = "[a-z0-9][a-z0-9-]{0,63}") String> categories) {
    }

    /** A public disclosure: recipient, categories and the legal document (or consent record) allowing it. */
    public record Disclosure(UUID subjectId,
                             @NotBlank @Pattern(regexp = "[a-z0-9][a-z0-9.-]{0,99}") String recipient,
                             @NotNull @Size(min = 1, max = 50) List<@Pattern(regexp = "[a-z0-9][a-z0-9-]{0,63}") String> categories,
                             @NotBlank @Pattern(regexp = "LEGAL_DOCUMENT|CONSENT") String basis,
                             @Size(max = 200) @Pattern(regexp = "[A-Za-z0-9 ._:/()-]+") String legalDocumentRef) {
    }

    private final EntityManager em;
    private final SecurityIdentity identity;

    public InboundResource(EntityManager em, SecurityIdentity identity) {
        this.em = em;
        this.identity = identity;
    }

    @POST
    @Path("inbound-sources")
    @RolesAllowed("privacy-officer")
    @Transactional
    @Operation(summary = "Register an inbound source with its legal basis and the consent scope it obtained (2.1.3)")
    public Response register(@Valid @NotNull Source s) {
        int n = em.createNativeQuery("insert into inbound_source (id, legal_basis, consent_scope, categories, status, "
                        + "registered_at) values (?1, ?2, string_to_array(?3, ','), string_to_array(?4, ','), 'ACTIVE', ?5) on conflict (id) do nothing")
                .setParameter(1, s.id()).setParameter(2, s.legalBasis())
                .setParameter(3, String.join(",", s.consentScope())).setParameter(4, String.join(",", s.categories()))
                .setParameter(5, Instant.now()).executeUpdate();
        if (n == 0) {
            throw new ProblemException(ProblemType.CONFLICT, "A source with this id exists.", "id");
        }
        return Response.status(201).entity(s).build();
    }

    @POST
    @Path("inbound-sources/{id}/checks")
    @RolesAllowed({"holder", "privacy-officer"})
    @AllowedClients(value = "*", scope = Scopes.INBOUND_CHECK)
    @Transactional(Transactional.TxType.SUPPORTS)
    @Operation(summary = "May this source's data be used for this purpose and these categories? 422 when not")
    @SuppressWarnings("unchecked")
    public Map<String, Object> check(@PathParam("id") @Pattern(regexp = "[a-z0-9][a-z0-9.-]{0,99}") String id,
                                     @Valid @NotNull Use use) {
        List<Object[]> rows = em.createNativeQuery("select legal_basis, array_to_string(consent_scope, ','), array_to_string(categories, ',') from inbound_source "
                + "where id = ?1 and status = 'ACTIVE'").setParameter(1, id).getResultList();
        if (rows.isEmpty()) {
            throw new ProblemException(ProblemType.UNPROCESSABLE, "The source is not registered: its data may not be used.",
                    "sourceId");
        }
        List<String> scope = Arrays.asList(((String) rows.get(0)[1]).split(","));
        List<String> cats = Arrays.asList(((String) rows.get(0)[2]).split(","));
        if (!scope.contains(use.purposeId())) {
            throw new ProblemException(ProblemType.UNPROCESSABLE,
                    "The source's consent does not cover this purpose.", "purposeId");
        }
        if (!cats.containsAll(use.categories())) {
            throw new ProblemException(ProblemType.UNPROCESSABLE,
                    "The source did not collect some of these categories.", "categories");
        }
        return Map.of("permitted", true, "legalBasis", rows.get(0)[0]);
    }

    @POST
    @Path("disclosures")
    @RolesAllowed("privacy-officer")
    @Transactional
    @Operation(summary = "Record a public disclosure (4.4); a legal-document reference is required")
    public Response disclose(@Valid @NotNull Disclosure d) {
        if (d.legalDocumentRef() == null || d.legalDocumentRef().isBlank()) {
            throw new ProblemException(ProblemType.UNPROCESSABLE,
                    "A public disclosure needs the legal document (or consent record) that allows it.", "legalDocumentRef");
        }
        UUID id = UUID.randomUUID();
        Instant now = Instant.now();
        em.createNativeQuery("insert into disclosure (id, subject_id, recipient, categories, legal_document_ref, basis, "
                        + "recorded_by, disclosed_at) values (?1, cast(nullif(?2, '') as uuid), ?3, string_to_array(?4, ','), ?5, ?6, ?7, ?8)")
                .setParameter(1, id).setParameter(2, d.subjectId() == null ? "" : d.subjectId().toString()).setParameter(3, d.recipient())
                .setParameter(4, String.join(",", d.categories())).setParameter(5, d.legalDocumentRef())
                .setParameter(6, d.basis()).setParameter(7, identity.getPrincipal().getName()).setParameter(8, now)
                .executeUpdate();
        return Response.status(201).entity(Map.of("disclosureId", id, "disclosedAt", now.toString())).build();
    }
}
