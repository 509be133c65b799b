package org.quantsupervision.cli;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;

import org.quantsupervision.control.StrategySetup;

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
     * Whose env.conf this process accepts (SecureFile refuses any other owner): its own user's;
     * but root, on a host where the package created quant-user, accepts quant-user's, the owner
     * the runner needs (`sudo quant-supervision health|drill|doctor` read the installed files).
     */
    static String settingsOwner() {
        if (isRoot()) {
            try {
                FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByName(StrategySetup.USER);
                return StrategySetup.USER;
            } catch (IOException e) {
                // no quant-user here: a build or test host
            }
        }
        return System.getProperty("user.name");
    }

    static void requireRoot(String command) {
        if (!isRoot()) {
            throw new ExitException(ExitCodes.FAILURE, command + ": needs root (sudo quant-supervision " + command
                    + " ...): it writes /etc and talks to systemd or supervisord");
        }
    }
}
