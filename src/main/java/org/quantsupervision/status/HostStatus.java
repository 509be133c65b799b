package org.quantsupervision.status;

import java.util.List;

/**
 * The whole dashboard: whether systemd runs this host, the health checker's service (or what
 * runs the checks without systemd), and every strategy.
 */
public record HostStatus(boolean systemd, String healthService, List<StrategyStatus> strategies) {
}
