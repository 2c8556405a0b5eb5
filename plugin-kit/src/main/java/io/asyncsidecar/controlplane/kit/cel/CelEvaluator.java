package io.asyncsidecar.controlplane.kit.cel;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelIssue;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.SimpleType;
import dev.cel.extensions.CelExtensions;
import dev.cel.extensions.CelListsExtensions;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;

/**
 * Compiles CEL expressions once and evaluates them many times over plain Java values (the maps, lists, strings,
 * numbers and booleans {@code SafeYaml} gives), with Kubernetes' CEL environment as far as Google's CEL for
 * Java provides it: the standard macros ({@code has}, {@code all}, {@code exists}, {@code exists_one},
 * {@code map}, {@code filter}), the strings, math, sets and lists extensions, {@code matches} (RE2), optional
 * values, and Kubernetes' regex and list libraries ({@link KubernetesLibrary}). Every variable is declared
 * {@code dyn}, as Kubernetes does for schemaless values, so type errors surface when evaluating.
 *
 * <p>An expression using a Kubernetes library this environment lacks ({@code quantity()}, {@code isURL()},
 * {@code format}, {@code authorizer}...) is {@link CelResult.Kind#NOT_EVALUATED not evaluated}, naming what it
 * uses; any other compile failure, run-time error or limit is an {@link CelResult.Kind#ERROR error} outcome.
 * Nothing an expression does throws out of {@link CelExpression#evaluate}.
 *
 * <p>Each evaluation is bounded, since expressions come from the workspace and the config: comprehension loops
 * stop after {@link Limits#maxIterations} iterations in all (nested loops count together), and evaluation stops
 * once {@link Limits#timeout} has passed, checked after every sub-expression. {@code lists.range}, which would
 * allocate a list of any size in one call, is left out; regular expressions are RE2 programs of bounded size.
 *
 * <p>Instances are immutable and thread-safe; compiled expressions are cached by text.
 */
public final class CelEvaluator {

    /**
     * Bounds on expressions and their evaluation.
     *
     * @param maxIterations    iterations of all comprehension loops of one evaluation together
     * @param timeout          longest one evaluation may run
     * @param maxLength        longest expression text, in code points
     * @param maxCached        compiled expressions kept; the cache is emptied when it grows past this
     */
    public record Limits(int maxIterations, Duration timeout, int maxLength, int maxCached) {

        /** 100,000 iterations, 200 ms, 10,000 characters, 4,096 cached expressions. */
        public static final Limits DEFAULT = new Limits(100_000, Duration.ofMillis(200), 10_000, 4096);

        /**
         * Checks the bounds.
         *
         * @param maxIterations the iteration bound
         * @param timeout       the time bound
         * @param maxLength     the length bound
         * @param maxCached     the cache size
         */
        public Limits {
            Objects.requireNonNull(timeout, "timeout");
            if (maxIterations < 1 || timeout.isNegative() || timeout.isZero() || maxLength < 1 || maxCached < 1) {
                throw new IllegalArgumentException("CEL limits must be positive: iterations=" + maxIterations
                        + " timeout=" + timeout + " length=" + maxLength + " cached=" + maxCached);
            }
        }
    }

    private static final Pattern UNDECLARED = Pattern.compile(
            "undeclared reference to '([^']+)'|found no matching overload for '([^']+)'");
    /** Kubernetes variables named as such, not as functions, in "uses ..." messages. */
    private static final Set<String> VARIABLES = Set.of("authorizer", "namespaceObject", "format");

    private final List<String> variables;
    private final Limits limits;
    private final Cel cel;
    private final Map<String, CelExpression> cache = new ConcurrentHashMap<>();

    private CelEvaluator(List<String> variables, Limits limits) {
        this.variables = List.copyOf(variables);
        this.limits = Objects.requireNonNull(limits, "limits");
        CelOptions options = CelOptions.current()
                .enableOptionalSyntax(true)
                .enableHeterogeneousNumericComparisons(true)
                .comprehensionMaxIterations(limits.maxIterations())
                .maxExpressionCodePointSize(limits.maxLength())
                .maxRegexProgramSize(KubernetesLibrary.MAX_REGEX_PROGRAM)
                .build();
        var builder = CelFactory.standardCelBuilder()
                .setOptions(options)
                .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
                .addCompilerLibraries(CelExtensions.strings(), CelExtensions.math(options),
                        CelExtensions.sets(options), CelExtensions.optional(), lists())
                .addRuntimeLibraries(CelExtensions.strings(), CelExtensions.math(options),
                        CelExtensions.sets(options), CelExtensions.optional(), lists())
                .addFunctionDeclarations(KubernetesLibrary.declarations())
                .addFunctionBindings(KubernetesLibrary.bindings());
        for (String v : this.variables) {
            builder.addVar(v, SimpleType.DYN);
        }
        this.cel = builder.build();
    }

    /**
     * An evaluator whose expressions see these variables (each {@code dyn}).
     *
     * @param variables the variable names, e.g. {@code self}, {@code oldSelf}
     * @param limits    the bounds
     * @return the evaluator
     */
    public static CelEvaluator create(List<String> variables, Limits limits) {
        return new CelEvaluator(variables, limits);
    }

    /**
     * An evaluator with the default limits.
     *
     * @param variables the variable names
     * @return the evaluator
     */
    public static CelEvaluator create(List<String> variables) {
        return new CelEvaluator(variables, Limits.DEFAULT);
    }

    /** @return the variables expressions may use */
    public List<String> variables() {
        return variables;
    }

    /** @return the bounds */
    public Limits limits() {
        return limits;
    }

    /**
     * Compiles an expression, or takes it from the cache. A compile failure does not throw: the expression's
     * {@link CelExpression#problem()} says what is wrong, and evaluating it gives that outcome.
     *
     * @param expression the CEL text
     * @return the compiled expression
     */
    public CelExpression compile(String expression) {
        String text = expression == null ? "" : expression;
        CelExpression cached = cache.get(text);
        if (cached != null) {
            return cached;
        }
        CelExpression compiled = compileNew(text);
        if (cache.size() >= limits.maxCached()) {
            cache.clear();
        }
        cache.put(text, compiled);
        return compiled;
    }

    private CelExpression compileNew(String text) {
        if (text.isBlank()) {
            return CelExpression.failed(this, text, CelResult.error("empty expression"));
        }
        if (text.codePointCount(0, text.length()) > limits.maxLength()) {
            return CelExpression.failed(this, text, CelResult.error("expression is over the limit of "
                    + limits.maxLength() + " characters"));
        }
        try {
            CelAbstractSyntaxTree ast = cel.compile(text).getAst();
            return CelExpression.compiled(this, text, ast, cel.createProgram(ast));
        } catch (CelValidationException e) {
            return CelExpression.failed(this, text, classify(e.getErrors()));
        } catch (CelEvaluationException | RuntimeException | StackOverflowError e) {
            return CelExpression.failed(this, text, CelResult.error("does not compile: " + e.getMessage()));
        }
    }

    private static CelResult classify(List<CelIssue> issues) {
        Set<String> unsupported = new LinkedHashSet<>();
        List<String> messages = new ArrayList<>();
        for (CelIssue issue : issues) {
            messages.add(issue.getMessage());
            Matcher m = UNDECLARED.matcher(issue.getMessage());
            while (m.find()) {
                String name = m.group(1) != null ? m.group(1) : m.group(2);
                String last = name.substring(name.lastIndexOf('.') + 1);
                String first = name.contains(".") ? name.substring(0, name.indexOf('.')) : name;
                if (KubernetesLibrary.UNSUPPORTED.contains(last) || KubernetesLibrary.UNSUPPORTED.contains(first)) {
                    String shown = KubernetesLibrary.UNSUPPORTED.contains(first) ? first : last;
                    unsupported.add(VARIABLES.contains(shown) ? shown : shown + "()");
                }
            }
        }
        if (!unsupported.isEmpty()) {
            return CelResult.notEvaluated("not evaluated: uses " + String.join(", ", unsupported)
                    + ", which this offline evaluator does not provide");
        }
        return CelResult.error("does not compile: " + String.join("; ", messages));
    }

    private static CelListsExtensions lists() {
        return CelExtensions.lists(CelListsExtensions.Function.SLICE, CelListsExtensions.Function.FLATTEN,
                CelListsExtensions.Function.DISTINCT, CelListsExtensions.Function.REVERSE,
                CelListsExtensions.Function.SORT, CelListsExtensions.Function.SORT_BY);
    }
}
