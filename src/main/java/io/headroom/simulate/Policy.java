package io.headroom.simulate;

import java.util.Locale;

/** Who sizes the guests during a simulation. */
public enum Policy {
    /** Headroom's own detect, decide and act code, unmodified. */
    HEADROOM,
    /** The rule an operator would write without Headroom; see {@link ThresholdController}. */
    THRESHOLD,
    /** Nothing changes: the guests keep their baseline. */
    NONE;

    /** The name on the command line and in the report. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
