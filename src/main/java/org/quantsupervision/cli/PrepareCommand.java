package org.quantsupervision.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.util.concurrent.Callable;

import org.quantsupervision.config.ConfigException;
import org.quantsupervision.runner.AlreadyRunningException;
import org.quantsupervision.runner.MonitorStart;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code prepare NAME}: the monitor's first step of {@code run NAME} (src/main/c/monitor runs it
 * and reads its standard output): NAME's env.conf checked, what an earlier runner left ended,
 * and the plan written, NUL-separated, to standard output. Not for people: hidden from help.
 */
@Command(name = "prepare", hidden = true, mixinStandardHelpOptions = true,
        description = "Prepare the run of strategy NAME for its monitor (internal).")
final class PrepareCommand implements Callable<Integer> {

    @Parameters(paramLabel = "NAME", description = "The strategy, configured in /etc/strategies/NAME/env.conf.")
    String name;

    @Mixin
    PathOptions paths;

    @Override
    public Integer call() throws Exception {
        StrategyRun run = StrategyRun.load(name, paths);
        try (OutputStream plan = new FileOutputStream(FileDescriptor.out)) {
            MonitorStart.prepare(run.config(), run.paths(), run.haltFile(), System.getenv(), System.err, plan);
        } catch (AlreadyRunningException e) {
            throw new ExitException(ExitCodes.ALREADY_RUNNING, "run: " + e.getMessage());
        } catch (ConfigException e) {
            throw new ExitException(ExitCodes.CONFIG, e.getMessage());
        }
        return ExitCodes.OK;
    }
}
