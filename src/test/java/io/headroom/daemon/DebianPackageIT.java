package io.headroom.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import io.headroom.testing.Poll;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Installs the built {@code .deb} into this machine with the real dpkg, checks files, user and group, removes it
 * (config and state stay), then purges it (they go). Needs root, as in CI or a disposable VM; the user and the
 * libvirt group are deleted afterwards if this test created them, so that every run starts from the same state.
 */
class DebianPackageIT {

    static final Path BASEDIR = Path.of(System.getProperty("headroom.basedir", "."));
    static final String MAVEN_VERSION = System.getProperty("headroom.version", "0.1.0-SNAPSHOT");
    static final Duration COMMAND_TIMEOUT = Duration.ofMinutes(2);

    static final Path JAR = Path.of("/usr/share/headroom/headroom.jar");
    static final Path LAUNCHER = Path.of("/usr/bin/headroom");
    static final Path UNIT = Path.of("/lib/systemd/system/headroom.service");
    static final Path CONFIG = Path.of("/etc/headroom/headroom.yaml");
    static final Path STATE = Path.of("/var/lib/headroom");
    static final Path README = Path.of("/usr/share/doc/headroom/README.md");
    static final Path OPS = Path.of("/usr/share/headroom");

    boolean userExisted;
    boolean libvirtGroupExisted;

    /** The Debian version the build gives a Maven version: -SNAPSHOT becomes ~SNAPSHOT (or ~$HEADROOM_DEB_SNAPSHOT). */
    static String debianVersion() {
        String stamp = System.getenv().getOrDefault("HEADROOM_DEB_SNAPSHOT", "");
        return MAVEN_VERSION.replace("-SNAPSHOT", "~" + (stamp.isEmpty() ? "SNAPSHOT" : stamp));
    }

    @BeforeEach
    void requireRootAndACleanSlate() throws Exception {
        String uid = run("id", "-u").out().strip();
        if (!uid.equals("0")) {
            fail("DebianPackageIT installs a package into this system with dpkg and must run as root (got uid " + uid
                    + "). Run the build as root in a disposable machine or CI, or skip integration tests with"
                    + " -DskipITs.");
        }
        if (installed()) {
            // A previous run died half-way; start from nothing rather than test an upgrade by accident.
            dpkg("-P", "headroom");
        }
        userExisted = run("getent", "passwd", "headroom").exit() == 0;
        libvirtGroupExisted = run("getent", "group", "libvirt").exit() == 0;
    }

    @AfterEach
    void leaveTheMachineAsFound() throws Exception {
        if (installed()) {
            dpkg("-P", "headroom");
        }
        if (!userExisted && run("getent", "passwd", "headroom").exit() == 0) {
            run("deluser", "--quiet", "--system", "headroom");
            run("delgroup", "--quiet", "--system", "headroom");
        }
        if (!libvirtGroupExisted && run("getent", "group", "libvirt").exit() == 0) {
            run("delgroup", "--quiet", "--system", "libvirt");
        }
    }

    @Test
    void installsWithUserAndGroupRemovesKeepingConfigAndStateAndPurgesEverything() throws Exception {
        Path deb = BASEDIR.resolve("target/headroom_" + debianVersion() + "_all.deb");
        assertThat(deb).as("built by mvn package (jdeb)").isRegularFile();
        assertThat(run("dpkg-deb", "-f", deb.toString(), "Version").out().strip()).isEqualTo(debianVersion());

        dpkg("-i", deb.toString());

        assertThat(run("dpkg-query", "-W", "-f=${Status} ${Version}", "headroom").out())
                .isEqualTo("install ok installed " + debianVersion());
        assertThat(run("dpkg-query", "-W", "-f=${Conffiles}", "headroom").out()).contains(CONFIG.toString());
        assertThat(Files.size(JAR)).isEqualTo(Files.size(BASEDIR.resolve("target/headroom.jar")));
        assertThat(mode(JAR)).isEqualTo("rw-r--r--");
        assertThat(mode(LAUNCHER)).isEqualTo("rwxr-xr-x");
        assertThat(UNIT).hasSameTextualContentAs(BASEDIR.resolve("systemd/headroom.service"));
        assertThat(CONFIG).hasSameTextualContentAs(BASEDIR.resolve("daemon/headroom.yaml"));
        PosixFileAttributes config = Files.readAttributes(CONFIG, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        assertThat(config.owner().getName()).isEqualTo("root");
        assertThat(config.group().getName()).as("readable by the service, not by everyone").isEqualTo("headroom");
        assertThat(PosixFilePermissions.toString(config.permissions())).isEqualTo("rw-r-----");
        assertThat(README).isRegularFile();
        // Rules and dashboards ship for the Prometheus and Grafana servers; the rules' promtool tests do not.
        for (String asset : List.of("rules/headroom.rules.yml", "rules/headroom.alerts.yml", "rules/alertmanager.yml",
                "dashboards/headroom-fleet.json", "dashboards/headroom-workload.json", "dashboards/headroom-health.json",
                "dashboards/provisioning/headroom.yaml")) {
            assertThat(OPS.resolve(asset)).hasSameTextualContentAs(BASEDIR.resolve(asset));
        }
        assertThat(OPS.resolve("rules/tests")).doesNotExist();
        PosixFileAttributes state = Files.readAttributes(STATE, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        assertThat(state.isDirectory()).isTrue();
        assertThat(state.owner().getName()).isEqualTo("headroom");
        assertThat(state.group().getName()).isEqualTo("headroom");
        assertThat(PosixFilePermissions.toString(state.permissions())).isEqualTo("rwxr-x---");

        String[] passwd = run("getent", "passwd", "headroom").out().strip().split(":");
        assertThat(Integer.parseInt(passwd[2])).as("a system uid").isLessThan(1000);
        assertThat(passwd[5]).isEqualTo(STATE.toString());
        assertThat(passwd[6]).isEqualTo("/usr/sbin/nologin");
        assertThat(List.of(run("id", "-nG", "headroom").out().strip().split(" "))).contains("headroom", "libvirt");

        // The service user can run the installed launcher on the installed jar and config.
        Result check = run(Map.of(), "runuser", "-u", "headroom", "--", LAUNCHER.toString(), "check-config",
                "--config", CONFIG.toString());
        assertThat(check.exit()).as(check.out()).isZero();

        // An operator's edit and some state, which remove must keep.
        Files.writeString(CONFIG, "# edited by the operator\n", StandardOpenOption.APPEND);
        Path stateFile = STATE.resolve("failures.jsonl");
        Files.writeString(stateFile, "{}\n");

        dpkg("-r", "headroom");

        assertThat(run("dpkg-query", "-W", "-f=${Status}", "headroom").out()).isEqualTo("deinstall ok config-files");
        for (Path gone : List.of(JAR, LAUNCHER, UNIT, README)) {
            assertThat(gone).as("removed").doesNotExist();
        }
        assertThat(Files.readString(CONFIG)).as("the conffile stays until purge").endsWith("# edited by the operator\n");
        assertThat(stateFile).as("state stays until purge").exists();
        assertThat(run("getent", "passwd", "headroom").exit()).isZero();

        dpkg("-P", "headroom");

        assertThat(installed()).isFalse();
        assertThat(CONFIG).doesNotExist();
        assertThat(CONFIG.getParent()).doesNotExist();
        assertThat(STATE).doesNotExist();
        assertThat(run("dpkg-statoverride", "--list", CONFIG.toString()).exit()).as("purge drops the statoverride")
                .isNotZero();
    }

    static boolean installed() throws Exception {
        return run("dpkg-query", "-W", "-f=${Status}", "headroom").out().contains("installed");
    }

    /** Runs dpkg, waiting while another dpkg or apt holds the lock. */
    static void dpkg(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("dpkg"));
        command.addAll(List.of(args));
        Result r = Poll.until(COMMAND_TIMEOUT, "dpkg " + String.join(" ", args) + " without a lock conflict",
                () -> run(command.toArray(String[]::new)), x -> x.exit() == 0 || !x.out().contains("lock"));
        assertThat(r.exit()).as("dpkg " + String.join(" ", args) + ":\n" + r.out()).isZero();
    }

    static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    record Result(int exit, String out) {}

    static Result run(String... command) throws Exception {
        return run(null, command);
    }

    /** Runs a command with stderr folded into the output; {@code env} replaces the environment when given. */
    static Result run(Map<String, String> env, String... command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        if (env != null) {
            // Without HEADROOM_JAR or the build tree, the launcher must find the installed jar.
            pb.environment().clear();
            pb.environment().put("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
            pb.environment().putAll(env);
        }
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish within " + COMMAND_TIMEOUT);
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }
}
