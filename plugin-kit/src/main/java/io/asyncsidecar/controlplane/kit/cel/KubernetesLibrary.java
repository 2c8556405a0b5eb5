package io.asyncsidecar.controlplane.kit.cel;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import dev.cel.common.CelFunctionDecl;
import dev.cel.common.CelOverloadDecl;
import dev.cel.common.types.CelType;
import dev.cel.common.types.ListType;
import dev.cel.common.types.SimpleType;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelFunctionBinding;

/**
 * The parts of Kubernetes' own CEL libraries that need no Kubernetes types: the regex library ({@code find},
 * {@code findAll}) and the list library ({@code isSorted}, {@code sum}, {@code min}, {@code max},
 * {@code indexOf}, {@code lastIndexOf}), with the semantics of k8s.io/apiserver/pkg/cel/library. The libraries
 * that need their own types or the cluster ({@code quantity}, {@code url}, {@code ip}, {@code cidr},
 * {@code semver}, {@code format}, {@code authorizer}) are listed in {@link #UNSUPPORTED}: an expression using
 * one is reported as not evaluated, naming it.
 *
 * <p>Regular expressions go through RE2/J, linear in the input like the API server's Go RE2, so a hostile
 * pattern cannot backtrack for ever.
 */
final class KubernetesLibrary {

    /** Kubernetes' CEL functions and variables this library does not provide. */
    static final Set<String> UNSUPPORTED = Set.of("quantity", "isQuantity", "url", "isURL", "ip", "isIP", "cidr",
            "isCIDR", "semver", "isSemver", "format", "authorizer", "isGreaterThan", "isLessThan", "compareTo",
            "asApproximateFloat", "asInteger", "isInteger", "getScheme", "getHost", "getHostname", "getPort",
            "getEscapedPath", "getQuery", "family", "isUnspecified", "isLoopback", "isLinkLocalMulticast",
            "isLinkLocalUnicast", "isGlobalUnicast", "containsIP", "containsCIDR", "prefixLength", "masked",
            "major", "minor", "patch", "namespaceObject");

    /** Largest regular expression program, as in cel-java's own option. */
    static final int MAX_REGEX_PROGRAM = 1000;

    private static final CelType DYN_LIST = ListType.create(SimpleType.DYN);
    private static final CelType STRING_LIST = ListType.create(SimpleType.STRING);

    private KubernetesLibrary() {
    }

    static List<CelFunctionDecl> declarations() {
        return List.of(
                CelFunctionDecl.newFunctionDeclaration("find",
                        CelOverloadDecl.newMemberOverload("k8s_string_find_string", SimpleType.STRING,
                                SimpleType.STRING, SimpleType.STRING)),
                CelFunctionDecl.newFunctionDeclaration("findAll",
                        CelOverloadDecl.newMemberOverload("k8s_string_find_all_string", STRING_LIST,
                                SimpleType.STRING, SimpleType.STRING),
                        CelOverloadDecl.newMemberOverload("k8s_string_find_all_string_int", STRING_LIST,
                                SimpleType.STRING, SimpleType.STRING, SimpleType.INT)),
                CelFunctionDecl.newFunctionDeclaration("isSorted",
                        CelOverloadDecl.newMemberOverload("k8s_list_is_sorted", SimpleType.BOOL, DYN_LIST)),
                CelFunctionDecl.newFunctionDeclaration("sum",
                        CelOverloadDecl.newMemberOverload("k8s_list_sum", SimpleType.DYN, DYN_LIST)),
                CelFunctionDecl.newFunctionDeclaration("min",
                        CelOverloadDecl.newMemberOverload("k8s_list_min", SimpleType.DYN, DYN_LIST)),
                CelFunctionDecl.newFunctionDeclaration("max",
                        CelOverloadDecl.newMemberOverload("k8s_list_max", SimpleType.DYN, DYN_LIST)),
                CelFunctionDecl.newFunctionDeclaration("indexOf",
                        CelOverloadDecl.newMemberOverload("k8s_list_index_of", SimpleType.INT, DYN_LIST,
                                SimpleType.DYN)),
                CelFunctionDecl.newFunctionDeclaration("lastIndexOf",
                        CelOverloadDecl.newMemberOverload("k8s_list_last_index_of", SimpleType.INT, DYN_LIST,
                                SimpleType.DYN)));
    }

    static List<CelFunctionBinding> bindings() {
        return List.of(
                CelFunctionBinding.from("k8s_string_find_string", String.class, String.class,
                        (s, re) -> {
                            Matcher m = pattern(re).matcher(s);
                            return m.find() ? m.group() : "";
                        }),
                CelFunctionBinding.from("k8s_string_find_all_string", String.class, String.class,
                        (s, re) -> findAll(s, re, -1)),
                CelFunctionBinding.from("k8s_string_find_all_string_int", List.of(String.class, String.class,
                        Long.class), args -> findAll((String) args[0], (String) args[1], (Long) args[2])),
                CelFunctionBinding.from("k8s_list_is_sorted", List.class, l -> {
                    for (int i = 1; i < l.size(); i++) {
                        if (compare(l.get(i - 1), l.get(i)) > 0) {
                            return false;
                        }
                    }
                    return true;
                }),
                CelFunctionBinding.from("k8s_list_sum", List.class, KubernetesLibrary::sum),
                CelFunctionBinding.from("k8s_list_min", List.class, l -> extreme(l, -1)),
                CelFunctionBinding.from("k8s_list_max", List.class, l -> extreme(l, 1)),
                CelFunctionBinding.from("k8s_list_index_of", List.class, Object.class,
                        (l, e) -> (long) l.indexOf(e)),
                CelFunctionBinding.from("k8s_list_last_index_of", List.class, Object.class,
                        (l, e) -> (long) l.lastIndexOf(e)));
    }

    private static Pattern pattern(String re) throws CelEvaluationException {
        try {
            Pattern p = Pattern.compile(re);
            if (p.programSize() > MAX_REGEX_PROGRAM) {
                throw new CelEvaluationException("regular expression '" + re + "' is over the program size limit of "
                        + MAX_REGEX_PROGRAM);
            }
            return p;
        } catch (PatternSyntaxException e) {
            throw new CelEvaluationException("invalid regular expression '" + re + "': " + e.getMessage(), e);
        }
    }

    private static List<String> findAll(String s, String re, long limit) throws CelEvaluationException {
        Matcher m = pattern(re).matcher(s);
        List<String> out = new ArrayList<>();
        while ((limit < 0 || out.size() < limit) && m.find()) {
            out.add(m.group());
        }
        return out;
    }

    private static Object sum(List<?> l) throws CelEvaluationException {
        if (l.isEmpty()) {
            return 0L;
        }
        if (l.stream().allMatch(Long.class::isInstance)) {
            long total = 0;
            for (Object o : l) {
                total = Math.addExact(total, (Long) o);
            }
            return total;
        }
        if (l.stream().allMatch(Double.class::isInstance)) {
            return l.stream().mapToDouble(o -> (Double) o).sum();
        }
        throw new CelEvaluationException("sum() needs a list of ints or a list of doubles");
    }

    private static Object extreme(List<?> l, int sign) throws CelEvaluationException {
        if (l.isEmpty()) {
            throw new CelEvaluationException((sign < 0 ? "min" : "max") + "() of an empty list");
        }
        Object best = l.getFirst();
        for (Object o : l) {
            if (compare(o, best) * sign > 0) {
                best = o;
            }
        }
        return best;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static int compare(Object a, Object b) throws CelEvaluationException {
        if (a instanceof Comparable ca && b != null && a.getClass() == b.getClass()) {
            return ca.compareTo(b);
        }
        throw new CelEvaluationException("cannot compare " + typeName(a) + " with " + typeName(b));
    }

    private static String typeName(Object o) {
        return o == null ? "null" : o.getClass().getSimpleName();
    }
}
