package org.quantsupervision.health;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import org.quantsupervision.config.StateRule;

import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonPointer;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.filter.FilteringParserDelegate;
import tools.jackson.core.filter.JsonPointerBasedFilter;
import tools.jackson.core.filter.TokenFilter;
import tools.jackson.core.json.JsonFactory;

/**
 * A RULE_ key: one field of the strategy's JSON state file compared with a limit (the article's
 * "are positions aligned?"). A number is compared as a number, a string or boolean by its text,
 * and an array by its length, so {@code /positions_in_error > 0} works whether the strategy
 * writes a count or the list itself.
 */
record StateRuleCheck(StateRule rule) implements Check {
    /**
     * The largest STATE_FILE read (4 MiB; documented): the checker's heap is small, and a
     * strategy that wrote more would make every run fail for all strategies, not only its own.
     */
    static final int MAX_STATE_BYTES = 4 << 20;

    private static final JsonFactory JSON = new JsonFactory();

    @Override
    public String name() {
        return rule.label();
    }

    @Override
    public CheckResult run(CheckContext c) {
        Path file = c.config().stateFile().orElseThrow();
        String name = name();
        byte[] bytes;
        try {
            bytes = org.quantsupervision.runner.UntrustedFile.read(file, MAX_STATE_BYTES);
        } catch (NoSuchFileException e) {
            return CheckResult.of(name, Status.UNKNOWN, "STATE_FILE " + file + " does not exist");
        } catch (IOException e) {
            return CheckResult.of(name, Status.UNKNOWN, "cannot read STATE_FILE " + file + ": " + e.getMessage());
        }
        String actual;
        boolean number;
        try (JsonParser p = new FilteringParserDelegate(JSON.createParser(ObjectReadContext.empty(), bytes),
                new JsonPointerBasedFilter(JsonPointer.compile(rule.pointer())), TokenFilter.Inclusion.ONLY_INCLUDE_ALL,
                false)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                return CheckResult.of(name, Status.UNKNOWN, "no field " + rule.pointer() + " in " + file);
            }
            switch (t) {
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
                    actual = p.getDecimalValue().toPlainString();
                    number = true;
                }
                case START_ARRAY -> {
                    int length = 0;
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        p.skipChildren();
                        length++;
                    }
                    actual = Integer.toString(length);
                    number = true;
                }
                case START_OBJECT -> {
                    return CheckResult.of(name, Status.UNKNOWN, rule.pointer() + " is an object; expected a number, "
                            + "string, boolean or array");
                }
                default -> {
                    actual = p.getString();
                    number = false;
                }
            }
        } catch (RuntimeException e) {
            return CheckResult.of(name, Status.UNKNOWN, file + " is not valid JSON (being rewritten in place?): "
                    + e.getClass().getSimpleName());
        }
        if (rule.numeric() && !number) {
            return CheckResult.of(name, Status.UNKNOWN, rule.pointer() + " is '" + actual + "', not a number");
        }
        Metric metric = number ? Metric.of(name.replace('-', '_'), Double.parseDouble(actual), "") : null;
        String text = rule.pointer() + " is " + actual;
        if (rule.failsFor(actual, number)) {
            Status status = rule.critical() ? Status.CRITICAL : Status.WARNING;
            return metric == null ? CheckResult.of(name, status, text + " (rule: " + rule + ")")
                    : CheckResult.of(name, status, text + " (rule: " + rule + ")", metric);
        }
        return metric == null ? CheckResult.of(name, Status.OK, text) : CheckResult.of(name, Status.OK, text, metric);
    }
}
