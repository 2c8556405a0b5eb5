package io.asyncsidecar.controlplane.spi;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A version of this SPI, {@code major.minor}. A minor release only adds (new types, default methods), so a plugin
 * built against an older minor keeps working; a major release may break plugins, and the server refuses a plugin
 * built for another major. A plugin records the version it was compiled against in its jar manifest as
 * {@value #MANIFEST_ATTRIBUTE} (the plugin build writes it; see docs/PLUGINS.md).
 *
 * @param major incompatible changes
 * @param minor compatible additions
 */
public record SpiVersion(int major, int minor) implements Comparable<SpiVersion> {

    /** The jar manifest attribute naming the SPI version a plugin was built against. */
    public static final String MANIFEST_ATTRIBUTE = "Controlplane-Spi-Version";

    private static final Pattern FORMAT = Pattern.compile("(\\d{1,4})\\.(\\d{1,4})(?:\\.\\d{1,4})?");

    /** The version of the SPI on the class path, the one the server provides. */
    public static final SpiVersion CURRENT = readCurrent();

    /**
     * @param major incompatible changes, at least 0
     * @param minor compatible additions, at least 0
     */
    public SpiVersion {
        if (major < 0 || minor < 0) {
            throw new IllegalArgumentException("SPI version parts must not be negative: " + major + "." + minor);
        }
    }

    /**
     * Parses {@code major.minor} (a third, patch part is accepted and ignored).
     *
     * @param text the version, e.g. {@code 1.2}
     * @return the version
     * @throws IllegalArgumentException naming the text when it is not {@code major.minor}
     */
    public static SpiVersion parse(String text) {
        Matcher m = text == null ? null : FORMAT.matcher(text.strip());
        if (m == null || !m.matches()) {
            throw new IllegalArgumentException("SPI version '" + text + "' is not major.minor, e.g. 1.0");
        }
        return new SpiVersion(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
    }

    /**
     * Whether a plugin built against {@code built} runs on this SPI: same major, and a minor no newer than this one
     * (a newer minor may call methods this SPI lacks).
     *
     * @param built the version the plugin was compiled against
     * @return true when it can be loaded
     */
    public boolean runs(SpiVersion built) {
        return built.major == major && built.minor <= minor;
    }

    @Override
    public int compareTo(SpiVersion o) {
        return major != o.major ? Integer.compare(major, o.major) : Integer.compare(minor, o.minor);
    }

    @Override
    public String toString() {
        return major + "." + minor;
    }

    private static SpiVersion readCurrent() {
        try (InputStream in = SpiVersion.class.getResourceAsStream("spi-version.properties")) {
            if (in == null) {
                throw new IllegalStateException("spi-version.properties missing beside " + SpiVersion.class.getName());
            }
            Properties p = new Properties();
            p.load(in);
            return parse(p.getProperty("version"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the SPI version", e);
        }
    }
}
