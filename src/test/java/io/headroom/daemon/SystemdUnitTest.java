package io.headroom.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SystemdUnitTest {

    static final Path UNIT = Path.of("systemd/headroom.service");

    @Test
    void unitRunsAsUnprivilegedLibvirtMemberWithHardening() throws IOException {
        String unit = Files.readString(UNIT);
        assertThat(unit).contains("User=headroom", "SupplementaryGroups=libvirt", "EnvironmentFile=-",
                "Restart=on-failure", "NoNewPrivileges=yes", "ProtectSystem=strict",
                "ReadWritePaths=/var/lib/headroom", "StateDirectory=headroom", "SuccessExitStatus=143");
        assertThat(unit).doesNotContain("Type=forking", "PIDFile=");
    }

    @Test
    void ipTrafficIsLoopbackOnlyAndProcHidesOtherProcesses() throws IOException {
        assertThat(values("IPAddressDeny")).containsExactly("any");
        assertThat(values("IPAddressAllow")).containsExactly("localhost");
        assertThat(values("ProtectProc")).containsExactly("invisible");
        // The README and the unit tell operators to allow remote servers with a drop-in; the comment must say how.
        assertThat(Files.readString(UNIT)).contains("#   IPAddressAllow=");
    }

    @Test
    void theDaemonNotifiesReadinessAndFeedsAWatchdog() throws IOException {
        assertThat(values("Type")).containsExactly("notify");
        assertThat(values("NotifyAccess")).containsExactly("main");
        assertThat(values("WatchdogSec")).containsExactly("10min");
        // NotifyAccess=main holds only if the launcher replaces itself with the JVM.
        assertThat(Files.readString(Path.of("daemon/headroom"))).contains("exec java");
    }

    @Test
    void reloadSendsSighupWhichTheDaemonHandles() throws IOException {
        assertThat(values("ExecReload")).containsExactly("/bin/kill -HUP $MAINPID");
    }

    @Test
    void libvirtStaysReachable() throws IOException {
        // qemu:///system is a Unix socket: the address families must keep AF_UNIX, and no setting may cut the
        // service off from /run/libvirt or the libvirt group.
        assertThat(values("RestrictAddressFamilies")).singleElement().asString().contains("AF_UNIX");
        assertThat(values("SupplementaryGroups")).containsExactly("libvirt");
        assertThat(Files.readString(UNIT)).doesNotContain("PrivateNetwork=yes", "InaccessiblePaths=/run",
                "RestrictAddressFamilies=AF_INET AF_INET6\n");
    }

    /** The values of every active (uncommented) {@code key=} line, in order. */
    static java.util.List<String> values(String key) throws IOException {
        return Files.readAllLines(UNIT).stream().filter(l -> l.startsWith(key + "="))
                .map(l -> l.substring(key.length() + 1)).toList();
    }

    @Test
    void systemdAnalyzeVerifyAcceptsTheUnit(@TempDir Path dir) throws Exception {
        Path analyze = Path.of("/usr/bin/systemd-analyze");
        Assumptions.assumeTrue(Files.isExecutable(analyze),
                "systemd-analyze is not installed; the static checks above still ran");
        // verify insists the ExecStart binary exists; point it at the launcher in this tree.
        Path copy = dir.resolve("headroom.service");
        Files.writeString(copy, Files.readString(UNIT).replace("/usr/bin/headroom",
                Path.of("daemon/headroom").toAbsolutePath().toString()));
        Process p = new ProcessBuilder(analyze.toString(), "verify", copy.toString())
                .redirectErrorStream(true).directory(dir.toFile()).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(out).as("systemd-analyze verify output").isEmpty();
        assertThat(p.exitValue()).isZero();
    }
}
