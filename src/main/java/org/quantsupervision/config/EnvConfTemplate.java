package org.quantsupervision.config;

/**
 * The env.conf a new strategy starts from ({@code enable}): every key of {@link Setting},
 * commented out, with its default and its line of documentation, so that the file an admin edits
 * says what each key does and what it is until set. Written from the registry, it cannot fall
 * behind it.
 */
public final class EnvConfTemplate {
    /** Replaced by the strategy's name. */
    public static final String NAME = "@NAME@";
    /** Replaced by the group that may read the file (quant-group, or the strategy account's own). */
    public static final String GROUP = "@GROUP@";

    private EnvConfTemplate() {
    }

    /** The template, with {@link #NAME} and {@link #GROUP} to fill in. */
    public static String text() {
        StringBuilder out = new StringBuilder();
        out.append("# Settings of strategy ").append(NAME).append(" (systemd EnvironmentFile syntax). Secrets live here: "
                + "keep it 0640 root:").append(GROUP).append(".\n");
        out.append("""
                # Every variable is passed to the strategy, but the alert channels' secrets. Every key of the runner
                # and the health checker is below, commented out, with its default; `man quant-supervision`
                # explains each.

                # The strategy's own settings, e.g.:
                #TICKDB_API_KEY=
                """);
        section(out, Setting.Layer.RUNNER, "# The runner.");
        section(out, Setting.Layer.HEALTH, "# Health checks (every 30 s).");
        section(out, Setting.Layer.ALERTS, """
                # Alerts. Their secrets belong in /etc/quant-supervision/alerts.conf (0640 root:quant-health), which
                # no strategy can read; set them here only to send this strategy's alerts elsewhere, knowing that
                # the strategy can read this file.""");
        return out.toString();
    }

    private static void section(StringBuilder out, Setting.Layer layer, String heading) {
        out.append('\n').append(heading.strip()).append('\n');
        for (Setting s : Setting.of(layer)) {
            // "##": what a line says; "#KEY=": what to uncomment (a doc may hold '=', as in READY=1).
            out.append("## ").append(s.key()).append(": ").append(s.doc()).append('\n');
            out.append('#').append(s.example().orElse(s.key() + "=" + s.defaultFor(NAME))).append('\n');
        }
    }
}
