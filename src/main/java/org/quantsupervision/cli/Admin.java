package org.quantsupervision.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Commands that change the host's configuration run as root only, and say so in one line. */
final class Admin {
    private Admin() {
    }

    static void requireRoot(String command) {
        Object uid;
        try {
            uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid"); // owned by the effective uid
        } catch (IOException | UnsupportedOperationException e) {
            uid = -1;
        }
        if (!Integer.valueOf(0).equals(uid)) {
            throw new ExitException(ExitCodes.FAILURE, command + ": needs root (sudo quant-supervision " + command
                    + " ...): it writes /etc and talks to systemd or supervisord");
        }
    }
}
