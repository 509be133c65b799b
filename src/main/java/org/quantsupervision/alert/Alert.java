package org.quantsupervision.alert;

import java.time.Instant;
import java.util.List;

/**
 * One alert about one check of one strategy: opening an incident, an update on it (a crash loop
 * told once per CRASH_UPDATE_INTERVAL, not once per crash), or closing it. The dedup key is the
 * same for all three, so that PagerDuty (and any receiver that cares) ties them to one incident.
 *
 * @param status OK, WARNING, CRITICAL or UNKNOWN (the check's status when the alert was raised)
 * @param summary one line, with no secret in it (checks never put one there)
 * @param details lines for a closer look (a crash's last lines of output), masked as the summary
 */
public record Alert(String host, String strategy, String check, String status, Kind kind, String summary,
        List<String> details, Instant time) {

    /** What the alert does to its incident. */
    public enum Kind {
        TRIGGER, UPDATE, RESOLVE
    }

    public Alert {
        details = List.copyOf(details);
    }

    /** An alert without details. */
    public Alert(String host, String strategy, String check, String status, Kind kind, String summary, Instant time) {
        this(host, strategy, check, status, kind, summary, List.of(), time);
    }

    /** Whether it closes its incident. */
    public boolean resolve() {
        return kind == Kind.RESOLVE;
    }

    /** quant-supervision/HOST/STRATEGY/CHECK: stable across runs, so one incident is one page. */
    public String dedupKey() {
        return "quant-supervision/" + host + "/" + strategy + "/" + check;
    }
}
