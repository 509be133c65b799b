package org.quantsupervision.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StrategyAccountTest {
    private static final StrategyName NAME = new StrategyName("alpha");

    @Test
    void theAccountIsTheOwnerOfTheStateDirectory(@TempDir Path root) throws IOException {
        PosixFileAttributes a = Files.readAttributes(Files.createDirectory(root.resolve("alpha")), PosixFileAttributes.class);
        StrategyAccount account = StrategyAccount.of(NAME, root);
        if (a.owner().getName().equals("root")) {
            assertEquals(StrategyAccount.SHARED, account, "a root-owned directory never makes root the account");
        } else {
            assertEquals(new StrategyAccount(a.owner().getName(), a.group().getName()), account);
        }
        assertEquals("root:" + account.group() + " 0640", account.envConfLayout());
    }

    @Test
    void noDirectoryOrASymlinkMeansTheSharedAccount(@TempDir Path root) throws IOException {
        assertEquals(StrategyAccount.SHARED, StrategyAccount.of(NAME, root));
        Files.createSymbolicLink(root.resolve("alpha"), Files.createDirectory(root.resolve("elsewhere")));
        assertEquals(StrategyAccount.SHARED, StrategyAccount.of(NAME, root), "never followed");
    }
}
