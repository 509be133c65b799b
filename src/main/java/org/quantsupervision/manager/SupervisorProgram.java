package org.quantsupervision.manager;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The keys of one [program:X] section of a supervisord config file. Hand-read because no
 * library on our module path reads supervisord's dialect of Python's ConfigParser, and doctor
 * and the runner's start need only plain {@code key=value} lines: full-line comments start with ';' or '#', inline
 * comments with whitespace then ';'; continuation lines (indented) are appended.
 */
public final class SupervisorProgram {
    private SupervisorProgram() {
    }

    /** Where this distribution's supervisord reads NAME's program file: Debian's conf.d, else RHEL's supervisord.d. */
    public static Path fileOf(String name) {
        Path debian = Path.of("/etc/supervisor/conf.d");
        return Files.isDirectory(debian) ? debian.resolve("quant-strategy-" + name + ".conf")
                : Path.of("/etc/supervisord.d").resolve("quant-strategy-" + name + ".ini");
    }

    /** The keys of [program:PROGRAM] in FILE, if the file has that section. */
    public static Optional<Map<String, String>> read(Path file, String program) throws IOException {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        String header = "[program:" + program + "]";
        Map<String, String> keys = null;
        String last = null;
        for (String raw : Files.readAllLines(file)) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith(";") || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("[")) {
                if (keys != null) {
                    break; // our section ended
                }
                keys = line.equals(header) ? new HashMap<>() : null;
                continue;
            }
            if (keys == null) {
                continue;
            }
            int comment = line.indexOf(" ;");
            if (comment >= 0) {
                line = line.substring(0, comment).strip();
            }
            if (Character.isWhitespace(raw.charAt(0)) && last != null) {
                keys.put(last, keys.get(last) + "\n" + line);
                continue;
            }
            int eq = line.indexOf('=');
            if (eq > 0) {
                last = line.substring(0, eq).strip().toLowerCase(java.util.Locale.ROOT);
                keys.put(last, line.substring(eq + 1).strip());
            }
        }
        return Optional.ofNullable(keys);
    }
}
