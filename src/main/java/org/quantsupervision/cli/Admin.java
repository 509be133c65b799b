package org.quantsupervision.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.quantsupervision.config.StrategyAccount;
import org.quantsupervision.identity.Account;

/** Commands that change the host's configuration run as root only, and say so in one line. */
final class Admin {
    private Admin() {
    }

    static boolean isRoot() {
        Object uid;
        try {
            uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid"); // owned by the effective uid
        } catch (IOException | UnsupportedOperationException e) {
            uid = -1;
        }
        return Integer.valueOf(0).equals(uid);
    }

    /**
     * Makes a root-run {@code health} the health checker's account, as its service runs it, before
     * it reads a byte of the strategies' files: runner.json, events, logs and state files are
     * theirs to write, so with root's rights a planted symlink would act as root; as quant-health
     * the kernel allows only what the checker may do anyway. Not root, or no such account here
     * (a build host): nothing changes.
     *
     * @return the account this process now runs as
     */
    static String becomeHealthChecker() {
        return become(StrategyAccount.HEALTH_CHECKER);
    }

    /**
     * Makes a root-run {@code drill} NAME's own account (the owner of its state directory) before
     * it touches anything of NAME's: it signals only what that account could signal, and reads
     * what it may read.
     */
    static String becomeStrategyAccount(StrategyAccount account) {
        return become(account.user());
    }

    private static String become(String name) {
        if (!isRoot()) { // before Account: the service's checker (quant-health) links no FFM call for nothing
            return System.getProperty("user.name");
        }
        java.util.Optional<Account> account = Account.named(name);
        if (account.isEmpty()) {
            return System.getProperty("user.name");
        }
        account.get().become();
        return account.get().name();
    }

    static void requireRoot(String command) {
        if (!isRoot()) {
            throw new ExitException(ExitCodes.FAILURE, command + ": needs root (sudo quant-supervision " + command
                    + " ...): it writes /etc and talks to systemd or supervisord");
        }
    }
}
