package io.headroom.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.LibvirtException;

/**
 * Real QEMU guests under a libvirtd started by hand, for a test class, following
 * {@code shared/recipes/real-qemu-guest.md}: {@code virtlogd} and monolithic {@code libvirtd} run in the foreground
 * as children of the test JVM with their configs, logs and sockets in a temp dir; the test talks to
 * {@link #uri()} ({@code qemu+unix:///system?socket=...}). Guests are software-emulated ({@code type='qemu'}), boot
 * Debian's kernel with a busybox initramfs (both fetched with {@code apt-get download} into
 * {@code target/qemu-guest/}, once), have 1 of 4 vCPUs and 256 of 512 MiB, a virtio balloon with 2 s statistics, and
 * print {@value #READY} on their serial console (a file) once their virtio modules are loaded. Their init onlines
 * hot-added CPUs and prints {@code cpus=N MemTotal: ...} whenever either changes.
 *
 * <p><b>Needs</b> root (a system-mode libvirtd, for cgroups), the Debian packages in {@link #PACKAGES} and the
 * {@code libvirt-qemu} user ({@code daemon/test.sh} sets up both). Anything missing fails the class with what to
 * install; it never skips. Where {@code /dev/kvm} exists but {@code libvirt-qemu} cannot use it (these machines:
 * root-only, no VT-x), libvirt re-probes QEMU on every call (a {@code virsh create} takes 44 s instead of 0.3 s),
 * so the device's group is lent to {@code libvirt-qemu} for the test and restored afterwards.
 *
 * <p><b>Teardown</b> runs in {@link #afterAll} even when the start failed, and in a shutdown hook if the JVM exits
 * first: guests destroyed, a QEMU process of theirs that survived killed (found by its unique guest name), libvirtd
 * and virtlogd stopped (SIGTERM, 10 s, SIGKILL), {@code /dev/kvm} restored, the temp dir deleted.
 */
public final class QemuGuests implements BeforeAllCallback, AfterAllCallback, AutoCloseable {

    /** What {@code apt-get install} needs to bring for these tests. */
    public static final String PACKAGES = "libvirt-daemon libvirt-daemon-driver-qemu libvirt-clients qemu-system-x86";
    /** The line each guest prints on its console once it is up. */
    public static final String READY = "HEADROOM-GUEST-READY";
    /** The guest's live and maximum vCPUs and memory. */
    public static final int VCPUS = 1;
    public static final int MAX_VCPUS = 4;
    public static final long MEMORY_MIB = 256;
    public static final long MAX_MEMORY_MIB = 512;

    private static final System.Logger LOG = System.getLogger(QemuGuests.class.getName());
    private static final String INSTALL_HINT = "apt-get install -y --no-install-recommends " + PACKAGES;
    private static final String QEMU_USER = "libvirt-qemu";
    private static final Path KVM = Path.of("/dev/kvm");
    private static final Path CACHE = Path.of("target/qemu-guest").toAbsolutePath();

    private final List<String> names;
    private final Duration startupTimeout;
    private final Map<String, String> domains = new LinkedHashMap<>();
    private final List<Process> daemons = new ArrayList<>();
    private Path dir;
    private Connect conn;
    private KvmAccess kvm;
    private Thread hook;
    private Duration libvirtdStartup = Duration.ZERO;
    private final Map<String, Duration> boots = new LinkedHashMap<>();

    /**
     * @param startupTimeout bound on starting the daemons and booting all guests (software emulation on a busy
     *                       2-core machine: give minutes)
     * @param names          the guests, by a short name; the domain name gets a random prefix
     */
    public QemuGuests(Duration startupTimeout, String... names) {
        this.startupTimeout = startupTimeout;
        this.names = List.of(names);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    /** The libvirt URI of the test's libvirtd. */
    public String uri() {
        return "qemu+unix:///system?socket=" + dir.resolve("sock/libvirt-sock");
    }

    /** The test's libvirtd process (for tests that stop it to see what a client does). */
    public ProcessHandle libvirtd() {
        return daemons.stream().filter(p -> p.info().command().map(c -> c.endsWith("/libvirtd")).orElse(false))
                .findFirst().orElseThrow(() -> new IllegalStateException("libvirtd is not running")).toHandle();
    }

    /** The libvirt domain name of guest {@code name}. */
    public String domain(String name) {
        String d = domains.get(name);
        if (d == null) {
            throw new IllegalArgumentException("no guest " + name + " (have " + domains.keySet() + ")");
        }
        return d;
    }

    /** The guest's serial console so far. */
    public String console(String name) {
        try {
            return Files.readString(dir.resolve(name + ".console"), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return "";
        }
    }

    /** How long libvirtd took to answer, and each guest from create to its ready line: measured facts for the README. */
    public String timings() {
        return "libvirtd answered after " + libvirtdStartup.toMillis() + " ms; boots " + boots;
    }

    /** The test's own libvirt-java connection (for fixtures; Headroom's code goes through its gateway). */
    public Connect connection() {
        return conn;
    }

    /** Starts the daemons and boots every guest; on any failure, tears down what it started and rethrows. */
    public synchronized void start() throws Exception {
        if (dir != null) {
            return;
        }
        long deadline = System.nanoTime() + startupTimeout.toNanos();
        requireEverything();
        Path kernel;
        Path initrd;
        try {
            dir = Files.createTempDirectory("headroom-qemu-");
            // libvirt-qemu must reach the kernel, the initrd and the console files.
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            hook = new Thread(this::close, "qemu-guests-teardown");
            Runtime.getRuntime().addShutdownHook(hook);
            Path[] image = GuestImage.prepare(CACHE);
            kernel = Files.copy(image[0], dir.resolve("vmlinuz"));
            initrd = Files.copy(image[1], dir.resolve("initrd.cpio"));
            kvm = KvmAccess.lend(QEMU_USER);
            startDaemons(deadline);
            String prefix = "hr-it-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(0, 6);
            Map<String, Long> created = new LinkedHashMap<>();
            for (String n : names) {
                String domain = prefix + "-" + n;
                domains.put(n, domain);
                long t = System.nanoTime();
                conn.domainCreateXML(xml(domain, kernel, initrd, dir.resolve(n + ".console")), 0).free();
                created.put(n, t);
            }
            for (String n : names) {
                awaitReady(n, created.get(n), deadline);
            }
            LOG.log(System.Logger.Level.INFO, timings());
        } catch (Exception | Error e) {
            close();
            throw e;
        }
    }

    private void requireEverything() {
        List<String> missing = new ArrayList<>();
        for (String b : new String[] {"/usr/sbin/libvirtd", "/usr/sbin/virtlogd", "/usr/bin/qemu-system-x86_64"}) {
            if (!Files.isExecutable(Path.of(b))) {
                missing.add(b);
            }
        }
        if (!Files.isDirectory(Path.of("/usr/lib/x86_64-linux-gnu/libvirt/connection-driver"))
                || !Files.exists(Path.of("/usr/lib/x86_64-linux-gnu/libvirt/connection-driver/libvirt_driver_qemu.so"))) {
            missing.add("libvirt's QEMU driver");
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException("real-guest tests need " + missing + ": run `" + INSTALL_HINT
                    + "` (daemon/test.sh does it)");
        }
        if (!"root".equals(System.getProperty("user.name"))) {
            throw new IllegalStateException("real-guest tests run libvirtd in system mode (cgroups for CPU quotas) and "
                    + "must run as root; they run as " + System.getProperty("user.name"));
        }
        if (run(Duration.ofSeconds(10), "id", "-u", QEMU_USER).exitCode() != 0) {
            throw new IllegalStateException("libvirt's QEMU driver needs a " + QEMU_USER + " user and group, which "
                    + "libvirt-daemon-system would create: run `useradd --system --user-group --no-create-home "
                    + "--home-dir /var/lib/libvirt --shell /usr/sbin/nologin " + QEMU_USER + "` (daemon/test.sh does it)");
        }
    }

    private void startDaemons(long deadline) throws Exception {
        Files.createDirectories(dir.resolve("sock"));
        Path virtlogdConf = dir.resolve("virtlogd.conf");
        Files.writeString(virtlogdConf, "log_outputs=\"3:file:" + dir.resolve("virtlogd.log") + "\"\n");
        Path libvirtdConf = dir.resolve("libvirtd.conf");
        Files.writeString(libvirtdConf, String.join("\n",
                "log_outputs=\"3:file:" + dir.resolve("libvirtd.log") + "\"",
                "unix_sock_dir=\"" + dir.resolve("sock") + "\"",
                "auth_unix_rw=\"none\"",
                "auth_unix_ro=\"none\"", ""));
        daemons.add(spawn("virtlogd", "/usr/sbin/virtlogd", "-f", virtlogdConf.toString(), "-p",
                dir.resolve("virtlogd.pid").toString()));
        // virtlogd must be listening before libvirtd starts a guest; its socket is fixed for a root daemon.
        awaitDaemon(daemons.get(0), "virtlogd", dir.resolve("virtlogd.out"), deadline, () -> {
            if (!Files.exists(Path.of("/run/libvirt/virtlogd-sock"))) {
                throw new IOException("no /run/libvirt/virtlogd-sock yet");
            }
            return true;
        });
        long t = System.nanoTime();
        Process libvirtd = spawn("libvirtd", "/usr/sbin/libvirtd", "-f", libvirtdConf.toString(), "-p",
                dir.resolve("libvirtd.pid").toString());
        daemons.add(libvirtd);
        // The first start probes QEMU's capabilities (~15 s here); later ones read libvirt's cache.
        conn = awaitDaemon(libvirtd, "libvirtd", dir.resolve("libvirtd.log"), deadline, () -> new Connect(uri(), false));
        libvirtdStartup = Duration.ofNanos(System.nanoTime() - t);
    }

    /** Calls {@code probe} until it succeeds; fails at once if the daemon exits, or at the deadline. */
    private static <T> T awaitDaemon(Process p, String name, Path log, long deadline,
                                     java.util.concurrent.Callable<T> probe) throws Exception {
        Exception last = null;
        while (System.nanoTime() - deadline < 0) {
            if (!p.isAlive()) {
                throw new IllegalStateException(name + " exited with " + p.exitValue() + " (another libvirtd or "
                        + "virtlogd running on this host?); " + LogFiles.tail(log, 0));
            }
            try {
                return probe.call();
            } catch (Exception e) {
                last = e;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException(name + " did not answer in time; last error: " + last + "; "
                + LogFiles.tail(log, 0));
    }

    private Process spawn(String name, String... command) throws IOException {
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + ".out").toFile()).start();
    }

    private void awaitReady(String name, long createdAt, long deadline) throws InterruptedException {
        Duration left = Duration.ofNanos(Math.max(1, deadline - System.nanoTime()));
        Poll.until(left, "guest " + name + " to print " + READY + " (console: " + dir.resolve(name + ".console") + ")",
                () -> console(name).contains(READY), ok -> ok);
        boots.put(name, Duration.ofNanos(System.nanoTime() - createdAt));
    }

    static String xml(String domain, Path kernel, Path initrd, Path console) {
        return """
                <domain type='qemu'>
                  <name>%s</name>
                  <memory unit='MiB'>%d</memory>
                  <currentMemory unit='MiB'>%d</currentMemory>
                  <vcpu placement='static' current='%d'>%d</vcpu>
                  <os>
                    <type arch='x86_64' machine='pc'>hvm</type>
                    <kernel>%s</kernel>
                    <initrd>%s</initrd>
                    <cmdline>console=ttyS0 quiet panic=-1</cmdline>
                  </os>
                  <features><acpi/><apic/></features>
                  <on_poweroff>destroy</on_poweroff>
                  <on_reboot>destroy</on_reboot>
                  <on_crash>destroy</on_crash>
                  <devices>
                    <emulator>/usr/bin/qemu-system-x86_64</emulator>
                    <controller type='usb' model='none'/>
                    <serial type='file'><source path='%s'/><target port='0'/></serial>
                    <console type='file'><source path='%s'/><target type='serial' port='0'/></console>
                    <memballoon model='virtio' autodeflate='on'><stats period='2'/></memballoon>
                  </devices>
                </domain>
                """.formatted(domain, MAX_MEMORY_MIB, MEMORY_MIB, VCPUS, MAX_VCPUS, kernel, initrd, console, console);
    }

    /** Tears everything down; safe to call more than once and after a failed start. */
    @Override
    public synchronized void close() {
        if (dir == null) {
            return;
        }
        for (String domain : domains.values()) {
            destroyDomain(domain);
        }
        if (conn != null) {
            try {
                conn.close();
            } catch (LibvirtException e) {
                LOG.log(System.Logger.Level.DEBUG, "closing the test's libvirt connection failed", e);
            }
            conn = null;
        }
        // A guest libvirt could not destroy must not outlive the test: find its QEMU by the unique name it runs as.
        for (String domain : domains.values()) {
            ProcessHandle.allProcesses()
                    .filter(p -> p.info().commandLine().map(c -> c.contains("guest=" + domain + ",")).orElse(false))
                    .forEach(p -> stop(p, "qemu " + domain));
        }
        for (int i = daemons.size() - 1; i >= 0; i--) {
            stop(daemons.get(i).toHandle(), "daemon");
        }
        daemons.clear();
        if (kvm != null) {
            kvm.restore();
            kvm = null;
        }
        TempDirs.delete(dir);
        dir = null;
        if (hook != null && Thread.currentThread() != hook) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // The JVM is already shutting down; the hook runs or ran.
            }
        }
        hook = null;
    }

    private void destroyDomain(String domain) {
        if (conn == null) {
            return;
        }
        try {
            Domain d = conn.domainLookupByName(domain);
            try {
                d.destroy();
            } finally {
                d.free();
            }
        } catch (LibvirtException e) {
            LOG.log(System.Logger.Level.DEBUG, "destroying " + domain + ": " + e.getMessage());
        }
    }

    private static void stop(ProcessHandle p, String what) {
        p.destroy();
        try {
            p.onExit().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, what + " " + p.pid() + " ignored SIGTERM; killing it");
            p.destroyForcibly();
            try {
                p.onExit().get(10, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // Nothing more can be done from here.
            }
        }
    }

    /** A finished command's exit code and output. */
    record Result(int exitCode, String output) {}

    /** Runs a command with a bound, output merged; never throws for a non-zero exit. */
    static Result run(Duration timeout, String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                return new Result(-1, "timed out after " + timeout.toSeconds() + "s");
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new Result(-1, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted");
        }
    }

    /**
     * Lends {@code /dev/kvm}'s group to libvirt-qemu where it cannot open the device, and gives it back. Only the
     * group and mode change, only for the test's life.
     */
    static final class KvmAccess {
        private final GroupPrincipal group;
        private final Set<PosixFilePermission> mode;

        private KvmAccess(GroupPrincipal group, Set<PosixFilePermission> mode) {
            this.group = group;
            this.mode = mode;
        }

        static KvmAccess lend(String user) throws IOException {
            if (!Files.exists(KVM) || run(Duration.ofSeconds(10), "runuser", "-u", user, "--", "test", "-r", KVM.toString(),
                    "-a", "-w", KVM.toString()).exitCode() == 0) {
                return null;
            }
            PosixFileAttributeView view = Files.getFileAttributeView(KVM, PosixFileAttributeView.class);
            PosixFileAttributes before = view.readAttributes();
            KvmAccess saved = new KvmAccess(before.group(), before.permissions());
            view.setGroup(KVM.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByGroupName(user));
            Set<PosixFilePermission> lent = EnumSet.copyOf(before.permissions());
            lent.add(PosixFilePermission.GROUP_READ);
            lent.add(PosixFilePermission.GROUP_WRITE);
            view.setPermissions(lent);
            return saved;
        }

        void restore() {
            try {
                PosixFileAttributeView view = Files.getFileAttributeView(KVM, PosixFileAttributeView.class);
                view.setPermissions(mode);
                view.setGroup(group);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot restore " + KVM + " to group " + group.getName() + " mode "
                        + PosixFilePermissions.toString(mode), e);
            }
        }
    }
}
