package org.quantsupervision.runner;

/** Another runner supervises this strategy: starting a second would mean two copies trading. */
public final class AlreadyRunningException extends Exception {
    private static final long serialVersionUID = 1L;

    AlreadyRunningException(String message) {
        super(message);
    }
}
