package org.quantsupervision.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.ByteBuffer;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

import org.quantsupervision.schedule.Holidays;
import org.quantsupervision.schedule.ScheduleException;

/**
 * The file MARKET_HOLIDAYS may name (e.g. /etc/quant-supervision/holidays-cme), read as a
 * configuration file: whoever can change it decides when the freshness check looks, so the
 * strategy's account must not be able to. It holds no secret (unlike env.conf, {@link
 * SecureFile}), so anyone may read it; it must be a regular file, not a symlink, owned by root or
 * by the owner of the env.conf that names it (the 0.1.0 layout, where that is the strategy's
 * account, which can change its env.conf anyway), and writable by its owner only. Read whole,
 * up to {@link #MAX_BYTES}, as UTF-8; {@link Holidays#ofLines} says what a line holds.
 */
final class HolidaysFile {
    /** Decades of holidays fit in a few KiB. */
    static final int MAX_BYTES = 1 << 20;
    private static final Set<PosixFilePermission> OTHERS_WRITE = EnumSet.of(PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.OTHERS_WRITE);

    private HolidaysFile() {
    }

    /** FILE's holidays; ENV_CONF is the file that names it (its owner may own FILE, and errors name it). */
    static Holidays read(Path file, Path envConf) throws ConfigException {
        String named = " (MARKET_HOLIDAYS in " + envConf + ")";
        PosixFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            throw new ConfigException(file, 0, "does not exist; expected a file of holidays" + named);
        } catch (IOException e) {
            throw new ConfigException(file, 0, "cannot be read (" + e.getMessage() + ")" + named);
        }
        if (!attributes.isRegularFile()) {
            throw new ConfigException(file, 0, "is not a regular file (a symlink or directory); expected a file of holidays"
                    + named);
        }
        String owner = attributes.owner().getName();
        Optional<String> configOwner = ownerOf(envConf);
        if (!owner.equals("root") && !configOwner.map(owner::equals).orElse(false)) {
            throw new ConfigException(file, 0, "is owned by " + owner + "; expected root's (or " + configOwner.orElse("root")
                    + "'s, who owns " + envConf + "): whoever can change it decides when the freshness check looks");
        }
        Set<PosixFilePermission> loose = EnumSet.copyOf(attributes.permissions());
        loose.retainAll(OTHERS_WRITE);
        if (!loose.isEmpty()) {
            throw new ConfigException(file, 0, "is writable by group or others (mode " + SecureFile.octal(attributes.permissions())
                    + "); expected 0644 or stricter: chmod go-w " + file);
        }
        String text;
        try (InputStream in = Files.newInputStream(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            byte[] bytes = in.readNBytes(MAX_BYTES + 1);
            if (bytes.length > MAX_BYTES) {
                throw new ConfigException(file, 0, "is larger than " + (MAX_BYTES >> 10) + " KiB; expected a list of holidays"
                        + named);
            }
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new ConfigException(file, 0, "is not UTF-8 text; expected a list of holidays" + named);
        } catch (IOException e) {
            throw new ConfigException(file, 0, "cannot be read (" + e.getMessage() + ")" + named);
        }
        try {
            return Holidays.ofLines(text.lines().toList());
        } catch (ScheduleException e) {
            throw new ConfigException(file, e.line(), e.getMessage());
        }
    }

    private static Optional<String> ownerOf(Path envConf) {
        try {
            return Optional.of(Files.getOwner(envConf, LinkOption.NOFOLLOW_LINKS).getName());
        } catch (IOException | UnsupportedOperationException e) {
            return Optional.empty(); // only root's file then
        }
    }
}
