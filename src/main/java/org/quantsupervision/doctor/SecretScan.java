package org.quantsupervision.doctor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.quantsupervision.config.SecretNames;
import org.quantsupervision.process.Commands;

/**
 * Finds API keys written into code or unit files instead of env.conf (the article's "API keys
 * loaded from environment, never hardcoded"). Two tests: the values of env.conf's own secrets
 * appearing verbatim anywhere, which is certain; and assignments of long literals to
 * secret-looking names, or well-known key formats, which are likely. A hit names the file, the
 * line and the key or pattern, never the value.
 *
 * <p>Root runs it, over a directory that env.conf names and the strategy's account writes. So
 * it reads only what that account could read itself: otherwise a value planted in env.conf
 * makes the hit or its absence an oracle for root-only files (/root, /etc/shadow). It reads
 * regular files only, never a FIFO (whose open would block) or device, and follows no link:
 * each directory is opened relative to the one above it, so a link the account swaps in
 * mid-walk cannot take the walk elsewhere.
 */
public final class SecretScan {
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
    /** Entries (files, directories, anything) looked at in all, and directory levels below a root. */
    private static final int MAX_ENTRIES = 20_000;
    private static final int MAX_DEPTH = 32;
    private static final int MAX_HITS = 5;
    private static final Set<OpenOption> READ_NO_LINK = Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);

    /** One finding: where, and what (a key name or a format), never the secret. */
    public record Hit(Path file, int line, String what) {
        @Override
        public String toString() {
            // The account names the files: a newline in a name must not start a line of output.
            return file.toString().replaceAll("\\p{Cntrl}", "?") + ":" + line + " (" + what + ")";
        }
    }

    /**
     * What a scan found, and how many files and directories it left out because the account
     * could not read them (0600 root files, a 0700 directory, a root outside its reach).
     */
    public record Result(List<Hit> hits, int skipped) {
    }

    /** What the kernel checks of a file for an access: read a file, pass through or list a directory. */
    enum Access {
        READ(4), SEARCH(1), LIST(5);

        private final int bits;

        Access(int bits) {
            this.bits = bits;
        }
    }

    /**
     * An account as the kernel sees it when checking a file: its uid and every group it is in.
     *
     * @param root uid 0, which may read and search anything
     */
    public record Account(String name, UserPrincipal user, Set<GroupPrincipal> groups, boolean root) {
        public Account {
            Objects.requireNonNull(user);
            groups = Set.copyOf(groups);
        }

        /**
         * NAME's account from the system's user database. The groups come from {@code id -G}
         * rather than /etc/group: id asks NSS (getgrouplist), as the login that starts the
         * strategy does, so groups from LDAP or sssd count too; Java has no call for another
         * user's groups. The uid comes from getpwnam, through Java's principal lookup.
         */
        public static Account of(String name) throws IOException {
            UserPrincipalLookupService lookup = FileSystems.getDefault().getUserPrincipalLookupService();
            UserPrincipal user = lookup.lookupPrincipalByName(name);
            Commands.Result id = Commands.run(List.of("id", "-G", "--", name), Duration.ofSeconds(10));
            if (!id.ok() || !id.output().trim().matches("\\d+(\\s+\\d+)*")) {
                throw new IOException("id -G " + name + " failed (exit " + id.status() + "): " + id.firstLine());
            }
            Set<GroupPrincipal> groups = new HashSet<>();
            for (String gid : id.output().trim().split("\\s+")) {
                // A number that names no group is looked up as that gid: the JDK falls back to it.
                groups.add(lookup.lookupPrincipalByGroupName(gid));
            }
            return new Account(name, user, groups, user.equals(lookup.lookupPrincipalByName("root")));
        }
    }

    /**
     * Whether ACCOUNT may have ACCESS to a file with MODE, OWNER and GROUP: the kernel's check
     * (generic_permission). Only one class of bits applies: the owner's for the owner, else the
     * group's for a member of the file's group, else the others'; so an owner without u+r cannot
     * read a file that others may. POSIX ACLs are not read: with one, the group bits are its mask.
     */
    static boolean permits(Set<PosixFilePermission> mode, UserPrincipal owner, GroupPrincipal group, Account account,
            Access access) {
        if (account.root()) {
            return true; // CAP_DAC_OVERRIDE: root reads and searches anything
        }
        int bits;
        if (owner.equals(account.user())) {
            bits = (mode.contains(PosixFilePermission.OWNER_READ) ? 4 : 0)
                    | (mode.contains(PosixFilePermission.OWNER_EXECUTE) ? 1 : 0);
        } else if (account.groups().contains(group)) {
            bits = (mode.contains(PosixFilePermission.GROUP_READ) ? 4 : 0)
                    | (mode.contains(PosixFilePermission.GROUP_EXECUTE) ? 1 : 0);
        } else {
            bits = (mode.contains(PosixFilePermission.OTHERS_READ) ? 4 : 0)
                    | (mode.contains(PosixFilePermission.OTHERS_EXECUTE) ? 1 : 0);
        }
        return (bits & access.bits) == access.bits;
    }

    private final Map<String, String> knownSecrets;
    private final Account account;

    /**
     * KNOWN: env.conf's variables; those with secret-looking names and 8+ characters are searched
     * for verbatim. ACCOUNT: the strategy's, whose view of the files the scan keeps to.
     */
    public SecretScan(Map<String, String> known, Account account) {
        this.account = account;
        this.knownSecrets = SecretNames.secretsIn(known);
    }

    /** Hits in every text file under each of ROOTS (a file or a directory) that the account can read, at most a few. */
    public Result scan(List<Path> roots) throws IOException {
        Walk walk = new Walk();
        for (Path root : roots) {
            walk.root(root.toAbsolutePath().normalize());
        }
        List<Hit> hits = walk.hits;
        return new Result(List.copyOf(hits.size() > MAX_HITS ? hits.subList(0, MAX_HITS) : hits), walk.skipped);
    }

    /** One scan's state: what it found, skipped and has looked at. */
    private final class Walk {
        private final List<Hit> hits = new ArrayList<>();
        /** One byte more than a file may have, to see one that grew past it. */
        private final ByteBuffer buffer = ByteBuffer.allocate((int) MAX_FILE_BYTES + 1);
        private int skipped;
        private int entries;

        private boolean done() {
            return hits.size() >= MAX_HITS || entries >= MAX_ENTRIES;
        }

        /**
         * ROOT itself is not followed if it is a link; links among its parents are resolved (as
         * the account's own lookup would), and every directory of the resolved path must be
         * searchable by the account. From there each directory is opened relative to its parent.
         */
        void root(Path root) throws IOException {
            if (done() || root.getParent() == null) {
                return; // "/" is no strategy's directory
            }
            Path parent;
            try {
                parent = root.getParent().toRealPath();
            } catch (IOException e) {
                return; // absent: nothing to scan
            }
            Path top = parent.getRoot();
            if (!permits(Files.readAttributes(top, PosixFileAttributes.class), Access.SEARCH)) {
                skipped++;
                return;
            }
            // Closed in the finally: the walk hands each open stream on, which try-with-resources cannot.
            @SuppressWarnings("StreamResourceLeak")
            SecureDirectoryStream<Path> dir = secure(Files.newDirectoryStream(top));
            try {
                for (Path name : top.relativize(parent)) {
                    if (name.toString().isEmpty()) {
                        continue; // parent is "/"
                    }
                    PosixFileAttributes a = attributes(dir, name);
                    if (a == null || !a.isDirectory()) {
                        return; // changed since it was resolved
                    }
                    if (!permits(a, Access.SEARCH)) {
                        skipped++;
                        return;
                    }
                    SecureDirectoryStream<Path> next = dir.newDirectoryStream(name, LinkOption.NOFOLLOW_LINKS);
                    dir.close();
                    dir = next;
                }
                entry(dir, parent.resolve(root.getFileName()), 0);
            } catch (IOException e) {
                // vanished or unreadable on the way: not ours to judge
            } finally {
                dir.close();
            }
        }

        /** PATH, an entry of DIR: scanned if a readable regular file, walked if a listable directory. */
        private void entry(SecureDirectoryStream<Path> dir, Path path, int depth) throws IOException {
            Path name = path.getFileName();
            PosixFileAttributes a = attributes(dir, name);
            if (a == null) {
                return;
            }
            if (a.isDirectory()) {
                if (depth >= MAX_DEPTH || (depth > 0 && SKIPPED_DIRECTORIES.contains(name.toString()))) {
                    return;
                }
                if (!permits(a, Access.LIST)) {
                    skipped++;
                    return;
                }
                try (SecureDirectoryStream<Path> sub = dir.newDirectoryStream(name, LinkOption.NOFOLLOW_LINKS)) {
                    for (Path child : sub) {
                        if (done()) {
                            return;
                        }
                        entries++;
                        entry(sub, child, depth + 1);
                    }
                } catch (IOException | DirectoryIteratorException e) {
                    // replaced by a link or gone since its attributes were read: not walked
                }
            } else if (a.isRegularFile()) {
                if (!permits(a, Access.READ)) {
                    skipped++;
                } else if (a.size() <= MAX_FILE_BYTES) {
                    byte[] bytes = read(dir, name, a);
                    if (bytes != null) {
                        scanText(path, bytes);
                    }
                }
            }
            // Anything else (a link, FIFO, socket, device) is not opened: opening a FIFO blocks.
        }

        private boolean permits(PosixFileAttributes a, Access access) {
            return SecretScan.permits(a.permissions(), a.owner(), a.group(), account, access);
        }

        /** The attributes of NAME in DIR, not following a link; null if it is gone. */
        private static PosixFileAttributes attributes(SecureDirectoryStream<Path> dir, Path name) {
            try {
                return dir.getFileAttributeView(name, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                        .readAttributes();
            } catch (IOException e) {
                return null;
            }
        }

        /**
         * NAME's bytes, or null if it is not the file whose attributes were checked any more (the
         * account swapped another in) or grew too large.
         */
        private byte[] read(SecureDirectoryStream<Path> dir, Path name, PosixFileAttributes checked) {
            buffer.clear();
            try (SeekableByteChannel channel = dir.newByteChannel(name, READ_NO_LINK)) {
                while (buffer.hasRemaining() && channel.read(buffer) >= 0) {
                    // until the end, or the buffer is full
                }
            } catch (IOException e) {
                return null;
            }
            PosixFileAttributes after = attributes(dir, name);
            if (buffer.position() > MAX_FILE_BYTES || after == null
                    || !Objects.equals(after.fileKey(), checked.fileKey())) {
                return null;
            }
            byte[] bytes = new byte[buffer.position()];
            buffer.flip().get(bytes);
            return bytes;
        }

        private static SecureDirectoryStream<Path> secure(DirectoryStream<Path> stream) throws IOException {
            if (stream instanceof SecureDirectoryStream<Path> secure) {
                return secure;
            }
            stream.close();
            throw new IOException("this file system cannot open a directory relative to another (no openat)");
        }

        private void scanText(Path file, byte[] bytes) {
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
}
