package org.quantsupervision.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code enable} creates, played against an account that can write where root creates:
 * root must neither follow a planted symlink nor create in a directory another account writes.
 */
class StrategySetupTest {
    @TempDir
    Path dir;
    private Path etc;
    private Path run;
    private Path lib;
    private Path log;
    private Path victim;
    private StrategySetup setup;

    @BeforeEach
    void layout() throws IOException {
        etc = Files.createDirectories(dir.resolve("etc"));
        run = Files.createDirectories(dir.resolve("run"));
        lib = Files.createDirectories(dir.resolve("lib"));
        log = Files.createDirectories(dir.resolve("log"));
        for (Path p : new Path[] {dir, etc, run, lib, log}) {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        victim = Files.writeString(dir.resolve("shadow"), "root:secret\n");
        Files.setPosixFilePermissions(victim, PosixFilePermissions.fromString("rw-------"));
        String user = System.getProperty("user.name");
        String group = Files.readAttributes(dir, java.nio.file.attribute.PosixFileAttributes.class).group().getName();
        setup = new StrategySetup(etc, run, lib, log, Path.of("/dev/null"), null,
                new org.quantsupervision.config.StrategyAccount(user, group));
    }

    @Test
    void createsEveryDirectoryWithItsModeWhateverTheUmask() throws IOException {
        setup.createFiles("alpha", "# template\n");
        assertEquals("rwxr-xr-x", mode(etc.resolve("alpha")));
        assertEquals("rw-r-----", mode(etc.resolve("alpha/env.conf")));
        assertEquals("# template\n", Files.readString(etc.resolve("alpha/env.conf")));
        // The runtime directory is the group's to write too: the health checker's restart requests.
        assertEquals("rwxrwx---", mode(run.resolve("alpha")));
        for (Path root : new Path[] {lib, log}) {
            assertEquals("rwxr-x---", mode(root.resolve("alpha")), root.toString());
        }
    }

    @Test
    void anExistingEnvConfKeepsItsSettingsAndGetsTheLayoutAndAStrategyKeepsItsAccount() throws IOException {
        Path conf = Files.createDirectories(etc.resolve("beta")).resolve("env.conf");
        Files.setPosixFilePermissions(etc.resolve("beta"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(conf, "STRATEGY_COMMAND=/bin/true\n");
        Files.setPosixFilePermissions(conf, PosixFilePermissions.fromString("rw-rw-rw-"));
        setup.createFiles("beta", "# template\n");
        assertEquals("STRATEGY_COMMAND=/bin/true\n", Files.readString(conf));
        assertEquals("rw-r-----", mode(conf));
        assertTrue(setup.done().stream().anyMatch(l -> l.contains("kept the settings of " + conf)), setup.done().toString());

        // beta ran as this account; asked to run it as another, enable says how to move instead.
        StrategySetup other = new StrategySetup(etc, run, lib, log, Path.of("/dev/null"), null,
                new org.quantsupervision.config.StrategyAccount("qs-other", "qs-other"));
        IOException e = assertThrows(IOException.class, () -> other.createFiles("beta", "# template\n"));
        assertTrue(e.getMessage().startsWith("beta runs as " + System.getProperty("user.name") + " (the owner of "
                + lib.resolve("beta") + "), not qs-other: to move it, disable it, chown -R qs-other:qs-other "), e.getMessage());
    }

    @Test
    void aSymlinkPlantedWhereAStrategyDirectoryGoesIsRefusedNotFollowed() throws IOException {
        Files.createSymbolicLink(lib.resolve("alpha"), victim);
        IOException e = assertThrows(IOException.class, () -> setup.createFiles("alpha", "# template\n"));
        assertTrue(e.getMessage().contains("is a symlink"), e.getMessage());
        assertEquals("rw-------", mode(victim), "the symlink's target is untouched");
        assertEquals("root:secret\n", Files.readString(victim));
        assertTrue(Files.isSymbolicLink(lib.resolve("alpha")));
    }

    @Test
    void aParentAnotherAccountMayWriteIsRefusedBeforeAnythingIsCreatedInIt() throws IOException {
        Files.setPosixFilePermissions(log, PosixFilePermissions.fromString("rwxrwxrwx"));
        IOException e = assertThrows(IOException.class, () -> setup.createFiles("alpha", "# template\n"));
        assertTrue(e.getMessage().contains(log + " must be a directory that only root can write"), e.getMessage());
        assertTrue(Files.notExists(log.resolve("alpha"), LinkOption.NOFOLLOW_LINKS), "nothing created there");
    }

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
    }
}
