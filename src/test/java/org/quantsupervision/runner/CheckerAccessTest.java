package org.quantsupervision.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckerAccessTest {
    @Test
    void aRunnersOwnFileOfAnOlderUmaskBecomesGroupReadableAndALinkIsNotFollowed(@TempDir Path dir) throws IOException {
        Path log = Files.writeString(dir.resolve("strategy.log"), "tick\n");
        Files.setPosixFilePermissions(log, PosixFilePermissions.fromString("rw-------"));
        Path target = Files.writeString(dir.resolve("target"), "x");
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-------"));
        Path link = Files.createSymbolicLink(dir.resolve("events.jsonl"), target);
        CheckerAccess.grantRead(log, link, dir.resolve("absent"));
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(log)));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(target)));
    }
}
