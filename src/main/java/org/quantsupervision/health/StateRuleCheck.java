package org.quantsupervision.health;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import org.quantsupervision.config.StateRule;
import org.quantsupervision.record.UntrustedFile;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonPointer;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.exc.StreamConstraintsException;
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
     * The largest STATE_FILE read (4 MiB; documented): a larger one is refused by its size,
     * unread. The checker's heap is small, and a strategy that wrote more would make every run
     * fail for all strategies, not only its own.
     */
    static final int MAX_STATE_BYTES = 4 << 20;

    /**
     * The longest string value read (the one the rule's pointer names: others are skipped
     * unread). A rule compares a short value; a 4 MiB string would take 8 MB of the heap.
     */
    static final int MAX_VALUE_CHARS = 64 * 1024;

    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(MAX_VALUE_CHARS).build())
            .build();

    @Override
    public String name() {
        return rule.label();
    }

    @Override
    public CheckResult run(CheckContext c) {
        Path file = c.config().stateFile().orElseThrow();
        String name = name();
        String actual;
        boolean number;
        // Streamed: the parser holds a few KB of the file at a time, whatever its size.
        try (InputStream in = UntrustedFile.stream(file, MAX_STATE_BYTES);
                JsonParser p = new FilteringParserDelegate(JSON.createParser(ObjectReadContext.empty(), in),
                        new JsonPointerBasedFilter(JsonPointer.compile(rule.pointer())),
                        TokenFilter.Inclusion.ONLY_INCLUDE_ALL, false)) {
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
        } catch (NoSuchFileException e) {
            return CheckResult.of(name, Status.UNKNOWN, "STATE_FILE " + file + " does not exist");
        } catch (IOException e) {
            return CheckResult.of(name, Status.UNKNOWN, "cannot read STATE_FILE " + file + ": " + e.getMessage());
        } catch (StreamConstraintsException e) {
            return CheckResult.of(name, Status.UNKNOWN, rule.pointer() + " in " + file + " is longer than "
                    + MAX_VALUE_CHARS + " characters: not read");
        } catch (JacksonException e) {
            // Jackson wraps the stream's own IOException (the file grew past the bound while read).
            if (e.getCause() instanceof IOException io) {
                return CheckResult.of(name, Status.UNKNOWN, "cannot read STATE_FILE " + file + ": " + io.getMessage());
            }
            return CheckResult.of(name, Status.UNKNOWN, file + " is not valid JSON (being rewritten in place?): "
                    + e.getClass().getSimpleName());
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
