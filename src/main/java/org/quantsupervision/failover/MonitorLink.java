package org.quantsupervision.failover;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * The campaigner's side of its link to the monitor (src/main/c/monitor/failover.h has the
 * protocol): one line per fact to the monitor's pipe (our standard output), the monitor's words
 * read on a thread of their own from our standard input and handed to the campaign; the end of
 * input (the monitor is gone, or done with us) is handed over as {@link #END}.
 */
public final class MonitorLink {
    /** What the campaign receives when the monitor's input ends. */
    public static final String END = "";

    private final OutputStream out;

    public MonitorLink(InputStream in, OutputStream out, Consumer<String> words) {
        this.out = out;
        Thread reader = Thread.ofPlatform().daemon().name("monitor-link").unstarted(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    words.accept(line.trim());
                }
            } catch (IOException e) {
                // the same as its end
            }
            words.accept(END);
        });
        reader.start();
    }

    /** This host leads (as HOST) in EPOCH; its strategy must be dead by DEAD_BY (System.nanoTime()). */
    public void leader(long epoch, long deadByNanos, String host) {
        send("leader " + epoch + " " + deadByNanos + " " + host);
    }

    /** HOST leads in EPOCH ("-" and 0 when nobody is known to). */
    public void standby(long epoch, String host) {
        send("standby " + epoch + " " + host);
    }

    /** Asks whether the monitor runs: a leader renews only once it answered "pong". */
    public void ping() {
        send("ping");
    }

    /** N other hosts campaign for the strategy (each with a live member key). */
    public void members(int n) {
        send("members " + n);
    }

    /** A planned switchover to HOST ("*" for any other). */
    public void handover(String host) {
        send("handover " + host);
    }

    /** TEXT for the runner's status line: no secret ever goes here. */
    public void note(String text) {
        send("note " + text.replaceAll("[\\p{Cntrl}]", " "));
    }

    private synchronized void send(String line) {
        try {
            out.write((line + "\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("the monitor's pipe is closed", e);
        }
    }
}
