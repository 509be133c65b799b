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
 * Reads a file that holds secrets only if no one but root, the strategy's account and the health
 * checker can read it and only root (or, in the 0.1.0 layout, that account) can change it: the
 * check ssh makes of a private key. env.conf holds API keys.
 * <ul>
 * <li>{@code root:GROUP 0640}, what {@code enable} makes, GROUP being the strategy's
 * ({@link StrategyAccount}): only root changes the strategy's settings (its CHECK_ lines, its
 * limits), the runner and the health checker read them through the group.</li>
 * <li>{@code READER 0600}, as 0.1.0 and the reference article made it: still read, but the
 * strategy's account can rewrite its own settings; postinst and {@code doctor} say how to move.</li>
 * </ul>
 */
public final class SecureFile {
    private static final Set<PosixFilePermission> GROUP_OR_OTHER = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);
    private static final Set<PosixFilePermission> ROOTS_LOOSE = EnumSet.of(
            PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private SecureFile() {
    }

    /** Whose a file is, as far as its secrets go. */
    public enum Ownership {
        /** root's, readable by the strategy's group only: the layout enable makes. */
        ROOT,
        /** the reader's own, 0600: 0.1.0's layout, which lets the strategy rewrite its settings. */
        READER
    }

    /** The bytes of FILE, if it is a regular file in one of the two layouts above (USER reads it, for ACCOUNT). */
    public static byte[] read(Path file, String user, StrategyAccount account) throws ConfigException {
        check(file, user, account);
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ConfigException(file, 0, "cannot be read (" + e.getMessage() + ")");
        }
    }

    /** Which layout FILE is in, or why it is in neither (as for {@link #read}). */
    public static Ownership check(Path file, String user, StrategyAccount account) throws ConfigException {
        String layout = account.envConfLayout();
        PosixFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            throw new ConfigException(file, 0, "does not exist; expected the strategy's settings, " + layout);
        } catch (IOException e) {
            throw new ConfigException(file, 0, "cannot be read (" + e.getMessage() + ")");
        }
        if (!attributes.isRegularFile()) {
            throw new ConfigException(file, 0, "is not a regular file (a symlink or directory); expected a file "
                    + layout);
        }
        String owner = attributes.owner().getName();
        Set<PosixFilePermission> mode = attributes.permissions();
        if (owner.equals("root") && !owner.equals(user)) {
            Set<PosixFilePermission> loose = EnumSet.copyOf(mode);
            loose.retainAll(ROOTS_LOOSE);
            boolean groupReads = mode.contains(PosixFilePermission.GROUP_READ);
            // Readable by the strategy's group, or the runner and the checker could not read it.
            if (!loose.isEmpty() || !groupReads || !attributes.group().getName().equals(account.group())) {
                throw new ConfigException(file, 0, "is " + owner + ":" + attributes.group().getName() + " "
                        + octal(mode) + "; it holds secrets: expected " + layout + " (" + account.envConfMove(file)
                        + ")");
            }
            return Ownership.ROOT;
        }
        if (!owner.equals(user)) {
            throw new ConfigException(file, 0, "is owned by " + owner + "; it holds secrets and must be " + layout
                    + " (" + account.envConfMove(file) + ")");
        }
        Set<PosixFilePermission> loose = EnumSet.copyOf(mode);
        loose.retainAll(GROUP_OR_OTHER);
        if (!loose.isEmpty()) {
            throw new ConfigException(file, 0, "is accessible by group or others (mode " + octal(mode)
                    + "); it holds secrets: chmod 600 " + file + ", or better " + account.envConfMove(file));
        }
        return Ownership.READER;
    }

    /** A mode as chmod(1) spells it, e.g. 0640. */
    // PosixFilePermission declares its nine bits in the mode's order, OWNER_READ first, as it has since Java 7.
    @SuppressWarnings("EnumOrdinal")
    public static String octal(Set<PosixFilePermission> permissions) {
        int mode = 0;
        for (PosixFilePermission p : permissions) {
            mode |= 1 << (8 - p.ordinal());
        }
        return String.format("%04o", mode);
    }
}
