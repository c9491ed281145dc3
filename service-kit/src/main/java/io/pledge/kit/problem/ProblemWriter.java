package io.pledge.kit.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

/** Renders a {@link Problem} as an {@code application/problem+json} response, for JAX-RS and for Vert.x. */
@ApplicationScoped
public class ProblemWriter {

    private final ObjectMapper mapper;

    public ProblemWriter(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public String json(Problem problem) {
        try {
            return mapper.writeValueAsString(problem);
        } catch (JsonProcessingException e) {
            // A record of strings and ints always serialises; keep a valid body regardless.
            return "{\"type\":\"" + ProblemType.INTERNAL.uri() + "\",\"status\":" + problem.status() + "}";
        }
    }

    public Response response(Problem problem) {
        Response.ResponseBuilder b = Response.status(problem.status())
                .type(Problem.MEDIA_TYPE)
                .entity(json(problem));
        if (problem.status() == 401) {
            b.header(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        }
        return b.build();
    }
}
