package io.headroom.cli;

import io.headroom.config.ConfigException;
import io.headroom.config.ConfigLoader;
import io.headroom.config.HeadroomConfig;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --config FILE} option shared by every command that needs a config. */
final class ConfigOption {

    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE",
            description = "Config file (see daemon/headroom.yaml for every key).")
    Path file;

    HeadroomConfig load() throws ConfigException {
        return ConfigLoader.load(file);
    }
}
