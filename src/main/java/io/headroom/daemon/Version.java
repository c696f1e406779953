package io.headroom.daemon;

/** The version from the jar manifest, or "dev" when run from classes. */
public final class Version {

    private Version() {}

    /** The running version. */
    public static String current() {
        String v = Version.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
