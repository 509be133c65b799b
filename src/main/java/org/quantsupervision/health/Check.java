package org.quantsupervision.health;

/** One check of one strategy. Checks report what they find; deciding what to do is {@link Escalation}'s job. */
interface Check {
    /** The check's name in output, state and HEALTH_RESTART_ON. */
    String name();

    CheckResult run(CheckContext context);
}
