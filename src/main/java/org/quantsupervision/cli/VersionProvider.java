package org.quantsupervision.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

import picocli.CommandLine.IVersionProvider;

/** Version from the build (version.properties, filtered by Maven) and the runtime it runs on. */
final class VersionProvider implements IVersionProvider {

    @Override
    public String[] getVersion() {
        Properties build = load();
        return new String[] {
            "quant-supervision " + build.getProperty("version") + " (package " + build.getProperty("package") + ")",
            "Java runtime " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")",
        };
    }

    static String version() {
        return load().getProperty("version");
    }

    private static Properties load() {
        Properties properties = new Properties();
        try (InputStream in = VersionProvider.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                throw new IllegalStateException("version.properties missing from the build");
            }
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }
}
