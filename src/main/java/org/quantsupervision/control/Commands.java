package org.quantsupervision.control;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs an administration command (systemctl, supervisorctl) with a deadline and keeps its output. */
public final class Commands {
    private Commands() {
    }

    /** The exit status and the combined output of one command. */
    public record Result(int status, String output) {
        public boolean ok() {
            return status == 0;
        }

        /** The first line of the output, for a one-line error. */
        public String firstLine() {
            return output.lines().findFirst().orElse("(no output)");
        }
    }

    public static Result run(List<String> command, long timeoutSeconds) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        try (InputStream in = p.getInputStream()) {
            byte[] out = in.readNBytes(1 << 20);
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", command) + " did not finish within " + timeoutSeconds + " s");
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IOException("interrupted: " + String.join(" ", command));
        }
    }
}
