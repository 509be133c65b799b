package org.quantsupervision.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.quantsupervision.config.StrategyName;

/** The strategies a command acts on: as named on the command line, or every one configured. */
final class ConfiguredStrategies {
    private ConfiguredStrategies() {
    }

    /** NAMES checked, each a usage error (exit USAGE_STATUS) if invalid. */
    static List<StrategyName> named(List<String> names, String command, int usageStatus) {
        List<StrategyName> result = new ArrayList<>();
        for (String n : names) {
            try {
                result.add(new StrategyName(n));
            } catch (IllegalArgumentException e) {
                throw new ExitException(usageStatus, command + ": " + e.getMessage());
            }
        }
        return result;
    }

    /** Every directory of CONFIG_DIR with an env.conf, sorted; invalid names are skipped with a line on ERR. */
    static List<StrategyName> all(Path configDir, String command, int errorStatus, PrintWriter err) {
        List<StrategyName> names = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(configDir)) {
            for (Path dir : dirs) {
                if (!Files.exists(dir.resolve("env.conf"))) {
                    continue;
                }
                try {
                    names.add(new StrategyName(dir.getFileName().toString()));
                } catch (IllegalArgumentException e) {
                    err.println("quant-supervision: " + command + ": skipping " + dir + ": " + e.getMessage());
                }
            }
        } catch (IOException e) {
            if (Files.exists(configDir)) {
                throw new ExitException(errorStatus, command + ": cannot list " + configDir + ": " + e.getMessage());
            }
        }
        names.sort(Comparator.comparing(StrategyName::value));
        return names;
    }
}
