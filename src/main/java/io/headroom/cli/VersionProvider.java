package io.headroom.cli;

import io.headroom.daemon.Version;
import picocli.CommandLine;

/** {@code headroom --version}. */
public final class VersionProvider implements CommandLine.IVersionProvider {

    @Override
    public String[] getVersion() {
        return new String[] {"headroom " + Version.current()};
    }
}
