package org.quantsupervision.config;

import java.util.regex.Pattern;

/**
 * A strategy's name, as in quant-strategy@NAME.service and /etc/strategies/NAME/. It becomes
 * part of paths and unit names, so it is checked before anything uses it: no '/', no "..", no
 * leading '.' or '-', nothing systemd would have to escape.
 */
public record StrategyName(String value) {
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

    public StrategyName {
        if (value == null || !VALID.matcher(value).matches() || value.contains("..")) {
            throw new IllegalArgumentException("invalid strategy name '" + printable(value) + "': expected 1 to 64 "
                    + "letters, digits, '_', '-' or '.', starting with a letter or digit, without '..'");
        }
    }

    @Override
    public String toString() {
        return value;
    }

    private static String printable(String s) {
        if (s == null) {
            return "";
        }
        String cleaned = s.replaceAll("\\p{Cntrl}", "?");
        return cleaned.length() > 70 ? cleaned.substring(0, 70) + "..." : cleaned;
    }
}
