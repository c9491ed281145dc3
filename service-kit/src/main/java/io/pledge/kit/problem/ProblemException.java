package io.pledge.kit.problem;

/**
 * Thrown by service code to answer with a specific problem. The message is the problem's
 * {@code detail}: it reaches the client, so it must never contain personal data.
 */
public class ProblemException extends RuntimeException {

    private final transient Problem problem;

    public ProblemException(ProblemType type, String detail) {
        this(Problem.of(type, detail));
    }

    public ProblemException(ProblemType type, String detail, String field) {
        this(Problem.of(type, detail).withField(field));
    }

    public ProblemException(Problem problem) {
        super(problem.detail(), null, false, false);
        this.problem = problem;
    }

    public Problem problem() {
        return problem;
    }
}
