package io.asyncsidecar.controlplane.dist;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import jakarta.json.Json;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every static {@code jakarta.json.Json.create*} call (and {@code JsonbBuilder.create()},
 * {@code JsonProvider.provider()}) runs a ServiceLoader scan, which under a plugin class loader reads jars on
 * every call. Main code of every module must go through the kit's cached {@code JsonCodec}; this fails the build
 * when such a call comes back.
 */
class NoStaticJsonLookupTest {

    private static final String CODEC = "io.asyncsidecar.controlplane.kit.JsonCodec";

    private static final DescribedPredicate<JavaMethodCall> PROVIDER_LOOKUP =
            new DescribedPredicate<>("a static JSON-P/JSON-B provider lookup") {
                @Override
                public boolean test(JavaMethodCall call) {
                    String owner = call.getTargetOwner().getName();
                    String name = call.getName();
                    return owner.equals("jakarta.json.Json")
                            || owner.equals("jakarta.json.bind.JsonbBuilder") && name.equals("create")
                            || owner.equals("jakarta.json.spi.JsonProvider") && name.equals("provider");
                }
            };

    private static final ArchRule RULE = noClasses().that().doNotHaveFullyQualifiedName(CODEC)
            .should().callMethodWhere(PROVIDER_LOOKUP)
            .because("each call scans the class path; use the plugin kit's JsonCodec");

    @Test
    void mainCodeOfEveryModuleUsesTheCachedCodec() throws IOException {
        JavaClasses classes = new ClassFileImporter().importPaths(mainClassFolders());
        // the rule must see the code it guards: the kit's codec, the server and a plugin at least
        assertThat(classes.contain(CODEC)).isTrue();
        assertThat(classes.contain("io.asyncsidecar.controlplane.server.ControlPlane")).isTrue();
        assertThat(classes.stream().filter(c -> c.getPackageName().startsWith("io.asyncsidecar.controlplane.plugins."))
                .count()).isGreaterThan(50);
        RULE.check(classes);
    }

    @Test
    void theRuleCatchesAStaticCall() {
        JavaClasses offender = new ClassFileImporter().importClasses(StaticCaller.class);
        EvaluationResult result = RULE.evaluate(offender);
        assertThat(result.hasViolation()).isTrue();
        assertThat(result.getFailureReport().toString()).contains("Json.createObjectBuilder");
    }

    private static List<Path> mainClassFolders() throws IOException {
        Path root = Path.of("").toAbsolutePath().getParent();
        List<Path> folders = new ArrayList<>();
        for (String module : List.of("spi", "plugin-kit", "server")) {
            folders.add(root.resolve(module).resolve("target/classes"));
        }
        try (Stream<Path> plugins = Files.list(root.resolve("plugins"))) {
            plugins.map(p -> p.resolve("target/classes")).filter(Files::isDirectory).sorted().forEach(folders::add);
        }
        for (Path f : folders) {
            assertThat(f).as("compiled classes of " + f + " (build the modules first)").isDirectory();
        }
        return folders;
    }

    /** What the rule forbids. */
    static final class StaticCaller {
        Object build() {
            return Json.createObjectBuilder().build();
        }
    }
}
