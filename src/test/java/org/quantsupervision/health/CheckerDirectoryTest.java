package org.quantsupervision.health;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckerDirectoryTest {
    @Test
    void theStrategysGroupMayReadTheCheckersStateButNotWriteIt(@TempDir Path root) throws IOException {
        String group = Files.readAttributes(root, PosixFileAttributes.class).group().getName();
        Path dir = root.resolve("health").resolve("alpha");
        CheckerDirectory.prepare(dir, group);
        assertEquals("rwxr-x---", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
        Path state = Files.writeString(dir.resolve("health.json"), "{}");
        Files.setPosixFilePermissions(state, PosixFilePermissions.fromString("rw-------")); // the checker's umask 077
        Path lock = Files.writeString(dir.resolve("health.lock"), "");
        Files.setPosixFilePermissions(lock, PosixFilePermissions.fromString("rw-------"));
        CheckerDirectory.share(dir, group);
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(state)));
        assertEquals(group, Files.readAttributes(state, PosixFileAttributes.class).group().getName());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(lock)), "only what status reads");
    }
}
