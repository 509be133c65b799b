package org.quantsupervision.health;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * What one strategy's health run is busy with (loading env.conf, waiting for its lock, which
 * checks, alerting, restarting): named in the report of a run that overran its deadline, so
 * that "did not finish" says where it hung. Steps run on several threads at once.
 */
final class Progress {
    /** For runs nobody watches. */
    static final Progress NONE = new Progress();

    private final Set<String> steps = new LinkedHashSet<>();

    synchronized void begin(String step) {
        if (this != NONE) {
            steps.add(step);
        }
    }

    synchronized void end(String step) {
        steps.remove(step);
    }

    /** The steps under way, in the order they began: "api, check-positions"; "" for none. */
    @Override
    public synchronized String toString() {
        return String.join(", ", steps);
    }
}
