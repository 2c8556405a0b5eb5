package io.asyncsidecar.controlplane.build;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.TestSource;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;

/**
 * Prints every skipped test and its reason on the Maven console, e.g.
 * {@code [WARNING] skipped: HelmBinaryEngineTest.rendersChart() — no helm binary at ...}: a disabled test or class
 * ({@code @Disabled("reason")}, a condition) and an aborted one (a failed JUnit assumption,
 * {@code Assumptions.assumeTrue(present, "reason")}, in a test, {@code @BeforeEach} or {@code @BeforeAll}).
 *
 * <p>Surefire and failsafe redirect the tests' System.out and System.err to files
 * ({@code redirectTestOutputToFile}), and neither prints skip reasons itself. This listener writes to the forked
 * JVM's native standard output instead, which surefire prints on its console when the fork talks to it over TCP
 * ({@code forkNode} = {@code SurefireForkNodeFactory}; with the default node that stream is the event channel).
 *
 * <p>Not part of any module: the top pom compiles it into each module's {@code target/test-console} and adds that
 * folder to the test classpath, where JUnit finds it through {@code META-INF/services}. Only the JUnit Platform
 * launcher API is used, so it runs with any JUnit 5 version the modules pick.
 */
public class SkippedTestsListener implements TestExecutionListener {

    private static final PrintStream CONSOLE =
            new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);

    /** Creates the listener (called by JUnit's service loader). */
    public SkippedTestsListener() {
    }

    @Override
    public void executionSkipped(TestIdentifier test, String reason) {
        print(test, reason);
    }

    @Override
    public void executionFinished(TestIdentifier test, TestExecutionResult result) {
        if (result.getStatus() == TestExecutionResult.Status.ABORTED) {
            print(test, result.getThrowable().map(Throwable::getMessage).orElse("aborted"));
        }
    }

    private static void print(TestIdentifier test, String reason) {
        String why = reason == null || reason.isBlank() ? "no reason given" : reason.strip();
        if (why.startsWith("Assumption failed: ")) {
            why = why.substring("Assumption failed: ".length());
        }
        synchronized (CONSOLE) {
            CONSOLE.println("[WARNING] skipped: " + name(test) + " \u2014 " + why);
        }
    }

    private static String name(TestIdentifier test) {
        Optional<TestSource> source = test.getSource();
        if (source.isPresent() && source.get() instanceof MethodSource m) {
            String display = test.getDisplayName();
            String method = m.getMethodName() + "()";
            String simple = simpleName(m.getClassName());
            return display.equals(method) || display.startsWith(m.getMethodName() + "(")
                    ? simple + "." + display
                    : simple + "." + method + " [" + display + "]";
        }
        if (source.isPresent() && source.get() instanceof ClassSource c) {
            return simpleName(c.getClassName());
        }
        return test.getDisplayName();
    }

    private static String simpleName(String className) {
        return className.substring(className.lastIndexOf('.') + 1);
    }
}
