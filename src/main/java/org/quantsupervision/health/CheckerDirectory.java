package org.quantsupervision.health;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The checker's own directory for one strategy, /var/lib/quant-supervision-health/NAME: the
 * checker's to write, and readable by the strategy's group, so that `status` run by the strategy's
 * account or an operator in that group shows the health results and incidents, as it shows the
 * runner's files. Only the checker's account can write in its tree, so nothing here can be
 * swapped for a symlink between the checker's steps.
 */
final class CheckerDirectory {
    private static final String[] SHARED = {"health.json", "events.jsonl"};

    private CheckerDirectory() {
    }

    /** Makes DIR (0750, group GROUP) if it is not there; a group this account is not in leaves it the checker's own. */
    static void prepare(Path dir, String group) throws IOException {
        Files.createDirectories(dir.getParent()); // the package makes it; a test or demo directory may not have it
        try {
            Files.createDirectory(dir);
        } catch (FileAlreadyExistsException e) {
            return;
        }
        PosixFileAttributeView view = Files.getFileAttributeView(dir, PosixFileAttributeView.class,
                LinkOption.NOFOLLOW_LINKS);
        view.setPermissions(PosixFilePermissions.fromString("rwxr-x---"));
        setGroup(view, dir, group);
    }

    /** Gives the files a run wrote the strategy's GROUP, read-only (the checker's umask made them 0600). */
    static void share(Path dir, String group) {
        for (String name : SHARED) {
            Path file = dir.resolve(name);
            PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class,
                    LinkOption.NOFOLLOW_LINKS);
            try {
                var a = view.readAttributes();
                if (!a.isRegularFile() || (a.group().getName().equals(group) && a.permissions().equals(
                        PosixFilePermissions.fromString("rw-r-----")))) {
                    continue;
                }
                setGroup(view, file, group);
                view.setPermissions(PosixFilePermissions.fromString("rw-r-----"));
            } catch (IOException e) {
                // not written yet, or no such group here: the file stays the checker's alone
            }
        }
    }

    private static void setGroup(PosixFileAttributeView view, Path path, String group) {
        try {
            GroupPrincipal g = path.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByGroupName(group);
            view.setGroup(g);
        } catch (IOException e) {
            // not a member (a test host, or enable has not admitted the checker): stays the checker's
        }
    }
}
