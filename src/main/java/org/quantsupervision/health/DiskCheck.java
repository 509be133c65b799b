package org.quantsupervision.health;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * Space left where the strategy writes (its state, logs and STATE_FILE directories): a full disk
 * stops logs, state files and the runner's own records. Each file system is counted once; the
 * fullest one decides. Percent used as df(1) computes it: used / (used + available to users).
 */
final class DiskCheck implements Check {
    static final String NAME = "disk";
    /**
     * Directories' file systems, looked up once per process: the lookup reads the whole mount
     * table, the free space (statvfs) is read fresh every run. Bounded by the configured directories.
     */
    private static final java.util.Map<Path, FileStore> STORES = new java.util.concurrent.ConcurrentHashMap<>();

    private static FileStore store(Path dir) {
        try {
            return Files.getFileStore(dir);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public CheckResult run(CheckContext c) {
        Set<String> seen = new HashSet<>();
        double worst = -1;
        Path worstPath = null;
        for (Path configured : c.config().writtenDirectories()) {
            // A directory not created yet will be on its nearest existing parent's file system.
            Path dir = configured.toAbsolutePath();
            while (dir != null && !Files.isDirectory(dir)) {
                dir = dir.getParent();
            }
            if (dir == null) {
                continue;
            }
            try {
                FileStore store = STORES.computeIfAbsent(dir, DiskCheck::store);
                if (!seen.add(store.name() + " " + store.toString())) {
                    continue;
                }
                long used = store.getTotalSpace() - store.getUnallocatedSpace();
                long available = store.getUsableSpace();
                if (used + available <= 0) {
                    continue;
                }
                double percent = 100.0 * used / (used + available);
                if (percent > worst) {
                    worst = percent;
                    worstPath = dir;
                }
            } catch (IOException | java.io.UncheckedIOException e) {
                return CheckResult.of(NAME, Status.UNKNOWN, "cannot read the free space of " + dir + ": " + e.getMessage());
            }
        }
        if (worstPath == null) {
            return CheckResult.of(NAME, Status.UNKNOWN, "none of " + c.config().writtenDirectories() + " exists");
        }
        int warning = c.config().diskWarning();
        int critical = c.config().diskCritical();
        Metric metric = new Metric("disk_used", Math.round(worst * 10) / 10.0, "%", warning, critical);
        String text = (long) Math.ceil(worst) + "% used on the file system of " + worstPath + " (warning " + warning
                + "%, critical " + critical + "%)";
        Status status = worst >= critical ? Status.CRITICAL : worst >= warning ? Status.WARNING : Status.OK;
        return CheckResult.of(NAME, status, text, metric);
    }
}
