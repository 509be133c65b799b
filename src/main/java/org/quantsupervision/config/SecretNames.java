package org.quantsupervision.config;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Which of a strategy's variables hold secrets: those whose names say so by convention (API_KEY,
 * SECRET, TOKEN, PASSWORD...) with values long enough to be searched for without matching
 * everything. The secret scan looks for these values in code; the runner masks a line of output
 * that holds one before it keeps the line in a crash event.
 */
public final class SecretNames {
    private static final Pattern SECRET_NAME = Pattern.compile("(?i).*(KEY|SECRET|TOKEN|PASSWORD|PASSWD|WEBHOOK|CREDENTIAL).*");
    /** Shorter values are not searched for: "true", "1234" would match innocent text everywhere. */
    private static final int MIN_LENGTH = 8;

    private SecretNames() {
    }

    /** The entries of VARIABLES that are secrets, in their order. */
    public static Map<String, String> secretsIn(Map<String, String> variables) {
        Map<String, String> secrets = new LinkedHashMap<>();
        variables.forEach((k, v) -> {
            if (SECRET_NAME.matcher(k).matches() && v.length() >= MIN_LENGTH) {
                secrets.put(k, v);
            }
        });
        return secrets;
    }
}
