package io.headroom.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The tiny guest of {@link QemuGuests}: Debian's current kernel and a busybox initramfs, fetched with
 * {@code apt-get download} and cut down to what the guest needs (the kernel and six virtio modules; nothing else of
 * the 70 MB package is unpacked), cached in {@code target/qemu-guest/}. Nothing of it is committed.
 *
 * <p>In Debian's 6.1 kernel virtio, virtio_pci and virtio_balloon are modules while CPU and memory hotplug are built
 * in, so {@code /init} loads the modules in dependency order, prints the ready line, then loops: onlines each newly
 * appeared CPU once (an ejected one is not forced back), onlines offline memory blocks, and prints the CPU count and
 * MemTotal whenever they change. The machine has no {@code cpio}, so the archive ({@code newc} format) is written
 * here.
 */
final class GuestImage {

    private static final Duration APT_TIMEOUT = Duration.ofMinutes(5);

    private GuestImage() {
    }

    static final String INIT = """
            #!/bin/busybox sh
            /bin/busybox --install -s /bin
            mount -t proc proc /proc
            mount -t sysfs sys /sys
            mount -t devtmpfs dev /dev
            exec >/dev/console 2>&1
            for m in %s; do insmod /mod/$m.ko; done
            echo %s
            last=""
            while true; do
              for c in /sys/devices/system/cpu/cpu[0-9]*; do
                n=${c##*/}
                if [ -f $c/online ] && [ "$(cat $c/online)" = 0 ] && [ ! -e /tmp/seen-$n ]; then
                  echo 1 > $c/online; touch /tmp/seen-$n
                fi
              done
              for b in /sys/devices/system/memory/memory*; do
                [ "$(cat $b/state 2>/dev/null)" = offline ] && echo online > $b/state 2>/dev/null
              done
              now="cpus=$(nproc) $(grep MemTotal /proc/meminfo)"
              [ "$now" != "$last" ] && { echo "$now"; last="$now"; }
              sleep 1
            done
            """;

    /** The kernel and initramfs, fetched and built unless cached. */
    static Path[] prepare(Path cache) throws IOException {
        Path kernel = cache.resolve("vmlinuz");
        Path initrd = cache.resolve("initrd.cpio");
        if (Files.isRegularFile(kernel) && Files.isRegularFile(initrd)) {
            return new Path[] {kernel, initrd};
        }
        Files.createDirectories(cache);
        String version = kernelVersion();
        Path debs = Files.createDirectories(cache.resolve("debs"));
        String kernelPackage = "linux-image-" + version;
        must(QemuGuests.run(APT_TIMEOUT, "sh", "-c", "cd '" + debs + "' && apt-get download " + kernelPackage
                + " busybox-static"), "apt-get download " + kernelPackage + " busybox-static (run apt-get update first?)");
        Path root = Files.createDirectories(cache.resolve("extract"));
        String modules = "./lib/modules/" + version + "/kernel/drivers/virtio/";
        must(QemuGuests.run(APT_TIMEOUT, "sh", "-c", "dpkg-deb --fsys-tarfile '" + debs + "'/" + kernelPackage
                + "_*.deb | tar -x -C '" + root + "' ./boot/vmlinuz-" + version + " " + modules), "unpack " + kernelPackage);
        must(QemuGuests.run(APT_TIMEOUT, "sh", "-c", "dpkg-deb --fsys-tarfile '" + debs + "'/busybox-static_*.deb | tar -x -C '"
                + root + "' ./bin/busybox"), "unpack busybox-static");

        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("init", INIT.formatted(String.join(" ", modulesInOrder()), QemuGuests.READY).getBytes(StandardCharsets.UTF_8));
        files.put("bin/busybox", Files.readAllBytes(root.resolve("bin/busybox")));
        for (String m : modulesInOrder()) {
            files.put("mod/" + m + ".ko", Files.readAllBytes(root.resolve(modules).resolve(m + ".ko")));
        }
        Files.write(cache.resolve("initrd.cpio.tmp"), newc(files));
        Files.copy(root.resolve("boot/vmlinuz-" + version), cache.resolve("vmlinuz.tmp"));
        Files.move(cache.resolve("vmlinuz.tmp"), kernel);
        Files.move(cache.resolve("initrd.cpio.tmp"), initrd);
        TempDirs.delete(debs);
        TempDirs.delete(root);
        return new Path[] {kernel, initrd};
    }

    static String[] modulesInOrder() {
        return new String[] {"virtio_ring", "virtio", "virtio_pci_modern_dev", "virtio_pci_legacy_dev", "virtio_pci",
            "virtio_balloon"};
    }

    /** The version of Debian's default amd64 kernel, e.g. {@code 6.1.0-56-amd64}. */
    static String kernelVersion() {
        QemuGuests.Result r = QemuGuests.run(Duration.ofSeconds(60), "apt-cache", "depends", "linux-image-amd64");
        Matcher m = Pattern.compile("Depends: linux-image-(\\S+-amd64)").matcher(r.output());
        if (r.exitCode() != 0 || !m.find()) {
            throw new IllegalStateException("cannot tell Debian's kernel version from `apt-cache depends "
                    + "linux-image-amd64` (run apt-get update first): " + r.output());
        }
        return m.group(1);
    }

    private static void must(QemuGuests.Result r, String what) {
        if (r.exitCode() != 0) {
            throw new IllegalStateException(what + " failed (" + r.exitCode() + "): " + r.output());
        }
    }

    /**
     * A {@code newc} cpio archive: directories for every parent, the files, then the trailer. {@code init} and
     * {@code bin/*} are executable. Empty {@code proc}, {@code sys}, {@code dev} and {@code tmp} are added for the
     * mounts and the init's bookkeeping.
     */
    static byte[] newc(Map<String, byte[]> files) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int[] ino = {1};
        java.util.Set<String> dirs = new java.util.LinkedHashSet<>(java.util.List.of("proc", "sys", "dev", "tmp"));
        for (String f : files.keySet()) {
            for (int i = f.indexOf('/'); i > 0; i = f.indexOf('/', i + 1)) {
                dirs.add(f.substring(0, i));
            }
        }
        for (String d : dirs) {
            entry(out, ino[0]++, d, 040755, new byte[0]);
        }
        files.forEach((name, data) -> entry(out, ino[0]++, name,
                name.equals("init") || name.startsWith("bin/") ? 0100755 : 0100644, data));
        entry(out, 0, "TRAILER!!!", 0, new byte[0]);
        return out.toByteArray();
    }

    private static void entry(ByteArrayOutputStream out, int ino, String name, int mode, byte[] data) {
        byte[] n = (name + "\0").getBytes(StandardCharsets.US_ASCII);
        int nlink = (mode & 040000) != 0 ? 2 : 1;
        String header = "070701" + hex(ino) + hex(mode) + hex(0) + hex(0) + hex(nlink) + hex(0) + hex(data.length)
                + hex(0) + hex(0) + hex(0) + hex(0) + hex(n.length) + hex(0);
        out.writeBytes(header.getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(n);
        pad(out);
        out.writeBytes(data);
        pad(out);
    }

    private static String hex(int v) {
        return String.format("%08X", v);
    }

    private static void pad(ByteArrayOutputStream out) {
        while (out.size() % 4 != 0) {
            out.write(0);
        }
    }
}
