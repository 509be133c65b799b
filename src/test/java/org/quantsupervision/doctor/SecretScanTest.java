package org.quantsupervision.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quantsupervision.doctor.SecretScan.Access;
import org.quantsupervision.doctor.SecretScan.Account;

/**
 * The scan as root runs it, over a tree the strategy's account may have built to make root read
 * what it cannot: it reads only regular files the account could read, follows no link and opens
 * nothing else. Accounts are made up (uid and gid 54321), or the test user's own without root's
 * powers, so the tests mean the same whoever runs them.
 */
class SecretScanTest {
    private static final String SECRET = "tk_live_0123456789abcdef";
    private static final UserPrincipalLookupService LOOKUP = FileSystems.getDefault().getUserPrincipalLookupService();

    @TempDir
    Path dir;

    private Account owner;
    private Account stranger;

    @BeforeEach
    void accounts() throws IOException {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        PosixFileAttributes a = Files.readAttributes(dir, PosixFileAttributes.class);
        owner = new Account("me", a.owner(), Set.of(a.group()), false);
        stranger = new Account("stranger", LOOKUP.lookupPrincipalByName("54321"),
                Set.of(LOOKUP.lookupPrincipalByGroupName("54321")), false);
    }

    private SecretScan.Result scan(Account account, Path... roots) throws IOException {
        return new SecretScan(Map.of("TICKDB_API_KEY", SECRET), account).scan(List.of(roots));
    }

    private static List<String> names(SecretScan.Result result) {
        return result.hits().stream().map(h -> h.file().getFileName().toString()).sorted().toList();
    }

    private static Path file(Path path, String mode) throws IOException {
        Files.createDirectories(path.getParent());
        Files.writeString(path, "key = '" + SECRET + "'\n");
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(mode));
        return path;
    }

    private static Path directory(Path path, String mode) throws IOException {
        Files.createDirectories(path);
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(mode));
        return path;
    }

    private static void mkfifo(Path path) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("mkfifo", path.toString()).inheritIO().start();
        assertEquals(0, p.waitFor(), "mkfifo " + path);
    }

    @Test
    void permitsAppliesOnlyTheClassTheAccountIsIn() throws IOException {
        UserPrincipal me = LOOKUP.lookupPrincipalByName("54321");
        UserPrincipal other = LOOKUP.lookupPrincipalByName("54322");
        GroupPrincipal mine = LOOKUP.lookupPrincipalByGroupName("54321");
        GroupPrincipal theirs = LOOKUP.lookupPrincipalByGroupName("54322");
        Account account = new Account("a", me, Set.of(mine), false);

        assertTrue(SecretScan.permits(mode("r--------"), me, theirs, account, Access.READ));
        assertFalse(SecretScan.permits(mode("---r--r--"), me, mine, account, Access.READ), "the owner's bits only");
        assertTrue(SecretScan.permits(mode("---r-----"), other, mine, account, Access.READ));
        assertFalse(SecretScan.permits(mode("rw----r--"), other, mine, account, Access.READ), "the group's bits only");
        assertTrue(SecretScan.permits(mode("------r--"), other, theirs, account, Access.READ));
        assertFalse(SecretScan.permits(mode("rw-rw----"), other, theirs, account, Access.READ), "root's 0660 file");
        assertFalse(SecretScan.permits(mode("rw-------"), other, mine, account, Access.READ), "root's 0600 file");

        assertTrue(SecretScan.permits(mode("rwx--x--x"), other, theirs, account, Access.SEARCH));
        assertFalse(SecretScan.permits(mode("rwx--x--x"), other, theirs, account, Access.LIST), "search, not list");
        assertFalse(SecretScan.permits(mode("rwxr--r--"), other, theirs, account, Access.LIST), "list needs x too");
        assertTrue(SecretScan.permits(mode("rwxr-x---"), other, mine, account, Access.LIST));

        Account root = new Account("root", other, Set.of(), true);
        assertTrue(SecretScan.permits(mode("---------"), me, mine, root, Access.READ));
    }

    private static Set<java.nio.file.attribute.PosixFilePermission> mode(String text) {
        return PosixFilePermissions.fromString(text);
    }

    @Test
    void onlyWhatTheAccountCouldReadIsScanned() throws Exception {
        Path code = directory(dir.resolve("code"), "rwxr-xr-x");
        file(code.resolve("open.py"), "rw-r--r--");
        file(code.resolve("private.py"), "rw-------");
        file(directory(code.resolve("closed"), "rwx------").resolve("closed.py"), "rw-r--r--");
        file(directory(code.resolve("search-only"), "rwx--x--x").resolve("unlisted.py"), "rw-r--r--");

        SecretScan.Result asStranger = scan(stranger, code);
        assertEquals(List.of("open.py"), names(asStranger), asStranger.toString());
        assertEquals(3, asStranger.skipped(), "private.py, closed/ and search-only/");

        SecretScan.Result asOwner = scan(owner, code);
        assertEquals(List.of("closed.py", "open.py", "private.py", "unlisted.py"), names(asOwner));
        assertEquals(0, asOwner.skipped());
    }

    @Test
    void aRootInADirectoryTheAccountCannotSearchIsSkipped() throws Exception {
        // STRATEGY_DIRECTORY=/root/anything: /root is 0700.
        Path code = directory(directory(dir.resolve("root-home"), "rwx------").resolve("code"), "rwxr-xr-x");
        Path notes = file(code.resolve("notes.txt"), "rw-r--r--");
        for (Path root : List.of(code, notes)) {
            SecretScan.Result result = scan(stranger, root);
            assertEquals(List.of(), result.hits());
            assertEquals(1, result.skipped());
        }
        assertEquals(List.of("notes.txt"), names(scan(owner, code)));
    }

    @Test
    void aFifoIsNeverOpened() throws Exception {
        Path code = directory(dir.resolve("code"), "rwxr-xr-x");
        mkfifo(code.resolve("a-pipe"));
        mkfifo(dir.resolve("root-pipe"));
        Files.writeString(code.resolve("main.py"), "key = os.environ['TICKDB_API_KEY']\n");
        SecretScan.Result result = assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> scan(owner, code, dir.resolve("root-pipe"), code.resolve("a-pipe")), "a FIFO blocks its reader");
        assertEquals(List.of(), result.hits());
        assertEquals(0, result.skipped());
    }

    @Test
    void noSymlinkIsFollowed() throws Exception {
        Path outside = directory(dir.resolve("outside"), "rwxr-xr-x");
        file(outside.resolve("elsewhere.txt"), "rw-r--r--");
        Path code = directory(dir.resolve("code"), "rwxr-xr-x");
        Files.createSymbolicLink(code.resolve("notes.txt"), outside.resolve("elsewhere.txt"));
        Files.createSymbolicLink(code.resolve("lib"), outside);
        Path linkedRoot = Files.createSymbolicLink(dir.resolve("linked-code"), outside);
        assertEquals(List.of(), scan(owner, code, linkedRoot).hits());
        assertEquals(List.of("elsewhere.txt"), names(scan(owner, outside)), "the file itself is found");
    }
}
