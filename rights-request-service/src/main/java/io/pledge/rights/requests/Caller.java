package io.pledge.rights.requests;

import io.pledge.kit.problem.ProblemException;
import io.pledge.kit.problem.ProblemType;
import io.pledge.kit.security.Roles;
import io.quarkus.security.identity.SecurityIdentity;
import java.util.UUID;

/** Who is calling: the token's subject and what it may do here. */
public record Caller(String id, boolean subject, boolean guardian, boolean officer, boolean agent) {

    public static Caller of(SecurityIdentity identity) {
        return new Caller(identity.getPrincipal().getName(), identity.hasRole(Roles.SUBJECT),
                identity.hasRole(Roles.GUARDIAN), identity.hasRole(Roles.PRIVACY_OFFICER),
                identity.hasRole(Roles.SUPPORT_AGENT));
    }

    public boolean operator() {
        return officer || agent;
    }

    /** A subject reaches only its own requests; operators reach all. Another subject's request is "not found". */
    public void mayRead(RightsRequest r) {
        if (operator()) {
            return;
        }
        if (r == null || r.subjectId == null || !r.subjectId.toString().equals(id)) {
            throw new ProblemException(ProblemType.NOT_FOUND, "No such request.", "requestId");
        }
    }

    public void mustBeOfficer() {
        if (!officer) {
            throw new ProblemException(ProblemType.FORBIDDEN, "Only a privacy officer may do this.");
        }
    }

    public UUID subjectIdOrNull() {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
