package org.quantsupervision.runner;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

/**
 * The package's bin/ as tests run it: the real launcher and the monitor maven/app built, with
 * this test run's JVM as bin/java, so that `bin/quant-supervision run NAME` is the monitor and
 * its `prepare` the code under test. The launcher runs the app from the image; here the app's
 * module path comes in through its QUANT_SUPERVISION_JAVA_OPTS ({@link #environment}).
 *
 * <p>Made once per test run, in a temporary directory removed at its end: every copy of an
 * executable is a chance of ETXTBSY at its exec (a fork of another thread inherits the copy's
 * descriptor while it is open for writing).
 */
public final class Installation {
    private static Path launcher;

    private Installation() {
    }

    /** bin/quant-supervision of the installation. */
    public static synchronized Path launcher() {
        if (launcher == null) {
            try {
                Path home = Files.createTempDirectory("quant-supervision-test-");
                Path bin = Files.createDirectory(home.resolve("bin"));
                for (Path p : new Path[] {home, bin}) {
                    p.toFile().deleteOnExit(); // after the files below: in the reverse order
                }
                Files.createSymbolicLink(bin.resolve("java"), Path.of(System.getProperty("java.home"), "bin", "java"))
                        .toFile().deleteOnExit();
                install(built("quant-supervision.monitor"), bin.resolve("quant-monitor"));
                install(built("quant-supervision.launcher"), bin.resolve("quant-supervision"));
                launcher = bin.resolve("quant-supervision");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return launcher;
    }

    /** What the launcher needs in its environment here: a PATH, and the app's module path. */
    public static Map<String, String> environment() {
        return Map.of("PATH", "/usr/bin:/bin",
                "QUANT_SUPERVISION_JAVA_OPTS", "-p " + System.getProperty("jdk.module.path"));
    }

    /** The file that maven/app/pom.xml names in the system property KEY (surefire's systemPropertyVariables). */
    private static Path built(String key) {
        String file = System.getProperty(key);
        if (file == null) {
            throw new IllegalStateException(key + " is not set: run the tests through Maven (maven/app/pom.xml)");
        }
        return Path.of(file);
    }

    private static void install(Path from, Path to) throws IOException {
        Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
        to.toFile().deleteOnExit();
        Files.setPosixFilePermissions(to, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
