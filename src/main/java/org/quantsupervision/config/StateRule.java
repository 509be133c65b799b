package org.quantsupervision.config;

import java.math.BigDecimal;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A rule on one field of the strategy's JSON state file, from {@code RULE_LABEL=POINTER OP VALUE
 * [warning|critical]}: e.g. {@code RULE_POSITIONS_IN_ERROR=/positions_in_error > 0} or
 * {@code RULE_DRIFT=/risk/position_drift >= 0.05 warning}. The rule fails (with its severity) when
 * the comparison is true: it describes the bad state, as an alert condition does.
 *
 * @param pointer an RFC 6901 JSON pointer into the state file
 * @param value a number (compared numerically) or, for == and !=, also a string or true/false
 */
public record StateRule(String label, String pointer, String operator, String value, boolean critical) {
    private static final Pattern SYNTAX = Pattern.compile(
            "(/\\S*)\\s*(>=|<=|==|!=|>|<)\\s*(\\S+)(?:\\s+(warning|critical))?", Pattern.CASE_INSENSITIVE);

    static StateRule parse(ConfigKeys keys, String key, String label) throws ConfigException {
        String text = keys.string(key, "");
        Matcher m = SYNTAX.matcher(text.trim());
        if (!m.matches()) {
            throw keys.error(key, ConfigKeys.quoted(text) + " is not a rule; expected '<json pointer> <op> <value> "
                    + "[warning|critical]' with op one of > >= < <= == !=, e.g. '/positions_in_error > 0'");
        }
        String op = m.group(2);
        String value = m.group(3);
        if (!op.equals("==") && !op.equals("!=") && !isNumber(value)) {
            throw keys.error(key, ConfigKeys.quoted(value) + " is not a number; " + op + " compares numbers");
        }
        return new StateRule(label, m.group(1), op, value,
                m.group(4) == null || m.group(4).equalsIgnoreCase("critical"));
    }

    /** Whether ACTUAL (the field's text, or a number's decimal form) makes the rule fail. */
    public boolean failsFor(String actual, boolean actualIsNumber) {
        if (isNumber(value) && actualIsNumber) {
            int c = new BigDecimal(actual).compareTo(new BigDecimal(value));
            return switch (operator) {
                case ">" -> c > 0;
                case ">=" -> c >= 0;
                case "<" -> c < 0;
                case "<=" -> c <= 0;
                case "==" -> c == 0;
                default -> c != 0;
            };
        }
        return switch (operator) {
            case "==" -> actual.equals(value);
            case "!=" -> !actual.equals(value);
            default -> false; // a number compared with text: reported as UNKNOWN by the caller
        };
    }

    public boolean numeric() {
        return isNumber(value);
    }

    static boolean isNumber(String s) {
        try {
            new BigDecimal(s);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    @Override
    public String toString() {
        return pointer + " " + operator + " " + value;
    }
}
