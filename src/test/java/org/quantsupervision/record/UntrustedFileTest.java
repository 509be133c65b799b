package org.quantsupervision.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading what a strategy's account writes, with that account racing the reader. */
class UntrustedFileTest {
    @TempDir
    Path dir;

    /**
     * A racer swaps a FIFO and a regular file at the name, as fast as it can, while the reader
     * reads it: each read gets the regular file's bytes or a refusal, and none blocks on the FIFO
     * (the JDK's own open would, until someone writes to it: the health round or the status
     * page's threads, hung by one strategy).
     */
    @Test
    void aFifoSwappedInBetweenTheCheckAndTheOpenIsRefusedWithoutBlocking() throws Exception {
        Path target = dir.resolve("runner.json");
        Path regular = Files.writeString(dir.resolve("regular"), "{\"state\":\"RUNNING\"}", StandardCharsets.UTF_8);
        Path fifo = dir.resolve("fifo");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        Files.copy(regular, target);
        AtomicBoolean racing = new AtomicBoolean(true);
        AtomicInteger swaps = new AtomicInteger();
        Thread racer = Thread.ofPlatform().daemon().start(() -> {
            try {
                while (racing.get()) {
                    for (Path source : new Path[] {fifo, regular}) {
                        Path link = dir.resolve("link");
                        Files.createLink(link, source);
                        Files.move(link, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                    }
                    swaps.incrementAndGet();
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        AtomicInteger read = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        Thread reader = Thread.ofPlatform().daemon().start(() -> {
            for (int i = 0; i < 20_000; i++) {
                try {
                    assertEquals("{\"state\":\"RUNNING\"}", new String(UntrustedFile.read(target, 1024),
                            StandardCharsets.UTF_8));
                    read.incrementAndGet();
                } catch (IOException e) {
                    refused.incrementAndGet();
                }
            }
        });
        reader.join(TimeUnit.SECONDS.toMillis(60));
        racing.set(false);
        racer.join(10_000);
        assertTrue(!reader.isAlive(), "a read blocked on the FIFO (" + read + " read, " + refused + " refused, "
                + swaps + " swaps)");
        assertTrue(read.get() > 0 && refused.get() > 0, read + " read, " + refused + " refused: both sides were hit");
    }

    @Test
    void aSymlinkIsRefused() throws Exception {
        Path secret = Files.writeString(dir.resolve("alerts.conf"), "SLACK_WEBHOOK_URL=https://x/secret");
        Path link = Files.createSymbolicLink(dir.resolve("events.jsonl"), secret);
        assertThrows(IOException.class, () -> UntrustedFile.read(link, 1024));
    }
}
