package io.headroom.decide;

import io.headroom.config.FeatureSpec;
import java.util.Locale;

/** A resource Headroom can change on a running guest. */
public enum Resource {
    /** Virtual CPUs (a count). */
    CPU(FeatureSpec.Pressure.CPU),
    /** Memory (bytes). */
    MEMORY(FeatureSpec.Pressure.MEMORY),
    /**
     * The guest's CFS quota (microseconds per period): the other way to give a guest more CPU, in steps as fine as
     * wanted and lowered at any time, where vCPUs come whole and QEMU may not give them back.
     */
    CPU_QUOTA(FeatureSpec.Pressure.CPU);

    private final FeatureSpec.Pressure pressure;

    Resource(FeatureSpec.Pressure pressure) {
        this.pressure = pressure;
    }

    /** The feature pressure that argues for raising this resource. */
    public FeatureSpec.Pressure pressure() {
        return pressure;
    }

    /** Lower-case name for logs and metric labels. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
