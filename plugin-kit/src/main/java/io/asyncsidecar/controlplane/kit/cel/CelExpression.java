package io.asyncsidecar.controlplane.kit.cel;

import java.util.HashMap;
import java.util.Map;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.ast.CelReference;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelEvaluationListener;
import dev.cel.runtime.CelRuntime;

/**
 * One compiled CEL expression of a {@link CelEvaluator}: evaluate it as often as needed, from any thread.
 */
public final class CelExpression {

    private final CelEvaluator evaluator;
    private final String text;
    private final CelAbstractSyntaxTree ast;
    private final CelRuntime.Program program;
    private final CelResult problem;

    private CelExpression(CelEvaluator evaluator, String text, CelAbstractSyntaxTree ast, CelRuntime.Program program,
                          CelResult problem) {
        this.evaluator = evaluator;
        this.text = text;
        this.ast = ast;
        this.program = program;
        this.problem = problem;
    }

    static CelExpression compiled(CelEvaluator evaluator, String text, CelAbstractSyntaxTree ast,
                                  CelRuntime.Program program) {
        return new CelExpression(evaluator, text, ast, program, null);
    }

    static CelExpression failed(CelEvaluator evaluator, String text, CelResult problem) {
        return new CelExpression(evaluator, text, null, null, problem);
    }

    /** @return the expression's text */
    public String text() {
        return text;
    }

    /**
     * Why the expression cannot be evaluated.
     *
     * @return an {@link CelResult.Kind#ERROR error} (does not compile) or {@link CelResult.Kind#NOT_EVALUATED
     *         not evaluated} (uses a library this evaluator lacks) outcome, or null when it compiled
     */
    public CelResult problem() {
        return problem;
    }

    /** @return whether it compiled */
    public boolean compiled() {
        return problem == null;
    }

    /**
     * Whether the expression reads a variable, e.g. {@code oldSelf} in a transition rule.
     *
     * @param variable the variable name
     * @return true when it refers to it (false when it did not compile)
     */
    public boolean references(String variable) {
        if (ast == null) {
            return false;
        }
        for (CelReference r : ast.getReferenceMap().values()) {
            if (r.value().isEmpty() && variable.equals(r.name())) {
                return true;
            }
        }
        return false;
    }

    /**
     * Evaluates the expression.
     *
     * @param variables the variables' values, plain Java values (a variable left out is an error only if the
     *                  expression reads it)
     * @return the value, an error (run-time error or a limit), or the compile problem
     */
    public CelResult evaluate(Map<String, ?> variables) {
        if (problem != null) {
            return problem;
        }
        Map<String, Object> converted = new HashMap<>();
        variables.forEach((k, v) -> converted.put(k, CelValues.toCel(v)));
        return evaluateConverted(converted);
    }

    /** Evaluates with values already in CEL's runtime form ({@link CelValues#toCel}). */
    CelResult evaluateConverted(Map<String, Object> variables) {
        if (problem != null) {
            return problem;
        }
        Deadline deadline = new Deadline(System.nanoTime() + evaluator.limits().timeout().toNanos());
        try {
            return CelResult.of(CelValues.fromCel(program.trace(variables, deadline)));
        } catch (CelEvaluationException e) {
            return CelResult.error(deadline.passed ? overTime() : message(e));
        } catch (Deadline.Passed e) {
            return CelResult.error(overTime());
        } catch (RuntimeException e) {
            // an extension or a conversion failing on a value it did not expect: an outcome, never a crash
            return CelResult.error(deadline.passed ? overTime() : "evaluation failed: " + e.getMessage());
        } catch (StackOverflowError e) {
            return CelResult.error("evaluation nested too deeply");
        }
    }

    private String overTime() {
        return "evaluation stopped after " + evaluator.limits().timeout().toMillis() + " ms (time limit)";
    }

    private String message(CelEvaluationException e) {
        String m = String.valueOf(e.getMessage());
        if (m.contains("Iteration budget exceeded") || m.contains("iteration")) {
            return "evaluation stopped after " + evaluator.limits().maxIterations()
                    + " comprehension iterations (iteration limit): " + m;
        }
        return m;
    }

    @Override
    public String toString() {
        return text;
    }

    /** Stops an evaluation once its time is up; the runtime calls it after every sub-expression. */
    private static final class Deadline implements CelEvaluationListener {

        private final long at;
        private volatile boolean passed;

        Deadline(long at) {
            this.at = at;
        }

        @Override
        public void callback(dev.cel.common.ast.CelExpr expr, Object evaluatedResult) {
            if (System.nanoTime() - at > 0) {
                passed = true;
                throw new Passed();
            }
        }

        /** Thrown through the runtime to stop it. */
        static final class Passed extends RuntimeException {
            Passed() {
                super("time limit", null, false, false);
            }
        }
    }
}
