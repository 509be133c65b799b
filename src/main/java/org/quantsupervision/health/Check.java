package org.quantsupervision.health;

/** One check of one strategy. Checks report what they find; deciding what to do is {@link Escalation}'s job. */
interface Check {
    CheckResult run(CheckContext context);
}
