package org.quantsupervision.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import picocli.CommandLine;

/**
 * ExitCodes is the one list: every command's help shows its own, and what cannot import it (the C
 * monitor, the unit, the supervisord template, README) says the same numbers.
 */
class ExitCodesTest {
    /** The project's top directory, from the working directory (maven/app) or the top itself. */
    private static final Path TOP = Files.isDirectory(Path.of("../../src/main/c")) ? Path.of("../..") : Path.of(".");

    private static Set<Integer> codes(String command) {
        return codes(ExitCodes.of(command));
    }

    private static Set<Integer> codes(Map<String, String> list) {
        return list.keySet().stream().map(Integer::valueOf).collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<Integer> numbers(String text) {
        Set<Integer> result = new TreeSet<>();
        Matcher m = Pattern.compile("\\b\\d+\\b").matcher(text);
        while (m.find()) {
            result.add(Integer.valueOf(m.group()));
        }
        return result;
    }

    @Test
    void everyCommandsHelpListsItsOwnStatuses() {
        CommandLine root = QuantSupervision.commandLine();
        Map<String, CommandLine> commands = new LinkedHashMap<>(root.getSubcommands());
        commands.put(root.getCommandName(), root);
        commands.forEach((name, commandLine) -> {
            Map<String, String> list = commandLine.getCommandSpec().usageMessage().exitCodeList();
            assertFalse(list.isEmpty(), name + " lists its exit statuses");
            String help = commandLine.getUsageMessage(CommandLine.Help.Ansi.OFF);
            assertTrue(help.contains("\nExit status"), name + " --help has the section:\n" + help);
            for (String code : list.keySet()) {
                assertTrue(Pattern.compile("(?m)^  " + code + " +\\S").matcher(help).find(),
                        name + " --help lists " + code + ":\n" + help);
            }
        });
        assertEquals(codes(root.getSubcommands().get("run").getCommandSpec().usageMessage().exitCodeList()),
                Set.of(0, 2, 69, 70, 75, 78), "run lists what the monitor and prepare return");
    }

    @Test
    void everyCommandListsItsWrongCommandLineAndInternalError() {
        for (String name : QuantSupervision.SUBCOMMANDS.keySet()) {
            assertTrue(codes(name).contains(ExitCodes.usage(name)), name + " lists its usage status");
            if (!name.equals("help")) {
                assertTrue(codes(name).contains(ExitCodes.SOFTWARE), name + " lists the handler's internal error");
            }
        }
        assertEquals(ExitCodes.UNKNOWN, ExitCodes.usage("health"), "2 is CRITICAL in the Nagios convention");
        assertEquals(ExitCodes.UNKNOWN, ExitCodes.usage("doctor"));
        assertEquals(ExitCodes.USAGE, ExitCodes.usage("status"));
    }

    /** The codes a command's source names (ExitCodes.X) are among those it lists. */
    @Test
    void everyCommandListsTheCodesItsSourceReturns() throws Exception {
        Map<String, List<String>> sources = new TreeMap<>();
        QuantSupervision.SUBCOMMANDS.forEach((name, type) -> {
            if (type.getPackageName().equals(ExitCodes.class.getPackageName())) {
                Class<?> top = type.getEnclosingClass() != null ? type.getEnclosingClass() : type;
                sources.put(name, List.of(top.getSimpleName()));
            }
        });
        sources.put("prepare", List.of("PrepareCommand", "StrategyRun"));
        assertTrue(sources.keySet().containsAll(List.of("run", "health", "status", "doctor", "drill", "start")));
        Pattern reference = Pattern.compile("\\bExitCodes\\.([A-Z_]+)\\b");
        for (Map.Entry<String, List<String>> command : sources.entrySet()) {
            for (String file : command.getValue()) {
                String source = Files.readString(TOP.resolve("src/main/java/org/quantsupervision/cli/" + file + ".java"));
                Matcher m = reference.matcher(source);
                while (m.find()) {
                    int code = ExitCodes.class.getField(m.group(1)).getInt(null);
                    assertTrue(codes(command.getKey()).contains(code), command.getKey() + " returns ExitCodes."
                            + m.group(1) + " (" + file + ".java) but does not list " + code);
                }
            }
        }
    }

    @Test
    void theOverviewHasEveryCommandsStatuses() {
        Set<Integer> overview = codes(QuantSupervision.commandLine().getCommandSpec().usageMessage().exitCodeList());
        for (String name : QuantSupervision.SUBCOMMANDS.keySet()) {
            assertTrue(overview.containsAll(codes(name)), "quant-supervision --help names " + name + "'s " + codes(name));
        }
    }

    /** The monitor cannot import ExitCodes: its exits.h must say the same numbers, all of them run's. */
    @Test
    void theMonitorsExitStatusesAreExitCodes() throws IOException {
        String header = Files.readString(TOP.resolve("src/main/c/monitor/exits.h"));
        Map<String, Integer> defines = new TreeMap<>();
        Matcher m = Pattern.compile("(?m)^#define (EXIT_\\w+) (\\d+)\\b").matcher(header);
        while (m.find()) {
            defines.put(m.group(1), Integer.valueOf(m.group(2)));
        }
        assertEquals(new TreeMap<>(Map.of(
                "EXIT_STOPPED", ExitCodes.OK,
                "EXIT_USAGE", ExitCodes.USAGE,
                "EXIT_GAVE_UP", ExitCodes.GAVE_UP,
                "EXIT_SOFTWARE", ExitCodes.SOFTWARE,
                "EXIT_ALREADY_RUNNING", ExitCodes.ALREADY_RUNNING)), defines);
        assertTrue(codes("run").containsAll(defines.values()), "run's --help lists " + defines);
        for (Path c : List.of(Path.of("monitor.c"), Path.of("backoff.c"))) {
            String source = Files.readString(TOP.resolve("src/main/c/monitor").resolve(c));
            assertFalse(Pattern.compile("\\bexit\\((?!127\\))\\d+\\)").matcher(source).find(),
                    c + ": an exit status is one of exits.h's (127 is the strategy's failed exec)");
        }
    }

    /** What the managers keep down is what run lists as final: a restart would not fix it. */
    @Test
    void theUnitAndTheSupervisordProgramNameRunsCodes() throws IOException {
        String unit = Files.readString(TOP.resolve("systemd/quant-strategy@.service"));
        Matcher prevent = Pattern.compile("(?m)^RestartPreventExitStatus=(.*)$").matcher(unit);
        assertTrue(prevent.find(), unit);
        assertEquals(Set.of(ExitCodes.USAGE, ExitCodes.GAVE_UP, ExitCodes.CONFIG), numbers(prevent.group(1)));
        String program = Files.readString(TOP.resolve("supervisor/quant-strategy.conf.in"));
        Matcher expected = Pattern.compile("(?m)^exitcodes=(.*)$").matcher(program);
        assertTrue(expected.find(), program);
        assertEquals(Set.of(ExitCodes.OK, ExitCodes.GAVE_UP), numbers(expected.group(1)));
        assertTrue(codes("run").containsAll(numbers(prevent.group(1) + " " + expected.group(1))));
    }

    /** README's "Exit statuses of `COMMAND`: ..." sentences (the internal error may go unsaid). */
    @Test
    void readmeSaysEachCommandsStatuses() throws IOException {
        String readme = Files.readString(TOP.resolve("README.md")).replaceAll("\\s+", " ");
        Matcher m = Pattern.compile("Exit statuses of `(\\w+)`: (.*?)\\.(?: |$)").matcher(readme);
        Set<String> said = new TreeSet<>();
        while (m.find()) {
            String command = m.group(1);
            Set<Integer> stated = numbers(m.group(2).replaceAll("\\([^)]*\\)", ""));
            Set<Integer> listed = codes(command);
            stated.remove(ExitCodes.SOFTWARE);
            listed.remove(ExitCodes.SOFTWARE);
            assertEquals(listed, stated, "README: " + m.group());
            said.add(command);
        }
        assertTrue(said.containsAll(List.of("run", "health", "status", "doctor", "drill", "halt", "resume")),
                "README says " + said);
    }
}
