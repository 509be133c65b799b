package org.quantsupervision.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;

/**
 * The account a strategy runs as, and its group: the group its env.conf is readable by and the
 * health checker is a member of.
 *
 * <p>The one record of it is the owner of the strategy's state directory,
 * /var/lib/quant-supervision/NAME: its parent is root's, so only root sets that owner
 * ({@code enable NAME --user ACCOUNT}, or systemd's StateDirectory= from the unit's User= and
 * Group=), and the runner, the checker and root-run commands all read the same answer from it
 * without a second file to keep in step.
 */
public record StrategyAccount(String user, String group) {
    /** The package's shared strategy account (sysusers.d, preinst): strategies enabled without --user. */
    public static final StrategyAccount SHARED = new StrategyAccount("quant-user", "quant-group");

    /**
     * The health checker's own account (sysusers.d, preinst). It is in every strategy's group,
     * so it reads their settings and files; no strategy can write its state, read its alert
     * secrets (alerts.conf is root:quant-health 0640) or signal it.
     */
    public static final String HEALTH_CHECKER = "quant-health";
    /** The checker's account and group: with root, the owners of the host's files it reads (alerts.conf, serve's token). */
    public static final StrategyAccount HEALTH_CHECKER_FILES = new StrategyAccount(HEALTH_CHECKER, HEALTH_CHECKER);

    /** NAME's account, from the owner of STATE_ROOT/NAME; the shared one when it is not there (yet) or root's. */
    public static StrategyAccount of(StrategyName name, Path stateRoot) {
        try {
            PosixFileAttributes a = Files.readAttributes(stateRoot.resolve(name.value()), PosixFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS);
            String owner = a.owner().getName();
            if (!a.isDirectory() || owner.equals("root")) { // never a reason to act as root
                return SHARED;
            }
            return new StrategyAccount(owner, a.group().getName());
        } catch (IOException | UnsupportedOperationException e) {
            return SHARED;
        }
    }

    /** What env.conf must be: root's, readable by this group only. */
    public String envConfLayout() {
        return "root:" + group + " 0640";
    }

    /** The command that puts FILE in that layout. */
    public String envConfMove(Path file) {
        return "chown root:" + group + " " + file + " && chmod 0640 " + file;
    }
}
