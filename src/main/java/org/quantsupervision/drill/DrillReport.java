package org.quantsupervision.drill;

import java.util.ArrayList;
import java.util.List;

/**
 * What one drill did and saw, in order: each step with the milliseconds since the drill's
 * disruptive act (the kill, the SIGSTOP, the send), and the verdict.
 */
public final class DrillReport {
    /** One observation; MILLIS counts from the disruptive act, -1 before it. */
    public record Step(String event, long millis, String detail) {
    }

    private final String drill;
    private final String strategy;
    private final String manager;
    private final List<Step> steps = new ArrayList<>();
    private final StepListener listener;
    private boolean passed;
    private String verdict = "";

    /** Told of every step as it happens, so that a long drill shows progress. */
    public interface StepListener {
        void step(Step step);
    }

    DrillReport(String drill, String strategy, String manager, StepListener listener) {
        this.drill = drill;
        this.strategy = strategy;
        this.manager = manager;
        this.listener = listener;
    }

    void step(String event, long millis, String detail) {
        Step s = new Step(event, millis, detail);
        steps.add(s);
        listener.step(s);
    }

    DrillReport pass(String why) {
        passed = true;
        verdict = why;
        return this;
    }

    DrillReport fail(String why) {
        passed = false;
        verdict = why;
        return this;
    }

    public String drill() {
        return drill;
    }

    public String strategy() {
        return strategy;
    }

    /** The layer that runs the strategy, as its runner recorded it ("systemd", "supervisord", "none"). */
    public String manager() {
        return manager;
    }

    public List<Step> steps() {
        return List.copyOf(steps);
    }

    public boolean passed() {
        return passed;
    }

    public String verdict() {
        return verdict;
    }

    /** The milliseconds of the first step named EVENT, or -1. */
    public long millisOf(String event) {
        return steps.stream().filter(s -> s.event().equals(event)).mapToLong(Step::millis).findFirst().orElse(-1);
    }
}
