package org.quantsupervision.identity;

import java.util.Optional;

/**
 * A local account by name, with the ids the kernel checks. Root-run commands become one of these
 * before they touch anything another account can write (see {@link #become()}).
 */
public record Account(String name, int uid, int gid) {

    /** NAME as the passwd database knows it, if it does. */
    public static Optional<Account> named(String name) {
        return Posix.lookup(name).map(ids -> new Account(name, ids[0], ids[1]));
    }

    /**
     * Drops this whole process (every thread) to this account for good: its supplementary groups,
     * then gid, then uid, all three of real, effective and saved, so there is no way back. Done
     * first thing by root-run commands that read or write what the strategy account can change
     * (env.conf, state, plugins): the kernel then enforces what they may reach, instead of every
     * open() having to guard against planted symlinks. A process that is not root stays as it is.
     *
     * @throws IllegalStateException if a step fails or root is still reachable afterwards: carrying
     *         on with root's rights is never an option
     */
    public void become() {
        if (Posix.geteuid() != 0) {
            return;
        }
        check(Posix.initgroups0(name, gid), "initgroups");
        check(Posix.setresgid0(gid), "setresgid");
        check(Posix.setresuid0(uid), "setresuid");
        if (uid != 0 && (Posix.getuid() != uid || Posix.geteuid() != uid || Posix.setresuid0(0) == 0)) {
            throw new IllegalStateException("could not drop root's rights to " + name + " (uid " + uid + ")");
        }
    }

    private void check(int errno, String call) {
        if (errno != 0) {
            throw new IllegalStateException("cannot become " + name + ": " + call + " failed with errno " + errno);
        }
    }
}
