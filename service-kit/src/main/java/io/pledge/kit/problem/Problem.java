package io.pledge.kit.problem;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * An RFC 9457 problem detail, the body of every Pledge error response
 * ({@code application/problem+json}). Never carries a stack trace or personal data.
 *
 * @param type     stable URI of the error kind, see {@link ProblemType}
 * @param title    short summary of the kind, the same for every occurrence
 * @param status   the HTTP status code
 * @param detail   what went wrong this time, in words a frontend developer can act on
 * @param instance the request, by its id ({@code urn:pledge:request:<X-Request-Id>}); never its path, which may
 *                 carry personal data
 * @param field    the one input field that was wrong, when there is one
 * @param errors   every invalid field, for validation failures
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String instance, String field,
                      List<FieldError> errors) {

    /** Media type of problem responses. */
    public static final String MEDIA_TYPE = "application/problem+json";

    /** One invalid input field. */
    public record FieldError(String field, String message) {
    }

    public static Problem of(ProblemType type, String detail) {
        return new Problem(type.uri(), type.title(), type.status(), detail, null, null, null);
    }

    public Problem withInstance(String requestInstance) {
        return new Problem(type, title, status, detail, requestInstance, field, errors);
    }

    public Problem withField(String name) {
        return new Problem(type, title, status, detail, instance, name, errors);
    }

    public Problem withErrors(List<FieldError> fieldErrors) {
        return new Problem(type, title, status, detail, instance, field, List.copyOf(fieldErrors));
    }
}
