package org.quantsupervision.alert;

import java.time.Instant;

/**
 * One alert about one check of one strategy: opening an incident ({@code resolve == false}) or
 * closing it. The dedup key is the same for both, so that PagerDuty (and any receiver that
 * cares) ties the resolve to its trigger.
 *
 * @param status OK, WARNING, CRITICAL or UNKNOWN (the check's status when the alert was raised)
 * @param summary one line, with no secret in it (checks never put one there)
 */
public record Alert(String host, String strategy, String check, String status, boolean resolve, String summary,
        Instant time) {

    /** quant-supervision/HOST/STRATEGY/CHECK: stable across runs, so one incident is one page. */
    public String dedupKey() {
        return "quant-supervision/" + host + "/" + strategy + "/" + check;
    }
}
