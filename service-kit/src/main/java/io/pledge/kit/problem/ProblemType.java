package io.pledge.kit.problem;

/**
 * The stable kinds of error a Pledge API answers with. The {@code type} URI of each never changes,
 * so that clients can branch on it; the README lists them.
 */
public enum ProblemType {
    MALFORMED_JSON(400, "Malformed JSON", "malformed-json"),
    INVALID_INPUT(400, "Invalid input", "invalid-input"),
    UNAUTHORIZED(401, "Authentication required", "unauthorized"),
    FORBIDDEN(403, "Forbidden", "forbidden"),
    NOT_FOUND(404, "Not found", "not-found"),
    METHOD_NOT_ALLOWED(405, "Method not allowed", "method-not-allowed"),
    NOT_ACCEPTABLE(406, "Not acceptable", "not-acceptable"),
    CONFLICT(409, "Conflict", "conflict"),
    GONE(410, "Gone", "gone"),
    PAYLOAD_TOO_LARGE(413, "Payload too large", "payload-too-large"),
    UNSUPPORTED_MEDIA_TYPE(415, "Unsupported media type", "unsupported-media-type"),
    UNPROCESSABLE(422, "Request cannot be processed", "unprocessable"),
    TOO_MANY_REQUESTS(429, "Too many requests", "too-many-requests"),
    INTERNAL(500, "Internal error", "internal"),
    UNAVAILABLE(503, "Service unavailable", "unavailable");

    private static final String PREFIX = "urn:pledge:problem:";

    private final int status;
    private final String title;
    private final String slug;

    ProblemType(int status, String title, String slug) {
        this.status = status;
        this.title = title;
        this.slug = slug;
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    public String uri() {
        return PREFIX + slug;
    }

    /** The kind a bare HTTP status maps to when nothing more specific is known. */
    public static ProblemType forStatus(int status) {
        for (ProblemType t : values()) {
            if (t.status == status && t != INVALID_INPUT) {
                return t;
            }
        }
        return status >= 500 ? INTERNAL : INVALID_INPUT;
    }
}
