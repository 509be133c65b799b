package org.quantsupervision.status;

import java.util.List;

/** The whole dashboard: whether systemd runs this host, the health timer, and every strategy. */
public record HostStatus(boolean systemd, String healthTimer, List<StrategyStatus> strategies) {
}
