package org.quantsupervision.runner;

import java.io.IOException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;

/**
 * Files of the runner that the health checker (a member of the strategy's group) reads: made
 * group-readable when a runner starts. New files are, by the runner's umask 027; these were made
 * by a release whose umask was 077 (0600), and are appended to, not replaced, so they would stay
 * unreadable to the checker (an UNKNOWN for ever) after an upgrade.
 */
final class CheckerAccess {
    private CheckerAccess() {
    }

    /** Adds group read to each of FILES that is a regular file of this account's (never through a link). */
    static void grantRead(Path... files) {
        String me = System.getProperty("user.name");
        for (Path file : files) {
            PosixFileAttributeView view = java.nio.file.Files.getFileAttributeView(file, PosixFileAttributeView.class,
                    LinkOption.NOFOLLOW_LINKS);
            try {
                PosixFileAttributes a = view.readAttributes();
                Set<PosixFilePermission> mode = EnumSet.copyOf(a.permissions());
                if (a.isRegularFile() && a.owner().getName().equals(me) && mode.add(PosixFilePermission.GROUP_READ)) {
                    view.setPermissions(mode);
                }
            } catch (IOException | IllegalArgumentException e) {
                // absent (a first start), or not ours: nothing to share
            }
        }
    }
}
