package org.quantsupervision.manager;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * What started a runner, so that the health checker can restart it through the same layer: the
 * runner records this in runner.json at start.
 *
 * @param kind "systemd", "supervisord" or "none" (started by hand)
 * @param unit the systemd unit (e.g. quant-strategy@NAME.service), or ""
 * @param supervisorUrl supervisord's control URL (unix:///var/run/supervisor.sock), or ""
 * @param supervisorProcess supervisord's GROUP:PROCESS name, or ""
 */
public record Manager(String kind, String unit, String supervisorUrl, String supervisorProcess) {
    public static final Manager NONE = new Manager("none", "", "", "");

    /**
     * Reads the manager from the variables it sets for its children: systemd's INVOCATION_ID (the
     * unit's name then comes from /proc/self/cgroup), supervisord's SUPERVISOR_SERVER_URL,
     * SUPERVISOR_GROUP_NAME and SUPERVISOR_PROCESS_NAME.
     */
    public static Manager detect(Map<String, String> env) {
        String url = env.getOrDefault("SUPERVISOR_SERVER_URL", "");
        String process = env.getOrDefault("SUPERVISOR_PROCESS_NAME", "");
        if (!url.isEmpty() && !process.isEmpty()) {
            return new Manager("supervisord", "", url, env.getOrDefault("SUPERVISOR_GROUP_NAME", process) + ":" + process);
        }
        if (env.containsKey("INVOCATION_ID")) {
            String unit = unitOf(Path.of("/proc/self/cgroup"));
            if (!unit.isEmpty()) {
                return new Manager("systemd", unit, "", "");
            }
        }
        return NONE;
    }

    /** The service unit in a /proc/PID/cgroup file ("0::/system.slice/.../quant-strategy@x.service"). */
    static String unitOf(Path cgroupFile) {
        try {
            for (String line : Files.readAllLines(cgroupFile)) {
                String path = line.substring(line.lastIndexOf(':') + 1);
                for (String segment : path.split("/")) {
                    if (segment.endsWith(".service")) {
                        return segment;
                    }
                }
            }
        } catch (IOException e) {
            return "";
        }
        return "";
    }
}
