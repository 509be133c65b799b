package org.quantsupervision.health;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
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
        FileTail.Tail tail;
        try {
            tail = FileTail.last(config.errorLog(), config.errorLines(), MAX_BYTES);
        } catch (NoSuchFileException e) {
            return CheckResult.of(NAME, Status.UNKNOWN, "ERROR_LOG_FILE " + config.errorLog() + " does not exist");
        } catch (IOException e) {
            return CheckResult.of(NAME, Status.UNKNOWN, "cannot read " + config.errorLog() + ": " + e.getMessage());
        }
        int errors = count(tail.text(), config.errorPattern());
        Metric metric = new Metric("log_errors", errors, "", config.errorWarning(), config.errorCritical());
        String text = errors + " of the last " + tail.lines() + " log lines match " + config.errorPattern().pattern();
        if (errors > config.errorCritical()) {
            return CheckResult.of(NAME, Status.CRITICAL, text + " (limit " + config.errorCritical() + ")", metric);
        }
        if (errors > config.errorWarning()) {
            return CheckResult.of(NAME, Status.WARNING, text + " (limit " + config.errorWarning() + ")", metric);
        }
        return CheckResult.of(NAME, Status.OK, text, metric);
    }

    /** A pattern that is only words separated by '|', such as the default ERROR|CRITICAL. */
    private static final Pattern LITERALS = Pattern.compile("[A-Za-z0-9_ :=-]+(\\|[A-Za-z0-9_ :=-]+)*");

    /**
     * Lines of TEXT with a match of PATTERN (compiled MULTILINE, so ^ and $ are per line, as in
     * grep). A pattern of plain words is searched with String.indexOf, which the JVM vectorises:
     * measured here, the regular expression ERROR|CRITICAL took 0.5 ms on 1000 log lines, about
     * all of a resident round's budget; any other pattern goes through the regex engine, in one
     * pass over the text that skips to the next line after each hit.
     */
    static int count(String text, Pattern pattern) {
        if (LITERALS.matcher(pattern.pattern()).matches()) {
            return countLiterals(text, pattern.pattern().split("\\|"));
        }
        Matcher m = pattern.matcher(text);
        int n = 0;
        int from = 0;
        while (from < text.length() && m.find(from)) {
            n++;
            int end = text.indexOf('\n', m.start());
            if (end < 0) {
                break;
            }
            from = end + 1;
        }
        return n;
    }

    private static int countLiterals(String text, String[] words) {
        java.util.BitSet lines = null; // line starts with a hit, when more than one word is searched
        int n = 0;
        for (String word : words) {
            for (int at = text.indexOf(word); at >= 0; at = text.indexOf(word, at + 1)) {
                int start = text.lastIndexOf('\n', at) + 1;
                if (words.length == 1) {
                    n++;
                } else {
                    if (lines == null) {
                        lines = new java.util.BitSet();
                    }
                    lines.set(start);
                }
                int end = text.indexOf('\n', at);
                if (end < 0) {
                    break;
                }
                at = end; // the next hit of this word on a later line
            }
        }
        return lines == null ? n : lines.cardinality();
    }
}
