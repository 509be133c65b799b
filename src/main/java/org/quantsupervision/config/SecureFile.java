package org.quantsupervision.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;

/**
 * Reads a file that holds secrets only if nobody but its owner, the account reading it, can read
 * or change it: the check ssh makes of a private key. env.conf holds API keys.
 */
public final class SecureFile {
    private static final Set<PosixFilePermission> GROUP_OR_OTHER = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private SecureFile() {
    }

    /** The bytes of FILE, if it is a regular file owned by USER with no group/other permissions. */
    public static byte[] read(Path file, String user) throws ConfigException {
        PosixFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            throw new ConfigException(file, 0, "does not exist; expected the strategy's settings, "
                    + "mode 0600, owned by " + user);
        } catch (IOException e) {
            throw new ConfigException(file, 0, "cannot be read (" + e.getMessage() + ")");
        }
        if (!attributes.isRegularFile()) {
            throw new ConfigException(file, 0, "is not a regular file (a symlink or directory); expected a file "
                    + "owned by " + user + " with mode 0600");
        }
        if (!attributes.owner().getName().equals(user)) {
            throw new ConfigException(file, 0, "is owned by " + attributes.owner().getName() + "; it holds secrets "
                    + "and must belong to " + user + " (chown " + user + " " + file + ")");
        }
        Set<PosixFilePermission> loose = EnumSet.copyOf(attributes.permissions());
        loose.retainAll(GROUP_OR_OTHER);
        if (!loose.isEmpty()) {
            throw new ConfigException(file, 0, "is accessible by group or others (mode " + octal(attributes.permissions())
                    + "); it holds secrets: chmod 600 " + file);
        }
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ConfigException(file, 0, "cannot be read (" + e.getMessage() + ")");
        }
    }

    private static String octal(Set<PosixFilePermission> permissions) {
        int mode = 0;
        for (PosixFilePermission p : permissions) {
            mode |= 1 << (8 - p.ordinal());
        }
        return String.format("%04o", mode);
    }
}
