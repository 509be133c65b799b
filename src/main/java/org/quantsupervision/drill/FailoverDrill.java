package org.quantsupervision.drill;

import java.time.Duration;
import java.util.Optional;

import org.quantsupervision.process.ProcessIdentity;
import org.quantsupervision.process.Signal;
import org.quantsupervision.record.RunnerRecord;

/**
 * {@code drill NAME failover}, run on the host that leads (failover mode): kill -9 of this
 * host's runner, as the unplanned failure it stands for, then the time until another host holds
 * the leader key in a new epoch, checking that this host's strategy had ended before. The runner
 * comes back (its manager restarts it) as a standby.
 */
public final class FailoverDrill {
    /** Who leads, as etcd says now. */
    public record Leadership(String host, long epoch) {
    }

    /** Reads the leader key; empty while no host holds it. */
    public interface LeaderProbe {
        Optional<Leadership> now() throws Exception;
    }

    private static final long POLL_MILLIS = 20;

    private final LeaderProbe leader;
    private final Duration timeout;
    private final DrillReport.StepListener listener;

    public FailoverDrill(LeaderProbe leader, Duration timeout, DrillReport.StepListener listener) {
        this.leader = leader;
        this.timeout = timeout;
        this.listener = listener;
    }

    /** BEFORE: this host's runner, leading in EPOCH as HOST. */
    public DrillReport run(RunnerRecord before, String host, long epoch) throws InterruptedException {
        DrillReport report = new DrillReport("failover", before.name(), before.manager().kind(), listener);
        ProcessIdentity runner = before.runner();
        ProcessIdentity old = before.strategy();
        long t0 = System.nanoTime();
        if (!runner.signal(Signal.KILL)) {
            return report.fail("cannot signal runner pid " + runner.pid());
        }
        report.step("killed", 0, "kill -9 runner pid " + runner.pid() + " (its strategy pid " + old.pid() + ", epoch "
                + epoch + ")");
        long goneAt = -1;
        long deadline = t0 + timeout.toNanos();
        String lastError = "";
        while (System.nanoTime() < deadline) {
            long ms = (System.nanoTime() - t0) / 1_000_000;
            if (goneAt < 0 && !old.isAlive()) {
                goneAt = ms;
                report.step("ended", ms, "this host's strategy pid " + old.pid() + " ended");
            }
            Optional<Leadership> now;
            try {
                now = leader.now();
            } catch (Exception e) {
                lastError = e.getMessage();
                now = Optional.empty();
            }
            if (now.isPresent() && now.get().epoch() != epoch) {
                Leadership l = now.get();
                if (goneAt < 0 && old.isAlive()) {
                    return report.fail("TWO LEADERS: " + l.host() + " took the key (epoch " + l.epoch() + ") " + ms
                            + " ms after the kill while this host's strategy pid " + old.pid() + " was still alive");
                }
                report.step("leader", ms, l.host() + " leads, epoch " + l.epoch());
                if (l.host().equals(host)) {
                    return report.fail("this host won the key again (epoch " + l.epoch() + "): no standby took over");
                }
                return report.pass("taken over by " + l.host() + " (epoch " + l.epoch() + ") " + ms
                        + " ms after the kill; this host's strategy had ended at " + goneAt + " ms");
            }
            Thread.sleep(POLL_MILLIS);
        }
        return report.fail("no other host took the key within " + timeout.toSeconds() + " s"
                + (lastError.isEmpty() ? "" : " (etcd: " + lastError + ")"));
    }
}
