package io.asyncsidecar.controlplane.dist;

import java.nio.file.Path;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The SPI is the contract and nothing else: it names no library a plugin would have to share with the server
 * beyond Helidon and JSON-P/JSON-B, and no class of the server or the kit.
 */
class SpiContractTest {

    @Test
    void spiDependsOnNoYamlLibraryServerOrKit() {
        Path spi = Path.of("").toAbsolutePath().getParent().resolve("spi/target/classes");
        JavaClasses classes = new ClassFileImporter().importPaths(spi);
        assertThat(classes.contain("io.asyncsidecar.controlplane.spi.Plugin")).isTrue();
        ArchRule rule = noClasses().should().dependOnClassesThat().resideInAnyPackage(
                "org.yaml..", "io.asyncsidecar.controlplane.server..", "io.asyncsidecar.controlplane.kit..",
                "com.fasterxml..");
        rule.check(classes);
    }
}
