package org.quantsupervision.health;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.quantsupervision.config.HealthConfig;

/**
 * How many of the strategy log's last ERROR_LINES lines match ERROR_PATTERN. Counted here, so
 * "no errors" is a count of 0 (the article's {@code grep -c ... || echo 0} printed "0" twice
 * then, and its comparison broke).
 */
final class ErrorRateCheck implements Check {
    static final String NAME = "error-rate";
    /** Bounds the read when lines are huge (a binary dump in the log): 1000 lines of up to 16 KB each. */
    private static final long MAX_BYTES = 16L << 20;
    /**
     * A longer line is judged by its first 4 KiB, and the rest skipped: lines are looked at one
     * at a time, so this (not the line's length) is what one line costs the checker's heap. A
     * log's level and message come first; a 1 MB line is a dump, not a message.
     */
    static final int MAX_LINE = 4096;

    /** False when there is nothing to read: the default log file is absent because the strategy logs to the journal. */
    static boolean applies(HealthConfig config) {
        return config.errorLogConfigured() || Files.exists(config.errorLog());
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public CheckResult run(CheckContext c) {
        HealthConfig config = c.config();
        Predicate<String> matches = matcher(config.errorPattern());
        int[] errors = {0};
        FileTail.Tail tail;
        try {
            tail = FileTail.last(config.errorLog(), config.errorLines(), MAX_BYTES, MAX_LINE, line -> {
                if (matches.test(line)) {
                    errors[0]++;
                }
            });
        } catch (NoSuchFileException e) {
            return CheckResult.of(NAME, Status.UNKNOWN, "ERROR_LOG_FILE " + config.errorLog() + " does not exist");
        } catch (IOException e) {
            return CheckResult.of(NAME, Status.UNKNOWN, "cannot read " + config.errorLog() + ": " + e.getMessage());
        }
        Metric metric = new Metric("log_errors", errors[0], "", config.errorWarning(), config.errorCritical());
        String text = errors[0] + " of the last " + tail.lines() + " log lines match " + config.errorPattern().pattern()
                + (tail.cut() == 0 ? "" : " (" + tail.cut() + " longer than " + MAX_LINE + " bytes: their start only)");
        if (errors[0] > config.errorCritical()) {
            return CheckResult.of(NAME, Status.CRITICAL, text + " (limit " + config.errorCritical() + ")", metric);
        }
        if (errors[0] > config.errorWarning()) {
            return CheckResult.of(NAME, Status.WARNING, text + " (limit " + config.errorWarning() + ")", metric);
        }
        return CheckResult.of(NAME, Status.OK, text, metric);
    }

    /** A pattern that is only words separated by '|', such as the default ERROR|CRITICAL. */
    private static final Pattern LITERALS = Pattern.compile("[A-Za-z0-9_ :=-]+(\\|[A-Za-z0-9_ :=-]+)*");

    /**
     * Whether a line matches PATTERN (compiled MULTILINE: ^ and $ at the line's ends, as in
     * grep). A pattern of plain words is searched with String.contains, which the JVM
     * vectorises: measured here, the regular expression ERROR|CRITICAL took 0.5 ms on 1000 log
     * lines, about all of a resident round's budget; any other pattern goes through the regex
     * engine, with one matcher reset for each line.
     */
    static Predicate<String> matcher(Pattern pattern) {
        if (LITERALS.matcher(pattern.pattern()).matches()) {
            String[] words = pattern.pattern().split("\\|");
            return line -> {
                for (String word : words) {
                    if (line.contains(word)) {
                        return true;
                    }
                }
                return false;
            };
        }
        Matcher m = pattern.matcher("");
        return line -> m.reset(line).find();
    }

    /** Lines of TEXT that match PATTERN, as the check counts them. */
    static int count(String text, Pattern pattern) {
        Predicate<String> matches = matcher(pattern);
        return (int) text.lines().filter(matches).count();
    }
}
