package org.quantsupervision.health;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What the last health runs concluded about one strategy, read from its health.json without
 * taking the lock (a reader sees the old file or the new one: it is replaced by a rename).
 *
 * @param checks per check: its last status, failures in a row, and whether an incident is open
 * @param writtenMillis when health.json was last written (it is not rewritten while nothing changes)
 */
public record HealthSummary(Map<String, Check> checks, long writtenMillis) {

    public record Check(Status status, int consecutive, boolean incident) {
    }

    public static Optional<HealthSummary> read(Path stateDir) {
        Path file = stateDir.resolve("health.json");
        try {
            byte[] bytes = Files.readAllBytes(file);
            long written = Files.getLastModifiedTime(file).toMillis();
            HealthState state = HealthStateFile.parse(bytes);
            Map<String, Check> checks = new LinkedHashMap<>();
            state.checks.forEach((name, c) -> checks.put(name, new Check(c.status, c.consecutive, c.incident != null
                    && !c.incident.resolving)));
            return Optional.of(new HealthSummary(checks, written));
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // none yet, or unreadable: the next health run rebuilds it
        }
    }

    /** The worst status of all checks (OK when there are none). */
    public Status status() {
        return checks.values().stream().map(Check::status).reduce(Status.OK, Status::worse);
    }
}
