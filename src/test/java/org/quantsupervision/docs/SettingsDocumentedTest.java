package org.quantsupervision.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.quantsupervision.cli.QuantSupervision;
import org.quantsupervision.config.EnvConfTemplate;
import org.quantsupervision.config.EnvironmentFile;
import org.quantsupervision.config.HealthConfig;
import org.quantsupervision.config.HostAlerts;
import org.quantsupervision.config.Setting;
import org.quantsupervision.config.StrategyConfig;
import org.quantsupervision.config.StrategyName;

/**
 * The registry of env.conf keys ({@link Setting}) is the one home of their defaults: the code
 * reads them from it, and the template, the man page and README's table say the same, or this
 * fails naming the key and both values.
 */
class SettingsDocumentedTest {
    private static final Path TOP = Files.isDirectory(Path.of("../../src/main/man")) ? Path.of("../..") : Path.of(".");
    private static final StrategyName NAME = new StrategyName("mr");
    private static final Path FILE = Path.of("/etc/strategies/mr/env.conf");

    /** Registry defaults for NAME, for every key that is set by its own name (not CHECK_*, RULE_*). */
    private static Map<String, String> registry() {
        Map<String, String> all = new TreeMap<>();
        for (Setting s : Setting.values()) {
            if (!s.isFamily()) {
                all.put(s.key(), s.defaultFor(NAME.value()));
            }
        }
        return all;
    }

    @Test
    void everyDefaultWrittenOutIsWhatTheCodeReadsForAnUnsetKey() throws Exception {
        // Each key set to its registered default must give the very settings an empty file gives.
        Map<String, String> spelled = new LinkedHashMap<>();
        registry().forEach((key, value) -> {
            if (!value.isEmpty() && !key.equals(Setting.ERROR_LOG_FILE.key())) {
                spelled.put(key, value);
            }
        });
        // ERROR_LOG_FILE is the runner's log, under the log root given; set, it also becomes a written directory.
        StrategyConfig unset = StrategyConfig.from(NAME, FILE, Map.of());
        StrategyConfig set = StrategyConfig.from(NAME, FILE, spelled);
        assertEquals(unset.command(), set.command());
        assertEquals(unset.directory(), set.directory());
        assertEquals(withoutSettings(unset), withoutSettings(set), "runner keys: registry default != code default");
        Path logs = Path.of("/var/log/quant-supervision");
        Path state = Path.of("/var/lib/quant-supervision");
        HealthConfig healthUnset = HealthConfig.from(unset, FILE, logs, state, HostAlerts.NONE);
        HealthConfig healthSet = HealthConfig.from(set, FILE, logs, state, HostAlerts.NONE);
        assertEquals(healthUnset.toString().replace(healthUnset.errorPattern().toString(), "P"),
                healthSet.toString().replace(healthSet.errorPattern().toString(), "P"),
                "health keys: registry default != code default");
        assertEquals(healthUnset.errorPattern().pattern(), healthSet.errorPattern().pattern());
        assertEquals(logs.resolve("mr/strategy.log").toString(), Setting.ERROR_LOG_FILE.defaultFor("mr")
                .replace("/var/log/quant-supervision", logs.toString()));
        assertEquals(healthUnset.errorLog().toString(), Setting.ERROR_LOG_FILE.defaultFor("mr"));
    }

    private static String withoutSettings(StrategyConfig c) {
        // settings/environment hold the spelled-out keys themselves; everything else must be equal.
        return c.toString().replace(c.settings().toString(), "").replace(c.environment().toString(), "");
    }

    @Test
    void theTemplateListsEveryKeyWithItsDefault() throws Exception {
        Map<String, String> template = new TreeMap<>();
        for (String line : EnvConfTemplate.text().replace(EnvConfTemplate.NAME, NAME.value()).lines().toList()) {
            Matcher m = Pattern.compile("#([A-Z][A-Z0-9_]*)=(.*)").matcher(line);
            if (m.matches()) {
                template.put(m.group(1), m.group(2));
            }
        }
        template.remove("TICKDB_API_KEY"); // the strategy's own, an example
        for (Setting family : List.of(Setting.CHECK_LABEL, Setting.RULE_LABEL)) {
            String example = family.example().orElseThrow();
            String key = example.substring(0, example.indexOf('='));
            assertTrue(key.startsWith(family.prefix()), example);
            assertEquals(example.substring(key.length() + 1), template.remove(key), family.key() + "'s example");
        }
        assertEquals(registry(), template, "enable's template: key=default lines");
        // The template is a valid env.conf that sets nothing.
        assertEquals(Map.of(), EnvironmentFile.parse(FILE, EnvConfTemplate.text().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    @Test
    void theManPageListsEveryKeyWithItsDefault() throws IOException {
        String page = new ManPages(QuantSupervision.commandLine(), "9.9.9", "2026-01-02", TOP.resolve("src/main/man"))
                .render().get("quant-supervision");
        Matcher section = Pattern.compile("(?ms)^(\\.SS \"Keys of .*?)(?=^\\.SH )").matcher(page);
        assertTrue(section.find(), "quant-supervision(1) lists the keys (.SS Keys of ...)");
        Map<String, String> man = new TreeMap<>();
        Matcher entry = Pattern.compile("(?m)^\\.TP\\n\\.B (\\S+)\\n(?:.*\\n)*?.*?(?:default \\\\fB(.*?)\\\\fR|unset by default)")
                .matcher(section.group(1));
        while (entry.find()) {
            man.put(entry.group(1).replace("\\-", "-"), entry.group(2) == null ? "" : entry.group(2).replace("\\-", "-"));
        }
        Map<String, String> expected = new TreeMap<>();
        for (Setting s : Setting.values()) {
            expected.put(s.key(), s.defaultValue());
        }
        assertEquals(expected, man, "quant-supervision(1), its key list: key -> default");
        // The hand-written prose states no default of its own: a "(default X)" there would be a second home.
        String prose = Files.readString(TOP.resolve("src/main/man/quant-supervision.man"));
        assertTrue(!prose.contains("(default "), "src/main/man/quant-supervision.man states a default in prose");
    }

    @Test
    void readmesTableOfTheRunnersKeysHasTheirDefaults() throws IOException {
        // | `KEY` / `KEY2` | `default` / `default2` | meaning |, "none" for unset.
        Map<String, String> readme = new TreeMap<>();
        Pattern row = Pattern.compile("^\\| (`[A-Z_]+`(?: / `[A-Z_]+`)*) \\| ([^|]+) \\|.*$");
        for (String line : Files.readAllLines(TOP.resolve("README.md"))) {
            Matcher m = row.matcher(line);
            if (m.matches()) {
                String[] keys = m.group(1).replace("`", "").split(" / ");
                String[] defaults = m.group(2).trim().split(" / ");
                assertEquals(keys.length, defaults.length, "README.md: " + line);
                for (int i = 0; i < keys.length; i++) {
                    String d = defaults[i].trim();
                    readme.put(keys[i], d.equals("none") ? "" : d.replace("`", ""));
                }
            }
        }
        Map<String, String> runner = new TreeMap<>();
        Setting.of(Setting.Layer.RUNNER).forEach(s -> runner.put(s.key(), s.defaultValue()));
        Map<String, String> documented = new TreeMap<>(readme);
        documented.keySet().retainAll(Arrays.stream(Setting.values()).map(Setting::key).toList());
        assertEquals(documented.keySet().containsAll(runner.keySet()), true, "README.md's table lacks runner keys: "
                + runner.keySet().stream().filter(k -> !documented.containsKey(k)).toList());
        Map<String, String> registered = new TreeMap<>();
        documented.keySet().forEach(k -> registered.put(k, Setting.valueOf(k).defaultValue()));
        assertEquals(registered, documented, "README.md's tables: key -> default");
    }
}
