package org.quantsupervision.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The Java packages' dependencies, computed from the code (imports and qualified names, comments
 * and strings left out), have no cycle, and are what ARCHITECTURE.md's table says each package
 * depends on: a new edge is a decision to write down there, not a drift.
 */
class PackageGraphTest {
    private static final Path TOP = Files.isDirectory(Path.of("../../src/main/java")) ? Path.of("../..") : Path.of(".");
    private static final Path SOURCES = TOP.resolve("src/main/java/org/quantsupervision");
    private static final Pattern REFERENCE = Pattern.compile("\\borg\\.quantsupervision\\.([a-z]+)\\.");
    /** Block and line comments, and string and text-block literals, which name packages without using them. */
    private static final Pattern NOT_CODE = Pattern.compile("(?s)/\\*.*?\\*/|//[^\\n]*|\"\"\".*?\"\"\"|\"(?:\\\\.|[^\"\\\\\\n])*\"");

    static Map<String, Set<String>> computed() throws IOException {
        Map<String, Set<String>> graph = new TreeMap<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String pkg = SOURCES.relativize(file).getName(0).toString();
                Set<String> deps = graph.computeIfAbsent(pkg, p -> new TreeSet<>());
                Matcher m = REFERENCE.matcher(NOT_CODE.matcher(Files.readString(file)).replaceAll(" "));
                while (m.find()) {
                    if (!m.group(1).equals(pkg)) {
                        deps.add(m.group(1));
                    }
                }
            }
        }
        return graph;
    }

    @Test
    void thePackagesDependOnEachOtherWithoutACycle() throws IOException {
        Map<String, Set<String>> graph = computed();
        for (String start : graph.keySet()) {
            List<String> path = cycleFrom(start, start, graph, new ArrayList<>(List.of(start)), new TreeSet<>());
            assertTrue(path.isEmpty(), "a package cycle: " + String.join(" -> ", path));
        }
    }

    private static List<String> cycleFrom(String start, String at, Map<String, Set<String>> graph, List<String> path,
            Set<String> seen) {
        for (String next : graph.getOrDefault(at, Set.of())) {
            if (next.equals(start)) {
                List<String> cycle = new ArrayList<>(path);
                cycle.add(start);
                return cycle;
            }
            if (seen.add(next)) {
                path.add(next);
                List<String> found = cycleFrom(start, next, graph, path, seen);
                if (!found.isEmpty()) {
                    return found;
                }
                path.remove(path.size() - 1);
            }
        }
        return List.of();
    }

    @Test
    void architectureMdSaysWhatEachPackageDependsOn() throws IOException {
        Map<String, Set<String>> documented = new TreeMap<>();
        Pattern row = Pattern.compile("^\\| `([a-z]+)` \\| .* \\| ([a-z, ]+|—) \\|$");
        for (String line : Files.readAllLines(TOP.resolve("ARCHITECTURE.md"))) {
            Matcher m = row.matcher(line);
            if (m.matches()) {
                Set<String> deps = new TreeSet<>();
                if (!m.group(2).equals("—")) {
                    for (String d : m.group(2).split(",")) {
                        deps.add(d.trim());
                    }
                }
                documented.put(m.group(1), deps);
            }
        }
        assertEquals(computed(), documented, "ARCHITECTURE.md's package table (package -> depends on) against the code");
    }
}
