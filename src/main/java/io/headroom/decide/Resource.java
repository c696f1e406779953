package io.headroom.decide;

import io.headroom.config.FeatureSpec;
import java.util.Locale;

/** A resource Headroom can change on a running guest. */
public enum Resource {
    /** Virtual CPUs (a count). */
    CPU(FeatureSpec.Pressure.CPU),
    /** Memory (bytes). */
    MEMORY(FeatureSpec.Pressure.MEMORY);

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
