package org.quantsupervision.docs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import picocli.CommandLine;
import picocli.CommandLine.Model.ArgGroupSpec;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * Writes troff man pages (man(7) macros) from the picocli model: quant-supervision(1) and one
 * quant-supervision-SUB(1) per visible subcommand (nested ones as quant-supervision-SUB-SUBSUB(1)),
 * except picocli's {@code help} command. Build time only: src/build/java is a test source root,
 * so none of this is in the product jar.
 *
 * <p>Why not picocli-codegen's {@code ManPageGenerator}: it writes AsciiDoc, which needs
 * asciidoctor (a Ruby tool, or AsciidoctorJ with JRuby) at build time to become troff. The model
 * holds everything a page needs, and man(7) troff is a small format, so the pages are written
 * here directly.
 *
 * <p>What the model cannot know (files, env.conf keys, health checks, examples, longer prose) is
 * hand-written troff in {@code src/main/man/PAGE.man}: a list of {@code .SH} sections. A section
 * named like a generated one (DESCRIPTION, OPTIONS, ARGUMENTS, COMMANDS, EXIT STATUS, SEE ALSO)
 * is appended to it; any other section is inserted before SEE ALSO, in the fragment's order. A
 * fragment without a page fails the build (a renamed command must take its prose along).
 *
 * <p>Output is deterministic: no build date (the .TH date is given, from the build's fixed
 * output timestamp), options sorted by name, subcommands in the model's order.
 */
public final class ManPages {
    /** Sections the generator writes; a fragment section of the same name is appended to it. */
    static final List<String> GENERATED = List.of(
            "NAME", "SYNOPSIS", "DESCRIPTION", "OPTIONS", "ARGUMENTS", "COMMANDS", "EXIT STATUS", "SEE ALSO");

    private final CommandLine root;
    private final String version;
    private final String date;
    private final Path fragments;

    /**
     * @param root      the application's command line, from {@code QuantSupervision.commandLine()}
     * @param version   the version shown in the page footer
     * @param date      the .TH date, YYYY-MM-DD (fixed per release, for reproducible builds)
     * @param fragments directory of the hand-written PAGE.man fragments, or null for none
     */
    public ManPages(CommandLine root, String version, String date, Path fragments) {
        this.root = root;
        this.version = version;
        this.date = date;
        this.fragments = fragments;
    }

    /** The page name of a command: its qualified name with blanks as hyphens. */
    public static String pageName(CommandSpec spec) {
        return spec.qualifiedName("-");
    }

    /** Every command that gets a page, root first, then subcommands depth first in model order. */
    public List<CommandSpec> commands() {
        List<CommandSpec> result = new ArrayList<>();
        collect(root, result);
        return result;
    }

    private static void collect(CommandLine commandLine, List<CommandSpec> out) {
        out.add(commandLine.getCommandSpec());
        for (CommandLine sub : subcommands(commandLine)) {
            if (!sub.getCommandSpec().helpCommand()) {
                collect(sub, out);
            }
        }
    }

    /** Visible subcommands, once each (aliases are further keys of the same CommandLine). */
    static List<CommandLine> subcommands(CommandLine commandLine) {
        IdentityHashMap<CommandLine, Boolean> seen = new IdentityHashMap<>();
        List<CommandLine> result = new ArrayList<>();
        for (CommandLine sub : commandLine.getSubcommands().values()) {
            if (seen.put(sub, Boolean.TRUE) == null && !sub.getCommandSpec().usageMessage().hidden()) {
                result.add(sub);
            }
        }
        return result;
    }

    /** Writes every page as DIR/PAGE.1, and removes other *.1 files there; returns the page names. */
    public List<String> write(Path dir) throws IOException {
        Map<String, String> pages = render();
        Files.createDirectories(dir);
        try (Stream<Path> old = Files.list(dir)) {
            // A page of a command that no longer exists must not reach the package.
            for (Path file : old.filter(f -> f.getFileName().toString().endsWith(".1")).toList()) {
                Files.delete(file);
            }
        }
        for (Map.Entry<String, String> page : pages.entrySet()) {
            Files.writeString(dir.resolve(page.getKey() + ".1"), page.getValue(), StandardCharsets.UTF_8);
        }
        return List.copyOf(pages.keySet());
    }

    /** Page name to troff text, for every command that gets a page. */
    public Map<String, String> render() throws IOException {
        Map<String, Map<String, String>> fragmentsByPage = readFragments();
        Map<String, String> pages = new LinkedHashMap<>();
        for (CommandSpec spec : commands()) {
            String name = pageName(spec);
            Map<String, String> fragment = fragmentsByPage.remove(name);
            pages.put(name, page(spec, fragment == null ? Map.of() : fragment));
        }
        if (!fragmentsByPage.isEmpty()) {
            throw new IllegalStateException("man page fragments for no command: " + fragmentsByPage.keySet()
                    + " (in " + fragments + "; the commands are " + pages.keySet() + ")");
        }
        return pages;
    }

    // ---- fragments ---------------------------------------------------------------------------------------

    /** PAGE.man files: page name to (section title to troff body), sorted by page name. */
    private Map<String, Map<String, String>> readFragments() throws IOException {
        Map<String, Map<String, String>> result = new TreeMap<>();
        if (fragments == null || !Files.isDirectory(fragments)) {
            return result;
        }
        try (Stream<Path> files = Files.list(fragments)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".man")).sorted().toList()) {
                String name = file.getFileName().toString();
                String text = Files.readString(file, StandardCharsets.UTF_8)
                        .replace(SettingsList.MARKER + "\n", SettingsList.troff());
                result.put(name.substring(0, name.length() - ".man".length()), sections(file, text));
            }
        }
        return result;
    }

    /** A fragment's .SH sections in order; comments and blank lines before the first are allowed. */
    static Map<String, String> sections(Path file, String text) {
        Map<String, String> result = new LinkedHashMap<>();
        String title = null;
        StringBuilder body = new StringBuilder();
        int number = 0;
        for (String line : text.split("\n", -1)) {
            number++;
            if (line.startsWith(".SH")) {
                if (title != null) {
                    result.put(title, body.toString());
                }
                title = line.substring(3).trim().replace("\"", "");
                if (title.isEmpty() || result.containsKey(title) || title.equals("NAME") || title.equals("SYNOPSIS")) {
                    throw new IllegalStateException(file + ":" + number + ": a section the generator cannot take: " + line);
                }
                body.setLength(0);
            } else if (title != null) {
                body.append(line).append('\n');
            } else if (!line.isBlank() && !line.startsWith(".\\\"")) {
                throw new IllegalStateException(file + ":" + number + ": text before the first .SH");
            }
        }
        if (title != null) {
            result.put(title, body.toString());
        }
        // No trailing blank lines in a section (a blank line is a paragraph break in troff).
        result.replaceAll((t, b) -> b.replaceAll("\\s+$", "") + "\n");
        return result;
    }

    // ---- pages -------------------------------------------------------------------------------------------

    private String page(CommandSpec spec, Map<String, String> fragment) {
        Map<String, String> extra = new LinkedHashMap<>(fragment);
        String name = pageName(spec);
        StringBuilder out = new StringBuilder();
        out.append(".\\\" ").append(name).append("(1): generated at build time from the picocli model")
                .append(" (src/build/java/org/quantsupervision/docs/ManPages.java)");
        out.append(fragment.isEmpty() ? ".\n" : " and src/main/man/" + name + ".man.\n");
        out.append(".\\\" Do not edit: change the command's annotations or the fragment.\n");
        out.append(".TH ").append(quote(name.toUpperCase(Locale.ROOT))).append(" 1 ").append(quote(date))
                .append(' ').append(quote(root.getCommandName() + " " + version)).append(" \"User Commands\"\n");
        // Paths and option names are long words: no hyphenation, ragged right.
        out.append(".nh\n.ad l\n");

        out.append(".SH NAME\n").append(escape(name)).append(" \\- ").append(escape(summary(spec))).append('\n');

        out.append(".SH SYNOPSIS\n").append(synopsis(spec));
        if (spec.parent() == null) {
            for (CommandLine sub : subcommands(spec.commandLine())) {
                if (!sub.getCommandSpec().helpCommand()) {
                    out.append(".br\n").append(synopsis(sub.getCommandSpec()));
                }
            }
        }

        out.append(".SH DESCRIPTION\n");
        out.append(paragraphs(spec.usageMessage().description()));
        appendExtra(out, extra, "DESCRIPTION");

        List<OptionSpec> options = options(spec);
        if (!options.isEmpty() || extra.containsKey("OPTIONS")) {
            out.append(".SH OPTIONS\n");
            for (OptionSpec option : options) {
                out.append(".TP\n").append(optionTag(option)).append('\n').append(argDescription(option));
            }
            appendExtra(out, extra, "OPTIONS");
        }

        List<PositionalParamSpec> positionals = positionals(spec);
        if (!positionals.isEmpty() || extra.containsKey("ARGUMENTS")) {
            out.append(".SH ARGUMENTS\n");
            for (PositionalParamSpec positional : positionals) {
                out.append(".TP\n").append(positionalLabel(positional)).append('\n').append(argDescription(positional));
            }
            appendExtra(out, extra, "ARGUMENTS");
        }

        List<CommandLine> subs = subcommands(spec.commandLine());
        if (!subs.isEmpty() || extra.containsKey("COMMANDS")) {
            out.append(".SH COMMANDS\n");
            for (CommandLine sub : subs) {
                CommandSpec subSpec = sub.getCommandSpec();
                out.append(".TP\n").append(bold(escape(subSpec.name()))).append('\n');
                out.append(joined(subSpec.usageMessage().description())).append('\n');
                if (!subSpec.helpCommand()) {
                    out.append("See\n.BR ").append(escape(pageName(subSpec))).append(" (1).\n");
                }
            }
            appendExtra(out, extra, "COMMANDS");
        }

        Map<String, String> exitCodes = exitCodes(spec);
        if (!exitCodes.isEmpty() || extra.containsKey("EXIT STATUS")) {
            out.append(".SH \"EXIT STATUS\"\n");
            for (Map.Entry<String, String> code : exitCodes.entrySet()) {
                out.append(".TP\n").append(bold(escape(code.getKey().trim()))).append('\n')
                        .append(text(format(code.getValue()).trim())).append('\n');
            }
            appendExtra(out, extra, "EXIT STATUS");
        }

        for (Map.Entry<String, String> section : new ArrayList<>(extra.entrySet())) {
            if (!GENERATED.contains(section.getKey())) {
                out.append(".SH ").append(quote(section.getKey())).append('\n').append(section.getValue());
                extra.remove(section.getKey());
            }
        }

        out.append(".SH \"SEE ALSO\"\n");
        List<String> related = new ArrayList<>();
        if (spec.parent() != null) {
            related.add(pageName(spec.parent()));
        }
        for (CommandLine sub : subs) {
            if (!sub.getCommandSpec().helpCommand()) {
                related.add(pageName(sub.getCommandSpec()));
            }
        }
        for (int i = 0; i < related.size(); i++) {
            boolean last = i == related.size() - 1 && !extra.containsKey("SEE ALSO");
            out.append(".BR ").append(escape(related.get(i))).append(last ? " (1)\n" : " (1),\n");
        }
        appendExtra(out, extra, "SEE ALSO");
        if (!extra.isEmpty()) {
            // DESCRIPTION etc. of a page that has no such section cannot happen (each is written
            // when the fragment has it); anything left is a bug here.
            throw new IllegalStateException(name + ": fragment sections not placed: " + extra.keySet());
        }
        return out.toString();
    }

    private static void appendExtra(StringBuilder out, Map<String, String> extra, String section) {
        String body = extra.remove(section);
        if (body != null) {
            if (!section.equals("SEE ALSO")) {
                out.append(".PP\n");
            }
            out.append(body);
        }
    }

    /** The NAME line's text: the header if the command has one, else its description up to the first clause. */
    static String summary(CommandSpec spec) {
        String[] header = spec.usageMessage().header();
        String text = header.length > 0 ? joined(header, " ") : joined(spec.usageMessage().description(), " ");
        text = format(text).replaceAll("\\s+", " ").trim();
        if (header.length == 0) {
            Matcher end = Pattern.compile("[.:;]\\s|\\s\\(|\\.$").matcher(text);
            if (end.find()) {
                text = text.substring(0, end.start());
            }
        } else if (text.endsWith(".")) {
            text = text.substring(0, text.length() - 1);
        }
        if (text.isEmpty()) {
            throw new IllegalStateException(spec.qualifiedName() + " has neither a header nor a description");
        }
        return Character.toLowerCase(text.charAt(0)) + text.substring(1);
    }

    /**
     * The command's own exit codes, as its --help lists them (cli/ExitCodes gives every command
     * its list): a parent's would claim codes the command never returns.
     */
    static Map<String, String> exitCodes(CommandSpec spec) {
        return spec.usageMessage().exitCodeList();
    }

    // ---- synopsis ----------------------------------------------------------------------------------------

    private static String synopsis(CommandSpec spec) {
        List<String> parts = new ArrayList<>();
        parts.add(bold(escape(spec.qualifiedName(" "))));
        for (OptionSpec option : sortedVisible(spec.options())) {
            if (option.group() == null) {
                parts.add(option.required() ? optionSynopsis(option) : "[" + optionSynopsis(option) + "]");
            }
        }
        for (ArgGroupSpec group : spec.argGroups()) {
            parts.add(groupSynopsis(group));
        }
        for (PositionalParamSpec positional : spec.positionalParameters()) {
            if (positional.group() == null && !positional.hidden()) {
                parts.add(positionalSynopsis(positional));
            }
        }
        if (!subcommands(spec.commandLine()).isEmpty()) {
            parts.add(italic("COMMAND"));
        }
        return String.join("\n", parts) + "\n";
    }

    private static String groupSynopsis(ArgGroupSpec group) {
        List<String> members = new ArrayList<>();
        for (ArgSpec arg : group.args()) {
            if (arg.hidden()) {
                continue;
            }
            if (arg instanceof OptionSpec option) {
                members.add(optionSynopsis(option));
            } else {
                members.add(positionalSynopsis((PositionalParamSpec) arg));
            }
        }
        for (ArgGroupSpec sub : group.subgroups()) {
            members.add(groupSynopsis(sub));
        }
        String inner = String.join(group.exclusive() ? " | " : " ", members);
        String text = group.multiplicity().min() > 0 ? "(" + inner + ")" : "[" + inner + "]";
        return group.multiplicity().max() > 1 ? text + "..." : text;
    }

    private static String optionSynopsis(OptionSpec option) {
        return bold(escape(shortest(option.names()))) + paramSuffix(option);
    }

    private static String positionalSynopsis(PositionalParamSpec positional) {
        String label = positionalLabel(positional);
        return positional.arity().min() == 0 ? "[" + label + "]" : label;
    }

    // ---- options and arguments ---------------------------------------------------------------------------

    /** Visible options (mixins and argument groups included), sorted by their longest name. */
    static List<OptionSpec> options(CommandSpec spec) {
        return sortedVisible(spec.options());
    }

    /** Visible positional parameters, in index order. */
    static List<PositionalParamSpec> positionals(CommandSpec spec) {
        return spec.positionalParameters().stream().filter(p -> !p.hidden()).toList();
    }

    private static List<OptionSpec> sortedVisible(List<OptionSpec> options) {
        Comparator<OptionSpec> byName = Comparator.comparing(
                o -> o.longestName().replaceFirst("^-+", "").toLowerCase(Locale.ROOT));
        return options.stream().filter(o -> !o.hidden()).sorted(byName.thenComparing(OptionSpec::longestName)).toList();
    }

    private static String optionTag(OptionSpec option) {
        List<String> names = new ArrayList<>(List.of(option.names()));
        names.sort(Comparator.comparingInt(String::length).thenComparing(Comparator.naturalOrder()));
        List<String> shown = names.stream().map(n -> bold(escape(n))).toList();
        return String.join(", ", shown) + paramSuffix(option);
    }

    /** "=LABEL", "[=LABEL]" or "" for a flag, with "..." for repeated values. */
    private static String paramSuffix(OptionSpec option) {
        if (option.arity().max() == 0) {
            return "";
        }
        String label = italic(escape(option.paramLabel())) + (option.arity().max() > 1 ? "..." : "");
        return option.arity().min() == 0 ? "[=" + label + "]" : "=" + label;
    }

    private static String positionalLabel(PositionalParamSpec positional) {
        String label = italic(escape(positional.paramLabel()));
        return positional.arity().max() > 1 ? label + "..." : label;
    }

    /** An option's or argument's description, variables (defaults, candidates) rendered by picocli. */
    private static String argDescription(ArgSpec arg) {
        String text = joined(arg.description());
        return (text.isEmpty() ? "\\&" : text) + "\n";
    }

    // ---- text --------------------------------------------------------------------------------------------

    /** Description lines as troff paragraphs: one per line of the model's text (%n included). */
    private static String paragraphs(String[] lines) {
        List<String> paragraphs = new ArrayList<>();
        for (String line : format(String.join("\n", lines)).split("\n")) {
            if (!line.isBlank()) {
                paragraphs.add(text(line.trim()));
            }
        }
        return String.join("\n.PP\n", paragraphs) + (paragraphs.isEmpty() ? "" : "\n");
    }

    /** Description lines as one troff text block (line breaks become .br). */
    private static String joined(String[] lines) {
        List<String> parts = new ArrayList<>();
        for (String line : format(String.join("\n", lines)).split("\n")) {
            if (!line.isBlank()) {
                parts.add(text(line.trim()));
            }
        }
        return String.join("\n.br\n", parts);
    }

    private static String joined(String[] lines, String separator) {
        return String.join(separator, lines);
    }

    /** picocli's format specifiers in usage text (descriptions are java.util.Formatter strings). */
    static String format(String text) {
        return text.replace("%n", "\n").replace("%%", "%");
    }

    private static final Pattern MARKUP = Pattern.compile("@\\|([a-z,]+) (.*?)\\|@");

    /** A line of running text: escaped, picocli's @|bold ...|@ markup as fonts, safe at a line start. */
    static String text(String line) {
        StringBuilder out = new StringBuilder();
        Matcher m = MARKUP.matcher(line);
        int last = 0;
        while (m.find()) {
            out.append(escape(line.substring(last, m.start())));
            String style = m.group(1);
            String inner = escape(m.group(2));
            out.append(style.contains("bold") ? bold(inner) : style.contains("italic") ? italic(inner) : inner);
            last = m.end();
        }
        out.append(escape(line.substring(last)));
        return out.toString();
    }

    /**
     * Troff-escapes plain text: backslash as \e, hyphen as \- (options and names must be typed as
     * ASCII hyphen-minus, which \- gives), and a leading dot or apostrophe (a control line
     * otherwise) behind the zero-width \&.
     */
    static String escape(String plain) {
        String s = plain.replace("\\", "\\e").replace("-", "\\-");
        StringBuilder out = new StringBuilder();
        for (String line : s.split("\n", -1)) {
            if (out.length() > 0) {
                out.append('\n');
            }
            if (line.startsWith(".") || line.startsWith("'")) {
                out.append("\\&");
            }
            out.append(line);
        }
        return out.toString();
    }

    private static String bold(String escaped) {
        return "\\fB" + escaped + "\\fR";
    }

    private static String italic(String escaped) {
        return "\\fI" + escaped + "\\fR";
    }

    /** A macro argument in double quotes (troff has no escape for '"' inside: it becomes two). */
    private static String quote(String plain) {
        return "\"" + escape(plain).replace("\"", "\"\"") + "\"";
    }

    private static String shortest(String[] names) {
        String result = names[0];
        for (String name : names) {
            if (name.length() < result.length()) {
                result = name;
            }
        }
        return result;
    }
}
