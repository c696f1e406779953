package io.headroom;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * The dependency rules each package's package-info states, checked on the compiled classes: a violation fails
 * {@code mvn verify} with the rule's name and the offending class and member. A new package must be added here.
 */
class ArchitectureTest {

    /** Per package, the Headroom packages it may use (besides itself), as its package-info says. */
    static final Map<String, Set<String>> ALLOWED = new TreeMap<>(Map.ofEntries(
            Map.entry("config", Set.of()),
            Map.entry("metrics", Set.of()),
            Map.entry("net", Set.of()),
            Map.entry("feedback", Set.of("config", "decide", "journal")),
            Map.entry("journal", Set.of("config")),
            Map.entry("collect", Set.of("config", "metrics", "net")),
            Map.entry("detect", Set.of("config", "collect", "metrics")),
            Map.entry("decide", Set.of("config")),
            Map.entry("act", Set.of("config", "decide", "journal", "metrics")),
            Map.entry("notify", Set.of("config", "journal", "metrics", "net")),
            Map.entry("http", Set.of("config", "metrics")),
            Map.entry("cycle", Set.of("config", "collect", "detect", "decide", "act", "metrics", "feedback")),
            Map.entry("daemon", Set.of("config", "collect", "detect", "decide", "act", "metrics", "notify", "http",
                    "journal", "net", "cycle", "feedback")),
            Map.entry("simulate", Set.of("config", "collect", "detect", "decide", "act", "metrics", "notify", "http",
                    "journal", "net", "cycle", "feedback", "daemon")),
            Map.entry("cli", Set.of("config", "collect", "detect", "decide", "act", "metrics", "notify", "http",
                    "journal", "net", "cycle", "feedback", "daemon", "simulate"))));

    static JavaClasses classes;

    @BeforeAll
    static void importMainClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.headroom");
    }

    static Stream<String> packages() {
        return ALLOWED.keySet().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("packages")
    void aPackageUsesOnlyThePackagesItsPackageInfoNames(String pkg) {
        Set<String> forbidden = new TreeSet<>(ALLOWED.keySet());
        forbidden.removeAll(ALLOWED.get(pkg));
        forbidden.remove(pkg);
        List<String> patterns = new ArrayList<>();
        forbidden.forEach(f -> patterns.add("io.headroom." + f + ".."));
        ArchRule rule = noClasses().that().resideInAPackage("io.headroom." + pkg + "..")
                .should().dependOnClassesThat().resideInAnyPackage(patterns.toArray(String[]::new))
                .as(pkg + " depends only on " + (ALLOWED.get(pkg).isEmpty() ? "nothing else in Headroom"
                        : String.join(", ", new TreeSet<>(ALLOWED.get(pkg)))))
                .allowEmptyShould(true);
        rule.check(classes);
    }

    @Test
    void everyPackageHasARule() {
        Set<String> found = new TreeSet<>();
        classes.forEach(c -> {
            String p = c.getPackageName();
            if (p.startsWith("io.headroom.")) {
                found.add(p.substring("io.headroom.".length()).split("\\.")[0]);
            }
        });
        org.assertj.core.api.Assertions.assertThat(ALLOWED.keySet()).as("packages with a dependency rule")
                .containsAll(found);
    }

    @Test
    void packagesHaveNoCycles() {
        slices().matching("io.headroom.(*)..").should().beFreeOfCycles().as("packages have no dependency cycles")
                .check(classes);
    }
}
