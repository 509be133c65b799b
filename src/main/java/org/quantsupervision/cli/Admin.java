package org.quantsupervision.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.quantsupervision.control.StrategySetup;
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
     * Makes a root-run {@code health} or {@code drill} the account that runs strategies and their
     * health timer, before it reads a byte of their files: everything those commands touch
     * (env.conf, runner.json, health state, plugins named in env.conf) that account can change,
     * so with root's rights a planted symlink or a CHECK_ line would act as root. Not root, or no
     * such account here (a build host): nothing changes.
     *
     * @return the account whose env.conf files this process now accepts
     */
    static String becomeStrategyAccount() {
        if (!isRoot()) { // before Account: the timer's run as quant-user links no FFM call for nothing
            return System.getProperty("user.name");
        }
        java.util.Optional<Account> account = Account.named(StrategySetup.USER);
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
