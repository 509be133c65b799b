package org.quantsupervision.doctor;

/**
 * One checklist item's result for one subject (the host, or a strategy): what was found and,
 * unless it passed, the fix as a command or setting to change.
 */
public record Finding(String subject, String item, Grade grade, String message, String fix) {

    /** PASS, WARN (works, but below the production bar) or FAIL (fix before trading). */
    public enum Grade {
        PASS, WARN, FAIL;

        public Grade worse(Grade other) {
            return other.compareTo(this) > 0 ? other : this;
        }
    }

    static Finding pass(String subject, String item, String message) {
        return new Finding(subject, item, Grade.PASS, message, "");
    }

    static Finding warn(String subject, String item, String message, String fix) {
        return new Finding(subject, item, Grade.WARN, message, fix);
    }

    static Finding fail(String subject, String item, String message, String fix) {
        return new Finding(subject, item, Grade.FAIL, message, fix);
    }
}
