package io.asyncsidecar.controlplane.kit.checks;


import java.math.BigDecimal;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Kubernetes resource quantities ({@code 500m}, {@code 4}, {@code 16Gi}, {@code 1e3}) as exact numbers, so
 * checks can compare requests and limits across notations. Follows the quantity grammar of
 * k8s.io/apimachinery/pkg/api/resource: binary suffixes Ki..Ei, decimal suffixes n, u, m, k, M..E, or an
 * exponent.
 */
public final class Quantities {

    private static final Pattern QUANTITY = Pattern.compile("([+-]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+))"
            + "(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?[0-9]+)?");
    private static final BigDecimal KI = BigDecimal.valueOf(1024);
    private static final Map<String, BigDecimal> SUFFIXES = Map.ofEntries(
            Map.entry("Ki", KI), Map.entry("Mi", KI.pow(2)), Map.entry("Gi", KI.pow(3)),
            Map.entry("Ti", KI.pow(4)), Map.entry("Pi", KI.pow(5)), Map.entry("Ei", KI.pow(6)),
            Map.entry("n", new BigDecimal("1e-9")), Map.entry("u", new BigDecimal("1e-6")),
            Map.entry("m", new BigDecimal("1e-3")), Map.entry("k", new BigDecimal("1e3")),
            Map.entry("M", new BigDecimal("1e6")), Map.entry("G", new BigDecimal("1e9")),
            Map.entry("T", new BigDecimal("1e12")), Map.entry("P", new BigDecimal("1e15")),
            Map.entry("E", new BigDecimal("1e18")));

    private Quantities() {
    }

    /**
     * Parses a quantity.
     *
     * @param value a string such as {@code 250m} or a YAML number
     * @return the amount in base units (cores, bytes, devices), or empty when it is not a quantity
     */
    public static Optional<BigDecimal> parse(Object value) {
        if (value instanceof Long || value instanceof Integer) {
            return Optional.of(BigDecimal.valueOf(((Number) value).longValue()));
        }
        if (value instanceof Double d) {
            return Double.isFinite(d) ? Optional.of(BigDecimal.valueOf(d)) : Optional.empty();
        }
        if (!(value instanceof String s)) {
            return Optional.empty();
        }
        Matcher m = QUANTITY.matcher(s.trim());
        if (!m.matches()) {
            return Optional.empty();
        }
        BigDecimal number = new BigDecimal(m.group(1));
        String suffix = m.group(2);
        if (suffix == null) {
            return Optional.of(number);
        }
        if (suffix.charAt(0) == 'e' || suffix.charAt(0) == 'E') {
            return Optional.of(number.scaleByPowerOfTen(Integer.parseInt(suffix.substring(1))));
        }
        return Optional.of(number.multiply(SUFFIXES.get(suffix)));
    }
}
