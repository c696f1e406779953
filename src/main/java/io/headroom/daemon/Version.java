package io.headroom.daemon;

import picocli.CommandLine;

/** The version from the jar manifest, or "dev" when run from classes. */
public final class Version implements CommandLine.IVersionProvider {

    /** The running version. */
    public static String current() {
        String v = Version.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    @Override
    public String[] getVersion() {
        return new String[] {"headroom " + current()};
    }
}
