package org.quantsupervision.manager;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.quantsupervision.process.Commands;

/**
 * Properties of systemd units, from one {@code systemctl show} for all of them (its Key=Value
 * output, one block per unit, is meant for programs, unlike {@code systemctl status}).
 */
public final class SystemdUnits {
    /** The resident health checker's unit (systemd/quant-supervision-health.service). */
    public static final String HEALTH_SERVICE = "quant-supervision-health.service";

    /** The unit of strategy NAME, an instance of the template unit. */
    public static String strategyUnit(String name) {
        return "quant-strategy@" + name + ".service";
    }

    private SystemdUnits() {
    }

    /** True when systemd is the init system (sd_booted(3)'s test). */
    public static boolean booted() {
        return Files.isDirectory(Path.of("/run/systemd/system"));
    }

    /** {@code systemctl show} output: Key=Value lines, one block per unit, blocks separated by an empty line. */
    static Map<String, Map<String, String>> parse(String text) {
        Map<String, Map<String, String>> result = new LinkedHashMap<>();
        Map<String, String> block = new HashMap<>();
        for (String line : (text + "\n\n").split("\n", -1)) { // -1: keep the empty line that ends the last block
            int eq = line.indexOf('=');
            if (line.isEmpty()) {
                if (block.containsKey("Id")) {
                    result.put(block.get("Id"), block);
                }
                block = new HashMap<>();
            } else if (eq > 0) {
                block.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return result;
    }

    /** PROPERTIES of each of UNITS, by unit Id; empty if systemctl could not be run. */
    public static Map<String, Map<String, String>> show(List<String> units, List<String> properties) {
        if (units.isEmpty()) {
            return Map.of();
        }
        List<String> command = new java.util.ArrayList<>(List.of("systemctl", "show", "--no-pager",
                "--property=Id," + String.join(",", properties)));
        command.addAll(units);
        try {
            Commands.Result r = Commands.run(command, Duration.ofSeconds(5));
            return parse(r.output());
        } catch (IOException e) {
            return Map.of();
        }
    }
}
