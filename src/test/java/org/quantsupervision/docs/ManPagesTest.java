package org.quantsupervision.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quantsupervision.cli.QuantSupervision;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/** The man pages and the bash completion, generated from the model as the build does. */
class ManPagesTest {
    /** The hand-written fragments, found from the working directory (maven/app) or the top. */
    private static final Path FRAGMENTS = Files.isDirectory(Path.of("../../src/main/man"))
            ? Path.of("../../src/main/man") : Path.of("src/main/man");

    private static Map<String, String> pages() throws IOException {
        return new ManPages(QuantSupervision.commandLine(), "9.9.9", "2026-01-02", FRAGMENTS).render();
    }

    /** Every visible subcommand but help, found by walking the model (no list of names here). */
    private static List<CommandSpec> subcommands(CommandLine commandLine) {
        List<CommandSpec> result = new ArrayList<>();
        for (CommandLine sub : commandLine.getSubcommands().values()) {
            CommandSpec spec = sub.getCommandSpec();
            if (!spec.helpCommand() && !spec.usageMessage().hidden() && !result.contains(spec)) {
                result.add(spec);
                result.addAll(subcommands(sub));
            }
        }
        return result;
    }

    /** Text as troff source has it: hyphens are \-. */
    private static String troff(String plain) {
        return plain.replace("-", "\\-");
    }

    /** A section's source, from its .SH line to the next. */
    private static String section(String page, String title) {
        Matcher m = Pattern.compile("(?ms)^\\.SH \"?" + Pattern.quote(title) + "\"?\\n(.*?)(?=^\\.SH |\\z)").matcher(page);
        return m.find() ? m.group(1) : "";
    }

    @Test
    void theFragmentsAreFound() {
        assertTrue(Files.isRegularFile(FRAGMENTS.resolve("quant-supervision.man")), FRAGMENTS.toAbsolutePath().toString());
    }

    @Test
    void everySubcommandHasAPageAndNoOtherPageIsWritten() throws IOException {
        Map<String, String> pages = pages();
        List<CommandSpec> subs = subcommands(QuantSupervision.commandLine());
        assertTrue(subs.size() >= 8, "the model has the subcommands: " + subs);
        List<String> expected = new ArrayList<>(List.of("quant-supervision"));
        for (CommandSpec sub : subs) {
            expected.add("quant-supervision-" + sub.qualifiedName("-").substring("quant-supervision-".length()));
        }
        assertEquals(expected, List.copyOf(pages.keySet()));
        assertFalse(pages.containsKey("quant-supervision-help"));
    }

    @Test
    void everyOptionAndArgumentOfACommandIsOnItsPage() throws IOException {
        Map<String, String> pages = pages();
        List<CommandSpec> commands = new ArrayList<>(List.of(QuantSupervision.commandLine().getCommandSpec()));
        commands.addAll(subcommands(QuantSupervision.commandLine()));
        for (CommandSpec spec : commands) {
            String name = spec.qualifiedName("-");
            String page = pages.get(name);
            String options = section(page, "OPTIONS");
            for (OptionSpec option : spec.options()) {
                if (option.hidden()) {
                    continue;
                }
                for (String optionName : option.names()) {
                    assertTrue(options.contains("\\fB" + troff(optionName) + "\\fR"),
                            name + "(1) OPTIONS shows " + optionName + ":\n" + options);
                }
                if (option.arity().max() > 0) {
                    assertTrue(options.contains("\\fI" + troff(option.paramLabel()) + "\\fR"),
                            name + "(1) shows the parameter of " + option.longestName());
                }
                // The description as --help shows it, variables rendered (${DEFAULT-VALUE}, ...).
                String description = String.join(" ", option.description()).trim();
                assertTrue(options.contains(troff(description).replace("\\-", "\\-")),
                        name + "(1) describes " + option.longestName() + " as: " + description + "\n" + options);
            }
            String arguments = section(page, "ARGUMENTS");
            for (PositionalParamSpec positional : spec.positionalParameters()) {
                if (!positional.hidden()) {
                    assertTrue(arguments.contains("\\fI" + troff(positional.paramLabel()) + "\\fR"),
                            name + "(1) ARGUMENTS shows " + positional.paramLabel() + ":\n" + arguments);
                }
            }
            assertFalse(page.contains("${"), name + "(1) has an unrendered variable");
            String exit = section(page, "EXIT STATUS");
            for (String code : ManPages.exitCodes(spec).keySet()) {
                assertTrue(exit.contains("\\fB" + code.trim() + "\\fR"), name + "(1) EXIT STATUS has " + code);
            }
        }
    }

    /** Prose that names a status ("exits 69", "exit status 77") names one its command lists. */
    @Test
    void theProseNamesOnlyStatusesItsCommandLists() throws IOException {
        Map<String, String> pages = pages();
        List<CommandSpec> commands = new ArrayList<>(List.of(QuantSupervision.commandLine().getCommandSpec()));
        commands.addAll(subcommands(QuantSupervision.commandLine()));
        int named = 0;
        for (CommandSpec spec : commands) {
            String name = spec.qualifiedName("-");
            Matcher m = Pattern.compile("\\b(?:exits|exit status) (\\d+)\\b").matcher(pages.get(name));
            while (m.find()) {
                assertTrue(ManPages.exitCodes(spec).containsKey(m.group(1)), name + "(1) says \"" + m.group()
                        + "\" but its EXIT STATUS does not list " + m.group(1));
                named++;
            }
        }
        assertTrue(named >= 3, "the pages name statuses in their prose: " + named);
    }

    @Test
    void defaultsAndCandidatesAreRendered() throws IOException {
        String health = pages().get("quant-supervision-health");
        assertTrue(health.contains("Output: human, json, nagios (default: human)."), health);
        assertTrue(health.contains("(default: /etc/strategies)"), health);
    }

    @Test
    void theMainPageListsEveryCommandAndKeepsTheHandWrittenSections() throws IOException {
        String main = pages().get("quant-supervision");
        String commands = section(main, "COMMANDS");
        for (CommandSpec sub : subcommands(QuantSupervision.commandLine())) {
            if (sub.parent().parent() == null) {
                assertTrue(commands.contains("\\fB" + troff(sub.name()) + "\\fR"), "COMMANDS lists " + sub.name());
                assertTrue(commands.contains(".BR " + troff(sub.qualifiedName("-")) + " (1)"), "refers to its page");
            }
        }
        for (String title : List.of("FILES", "ENV.CONF", "HEALTH CHECKS", "SECURITY", "EXAMPLES", "SEE ALSO")) {
            assertFalse(section(main, title).isBlank(), "quant-supervision(1) has " + title);
        }
        assertTrue(main.startsWith(".\\\""));
        assertTrue(main.contains(".TH \"QUANT\\-SUPERVISION\" 1 \"2026\\-01\\-02\" \"quant\\-supervision 9.9.9\""), main);
        // Sections in man-pages(7) order; the fragment's SEE ALSO joined to the generated one.
        List<String> order = new ArrayList<>();
        for (String line : main.split("\n")) {
            if (line.startsWith(".SH ")) {
                order.add(line.substring(4).replace("\"", ""));
            }
        }
        assertEquals(List.of("NAME", "SYNOPSIS", "DESCRIPTION", "OPTIONS", "COMMANDS", "EXIT STATUS", "FILES",
                "ENV.CONF", "HEALTH CHECKS", "SECURITY", "EXAMPLES", "SEE ALSO"), order);
        assertTrue(section(main, "SEE ALSO").contains(".BR systemctl (1),"));
    }

    @Test
    void noGeneratedLineIsTakenForATroffRequest() throws IOException {
        for (Map.Entry<String, String> page : pages().entrySet()) {
            for (String line : page.getValue().split("\n")) {
                if (line.startsWith(".") || line.startsWith("'")) {
                    assertTrue(line.matches("\\.(\\\\\"|TH|SH|SS|PP|TP|IP|B|I|BR|RB|BI|IB|IR|RI|br|sp|nf|fi|RS|RE|EX|EE|nh|ad)( .*)?"),
                            page.getKey() + ": unexpected request: " + line);
                }
            }
        }
    }

    @Test
    void escapesBackslashesHyphensAndLeadingDots() {
        assertEquals("a\\eb \\-\\-x", ManPages.escape("a\\b --x"));
        assertEquals("\\&.start", ManPages.escape(".start"));
        assertEquals("\\&'quoted'", ManPages.escape("'quoted'"));
        assertEquals("x\n\\&.y", ManPages.escape("x\n.y"));
        assertEquals("\\fBbold\\fR text", ManPages.text("@|bold bold|@ text"));
    }

    @Test
    void aFragmentWithoutACommandFailsTheBuild(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("quant-supervision-nosuchcommand.man"), ".SH NOTES\nx\n");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new ManPages(QuantSupervision.commandLine(), "1", "2026-01-01", dir).render());
        assertTrue(e.getMessage().contains("quant-supervision-nosuchcommand"), e.getMessage());
    }

    @Test
    void writeReplacesPagesOfCommandsThatAreGone(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("quant-supervision-gone.1"), "old");
        List<String> written = new ManPages(QuantSupervision.commandLine(), "1", "2026-01-01", FRAGMENTS).write(dir);
        assertFalse(Files.exists(dir.resolve("quant-supervision-gone.1")));
        for (String page : written) {
            assertTrue(Files.isRegularFile(dir.resolve(page + ".1")), page);
        }
    }

    @Test
    void theCompletionOffersEverySubcommand() {
        String script = BuildDocs.completion(QuantSupervision.commandLine());
        assertFalse(script.startsWith("#!"), "sourced, not run: no #! line");
        Matcher m = Pattern.compile("(?m)^\\s*local commands=\"([^\"]*)\"").matcher(script);
        assertTrue(m.find(), "the top-level function lists the commands:\n" + script);
        List<String> offered = List.of(m.group(1).trim().split("\\s+"));
        for (CommandSpec sub : subcommands(QuantSupervision.commandLine())) {
            if (sub.parent().parent() == null) {
                assertTrue(offered.contains(sub.name()), "completion offers " + sub.name() + ": " + offered);
            }
        }
        assertTrue(script.contains("complete -F _complete_quant-supervision -o default quant-supervision"), script);
    }
}
