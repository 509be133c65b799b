package org.quantsupervision.record;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * The health checker's request to a runner to replace its strategy: a file in the runner's
 * runtime directory, written atomically by the checker ({@link #make}) and taken (read and
 * deleted) by the runner as soon as inotify shows it there ({@link #take} here, for a request left
 * before the runner started; src/main/c/monitor for a live one). A file rather than a signal or the
 * manager's API: it needs no right over the runner's process or supervisord's socket, only the
 * runtime directory, and a request made while no runner runs is dropped by the next one.
 */
public final class RestartRequest {
    /** A reason longer than this is cut: it is only shown in the runner's log. */
    private static final int MAX_REASON = 200;

    private RestartRequest() {
    }

    /** Asks the runner that owns FILE's directory to replace its strategy, for REASON. */
    public static void make(Path file, String reason) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        Files.writeString(tmp, reason + "\n", StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        // The checker (quant-health) writes, the strategy's account reads: group-readable whatever
        // the checker's umask. Without following a link: the strategy may swap one in meanwhile.
        Files.getFileAttributeView(tmp, java.nio.file.attribute.PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                .setPermissions(java.nio.file.attribute.PosixFilePermissions.fromString("rw-r-----"));
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** The pending request's reason, deleting it; empty if there is none. Never throws: a bad file is dropped. */
    public static Optional<String> take(Path file) {
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty(); // the common case: one stat per tick
        }
        String reason;
        try {
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                reason = "request was not a regular file";
            } else {
                try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
                    reason = printable(new String(in.readNBytes(MAX_REASON), StandardCharsets.UTF_8));
                } catch (java.nio.file.AccessDeniedException e) {
                    reason = "its reason could not be read"; // still a request: whoever could write it may ask
                }
            }
            Files.delete(file);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            return Optional.empty(); // cannot delete it: acting on it would restart every tick
        }
        return Optional.of(reason.isEmpty() ? "no reason given" : reason);
    }

    private static String printable(String text) {
        return text.strip().replaceAll("\\p{Cntrl}", " ");
    }
}
