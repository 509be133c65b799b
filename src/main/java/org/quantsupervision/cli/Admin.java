package org.quantsupervision.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

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
     * root, which drills and doctors the installed strategies, also accepts quant-user's.
     */
    static String settingsOwner(Path envConf) {
        String self = System.getProperty("user.name");
        if (isRoot()) {
            try {
                String owner = Files.getOwner(envConf, java.nio.file.LinkOption.NOFOLLOW_LINKS).getName();
                if (owner.equals(org.quantsupervision.control.StrategySetup.USER)) {
                    return owner;
                }
            } catch (IOException e) {
                return self; // SecureFile names the problem
            }
        }
        return self;
    }

    static void requireRoot(String command) {
        if (!isRoot()) {
            throw new ExitException(ExitCodes.FAILURE, command + ": needs root (sudo quant-supervision " + command
                    + " ...): it writes /etc and talks to systemd or supervisord");
        }
    }
}
