package org.quantsupervision.health;

import java.util.List;

/** For people: a header line per strategy, one line per check, then what was done. */
public final class HumanReport {
    private HumanReport() {
    }

    public static String format(List<StrategyReport> reports) {
        StringBuilder out = new StringBuilder();
        for (StrategyReport r : reports) {
            out.append(r.strategy()).append(": ").append(r.status()).append('\n');
            int width = r.results().stream().mapToInt(c -> c.name().length()).max().orElse(8);
            // MAINTENANCE is wider than the four statuses: the column widens only when it is shown.
            int statusWidth = Math.max(8, r.results().stream().mapToInt(c -> c.shown().length()).max().orElse(8));
            for (CheckResult c : r.results()) {
                out.append("  ").append(pad(c.name(), width)).append("  ").append(pad(c.shown(), statusWidth))
                        .append("  ").append(c.afterShown());
                int n = r.consecutive().getOrDefault(c.name(), 0);
                if (n > 0) {
                    out.append("  [").append(n).append(" in a row]");
                }
                out.append('\n');
            }
            for (String note : r.notes()) {
                out.append("  note: ").append(note).append('\n');
            }
            for (String action : r.actions()) {
                out.append("  action: ").append(action).append('\n');
            }
        }
        return out.toString();
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }
}
