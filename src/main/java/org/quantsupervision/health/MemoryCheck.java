package org.quantsupervision.health;

import org.quantsupervision.process.ProcessTree;
import org.quantsupervision.record.RunnerRecord;

/**
 * The resident memory of the strategy and everything it started (workers, helpers): the
 * article looked at one pid found by name, which misses a leaking child process.
 */
final class MemoryCheck implements Check {
    static final String NAME = "memory";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public CheckResult run(CheckContext c) {
        RunnerRecord r = c.runner().orElse(null);
        if (r == null || r.childPid() == 0 || !r.strategy().isAlive()) {
            return CheckResult.of(NAME, Status.UNKNOWN, "no strategy process to measure");
        }
        ProcessTree.Usage usage = ProcessTree.residentBytes(r.childPid());
        long warning = c.config().memoryWarning();
        long critical = c.config().memoryCritical();
        Metric metric = new Metric("strategy_memory", usage.bytes(), "B", warning, critical);
        String text = (usage.bytes() >> 20) + " MB resident in " + usage.processes() + " process"
                + (usage.processes() == 1 ? "" : "es") + " (warning " + (warning >> 20) + " MB, critical "
                + (critical >> 20) + " MB)";
        Status status = usage.bytes() > critical ? Status.CRITICAL : usage.bytes() > warning ? Status.WARNING : Status.OK;
        return CheckResult.of(NAME, status, text, metric);
    }
}
