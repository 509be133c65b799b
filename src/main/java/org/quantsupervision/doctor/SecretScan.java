package org.quantsupervision.doctor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds API keys written into code or unit files instead of env.conf (the article's "API keys
 * loaded from environment, never hardcoded"). Two tests: the values of env.conf's own secrets
 * appearing verbatim anywhere, which is certain; and assignments of long literals to
 * secret-looking names, or well-known key formats, which are likely. A hit names the file, the
 * line and the key or pattern, never the value.
 */
public final class SecretScan {
    /** Variable names that hold secrets by convention. */
    private static final Pattern SECRET_NAME = Pattern.compile("(?i).*(KEY|SECRET|TOKEN|PASSWORD|PASSWD|WEBHOOK|CREDENTIAL).*");
    /** NAME = "literal" with a secret-looking NAME and a literal of 16+ key characters. */
    private static final Pattern ASSIGNMENT = Pattern.compile(
            "(?i)([A-Za-z0-9_]*(?:api[_-]?key|secret|token|password|passwd|routing[_-]?key)[A-Za-z0-9_]*)"
                    + "[\"']?\\s*[:=]\\s*[\"']([A-Za-z0-9_\\-+/=.]{16,})[\"']");
    /** Formats that are secrets wherever they appear. */
    private static final Map<String, Pattern> FORMATS = Map.of(
            "a Slack webhook URL", Pattern.compile("hooks\\.slack\\.com/services/[A-Za-z0-9/]{20,}"),
            "a Slack token", Pattern.compile("xox[abprs]-[A-Za-z0-9-]{10,}"),
            "an AWS access key id", Pattern.compile("AKIA[0-9A-Z]{16}"),
            "a private key", Pattern.compile("-----BEGIN [A-Z ]*PRIVATE KEY-----"));
    private static final Set<String> SKIPPED_DIRECTORIES = Set.of(".git", "venv", ".venv", "node_modules", "__pycache__",
            "site-packages", ".tox", ".mypy_cache");
    private static final long MAX_FILE_BYTES = 1 << 20;
    private static final int MAX_FILES = 20_000;
    private static final int MAX_HITS = 5;

    /** One finding: where, and what (a key name or a format), never the secret. */
    public record Hit(Path file, int line, String what) {
        @Override
        public String toString() {
            return file + ":" + line + " (" + what + ")";
        }
    }

    private final Map<String, String> knownSecrets;

    /** KNOWN: env.conf's variables; those with secret-looking names and 8+ characters are searched for verbatim. */
    public SecretScan(Map<String, String> known) {
        this.knownSecrets = new java.util.LinkedHashMap<>();
        known.forEach((k, v) -> {
            if (SECRET_NAME.matcher(k).matches() && v.length() >= 8) {
                knownSecrets.put(k, v);
            }
        });
    }

    /** Hits in every text file under each of ROOTS (a file or a directory), at most a few. */
    public List<Hit> scan(List<Path> roots) throws IOException {
        List<Hit> hits = new ArrayList<>();
        int[] files = {0};
        for (Path root : roots) {
            if (!Files.exists(root)) {
                continue;
            }
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes a) {
                    return !d.equals(root) && SKIPPED_DIRECTORIES.contains(d.getFileName().toString())
                            ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path f, BasicFileAttributes a) throws IOException {
                    if (a.isRegularFile() && a.size() <= MAX_FILE_BYTES) {
                        scanFile(f, hits);
                    }
                    return hits.size() >= MAX_HITS || ++files[0] >= MAX_FILES ? FileVisitResult.TERMINATE
                            : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path f, IOException e) {
                    return FileVisitResult.CONTINUE; // unreadable: not ours to judge
                }
            });
        }
        return hits.size() > MAX_HITS ? hits.subList(0, MAX_HITS) : hits;
    }

    private void scanFile(Path file, List<Hit> hits) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        for (byte b : bytes) {
            if (b == 0) {
                return; // binary
            }
        }
        String[] lines = new String(bytes, StandardCharsets.UTF_8).split("\n", -1);
        for (int i = 0; i < lines.length && hits.size() < MAX_HITS; i++) {
            String line = lines[i];
            String what = null;
            for (Map.Entry<String, String> secret : knownSecrets.entrySet()) {
                if (line.contains(secret.getValue())) {
                    what = "the value of " + secret.getKey() + " from env.conf";
                    break;
                }
            }
            if (what == null) {
                Matcher m = ASSIGNMENT.matcher(line);
                if (m.find()) {
                    what = "a literal assigned to " + m.group(1);
                }
            }
            if (what == null) {
                for (Map.Entry<String, Pattern> format : FORMATS.entrySet()) {
                    if (format.getValue().matcher(line).find()) {
                        what = format.getKey();
                        break;
                    }
                }
            }
            if (what != null) {
                hits.add(new Hit(file, i + 1, what));
            }
        }
    }
}
