package org.quantsupervision.docs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.quantsupervision.cli.QuantSupervision;

import picocli.AutoComplete;
import picocli.CommandLine;

/**
 * Build step (maven/app/pom.xml, exec-maven-plugin at prepare-package): writes the man pages and
 * the bash completion of quant-supervision from its picocli model, for maven/dist/stage to install.
 *
 * <pre>
 *   BuildDocs OUT FRAGMENTS VERSION TIMESTAMP
 *     OUT        output directory: OUT/man1/*.1 and OUT/bash-completion/quant-supervision
 *     FRAGMENTS  the hand-written troff fragments (src/main/man)
 *     VERSION    the project version, for the pages' footer
 *     TIMESTAMP  project.build.outputTimestamp (ISO 8601): its date is the pages' date
 * </pre>
 */
public final class BuildDocs {
    /** The program's name: the completion script's file name and the command it completes. */
    static final String COMMAND = "quant-supervision";

    private BuildDocs() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 4) {
            throw new IllegalArgumentException("usage: BuildDocs OUT FRAGMENTS VERSION TIMESTAMP");
        }
        Path out = Path.of(args[0]);
        String date = args[3].length() >= 10 ? args[3].substring(0, 10) : args[3];
        if (!date.matches("\\d{4}-\\d{2}-\\d{2}")) {
            throw new IllegalArgumentException("not an ISO 8601 time stamp: " + args[3]);
        }
        List<String> pages = new ManPages(QuantSupervision.commandLine(), args[2], date, Path.of(args[1]))
                .write(out.resolve("man1"));
        Path completion = out.resolve("bash-completion").resolve(COMMAND);
        Files.createDirectories(completion.getParent());
        Files.writeString(completion, completion(QuantSupervision.commandLine()), StandardCharsets.UTF_8);
        System.out.println("[BuildDocs] " + pages.size() + " man pages in " + out.resolve("man1") + ", completion "
                + completion);
    }

    /**
     * picocli's bash completion script for the command line. Its first line, a #! line, goes: the
     * file is sourced by bash-completion, never run (lintian: bash-completion-with-hashbang).
     */
    public static String completion(CommandLine commandLine) {
        String script = AutoComplete.bash(COMMAND, commandLine);
        if (script.startsWith("#!")) {
            script = script.substring(script.indexOf('\n') + 1);
        }
        return "# bash completion for " + COMMAND + "(1), generated at build time from its picocli model by\n"
                + "# picocli.AutoComplete (src/build/java/org/quantsupervision/docs/BuildDocs.java). Installed as\n"
                + "# /usr/share/bash-completion/completions/" + COMMAND + ", which bash-completion loads on first use;\n"
                + "# without bash-completion, source this file from ~/.bashrc.\n"
                + script;
    }
}
