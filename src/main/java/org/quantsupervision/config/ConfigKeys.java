package org.quantsupervision.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Typed access to env.conf's keys, with errors that name the file and the key and say what is
 * expected. Values are quoted in errors only by the callers that know a key holds no secret;
 * here they are quoted for the typed keys (durations, numbers, sizes), which never do, and
 * only through {@link #quoted}.
 */
record ConfigKeys(Path file, Map<String, String> env) {
    private static final Pattern SIZE = Pattern.compile("(\\d{1,12})([KMG]?)");
    /** The largest size accepted (64 TiB): 12 digits of G would not fit in a long and wrapped round. */
    private static final long MAX_BYTES = 64L << 40;
    private static final int MAX_QUOTED = 80;

    // ---- a registered key, with its default and type from the registry ---------------------------

    String string(Setting s) {
        return string(s.key(), s.defaultValue());
    }

    Optional<String> optional(Setting s) {
        return optional(s.key());
    }

    List<String> words(Setting s) {
        return words(s.key(), s.defaultValue());
    }

    Duration duration(Setting s) throws ConfigException {
        return duration(s.key(), expect(s, Setting.Kind.DURATION));
    }

    int positive(Setting s) throws ConfigException {
        return positive(s.key(), expect(s, Setting.Kind.COUNT));
    }

    int whole(Setting s) throws ConfigException {
        return whole(s.key(), expect(s, Setting.Kind.WHOLE));
    }

    int percent(Setting s) throws ConfigException {
        return percent(s.key(), expect(s, Setting.Kind.PERCENT));
    }

    boolean yesNo(Setting s) throws ConfigException {
        return yesNo(s.key(), expect(s, Setting.Kind.YES_NO));
    }

    long bytes(Setting s) throws ConfigException {
        return bytes(s.key(), expect(s, Setting.Kind.SIZE));
    }

    ConfigException error(Setting s, String message) {
        return error(s.key(), message);
    }

    /** S's default, when it is registered as KIND: a key read as another type is a bug of ours. */
    private static String expect(Setting s, Setting.Kind kind) {
        if (s.kind() != kind) {
            throw new IllegalArgumentException(s.key() + " is registered as " + s.kind() + ", read as " + kind);
        }
        return s.defaultValue();
    }

    // ---- by name: a family's keys (CHECK_*, RULE_*), and the above ------------------------------

    String string(String key, String fallback) {
        return optional(key).orElse(fallback);
    }

    Optional<String> optional(String key) {
        return Optional.ofNullable(env.get(key)).map(String::trim).filter(v -> !v.isEmpty());
    }

    List<String> words(String key, String fallback) {
        String value = string(key, fallback).trim();
        return value.isEmpty() ? List.of() : Arrays.asList(value.split("\\s+"));
    }

    Duration duration(String key, String fallback) throws ConfigException {
        String value = string(key, fallback);
        try {
            Duration d = Durations.parse(value);
            if (d.isNegative()) {
                throw new IllegalArgumentException("is negative");
            }
            return d;
        } catch (IllegalArgumentException e) {
            throw error(key, quoted(value) + " " + e.getMessage());
        }
    }

    int positive(String key, String fallback) throws ConfigException {
        String value = string(key, fallback);
        try {
            int n = Integer.parseInt(value);
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw error(key, quoted(value) + " is not a positive whole number");
    }

    /** A whole number, zero or more. */
    int whole(String key, String fallback) throws ConfigException {
        String value = string(key, fallback);
        try {
            int n = Integer.parseInt(value);
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw error(key, quoted(value) + " is not a whole number (0 or more)");
    }

    /** A percentage from 1 to 100. */
    int percent(String key, String fallback) throws ConfigException {
        int n = whole(key, fallback);
        if (n < 1 || n > 100) {
            throw error(key, "'" + n + "' is not a percentage from 1 to 100");
        }
        return n;
    }

    boolean yesNo(String key, String fallback) throws ConfigException {
        String value = string(key, fallback).toLowerCase(java.util.Locale.ROOT);
        return switch (value) {
            case "yes", "true", "on", "1" -> true;
            case "no", "false", "off", "0" -> false;
            default -> throw error(key, quoted(value) + " is not yes or no");
        };
    }

    long bytes(String key, String fallback) throws ConfigException {
        String value = string(key, fallback);
        Matcher m = SIZE.matcher(value);
        if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
            throw error(key, quoted(value) + " is not a size; expected e.g. 50M, 512K, 1G");
        }
        int shift = switch (m.group(2)) {
            case "K" -> 10;
            case "M" -> 20;
            case "G" -> 30;
            default -> 0;
        };
        long n = Long.parseLong(m.group(1));
        if (n > MAX_BYTES >> shift) {
            throw error(key, quoted(value) + " is too large; at most " + (MAX_BYTES >> 30) + "G (64 TiB)");
        }
        return n << shift;
    }

    /**
     * VALUE for an error message: quoted when it is short text on one line, else described. A
     * quoted value may span lines, and quoting it would forge lines in the journal; a long one is
     * likelier a secret pasted under the wrong key than a typo.
     */
    static String quoted(String value) {
        if (value.length() <= MAX_QUOTED && value.chars().noneMatch(Character::isISOControl)) {
            return "'" + value + "'";
        }
        return "the value (" + value.length() + " characters, not shown)";
    }

    ConfigException error(String key, String message) {
        return new ConfigException(file, 0, key + ": " + message);
    }
}
