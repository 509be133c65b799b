package org.quantsupervision.health;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.quantsupervision.record.UntrustedFile;

/**
 * The last lines of a file, found by reading backwards from its end in blocks: the cost depends
 * on how many lines are wanted, not on the size of the file (a 1 GB strategy log costs what a
 * small one does; the article's {@code tail -n 1000} does the same). The lines are then read
 * forwards and handed out one at a time, each cut to a bound: the memory used is one block and
 * one line, whatever the lines' length (a strategy that logs a 1 MB line must not exhaust the
 * checker's 32 MB heap, which every strategy's check shares).
 */
public final class FileTail {
    private static final int BLOCK = 64 * 1024;

    private FileTail() {
    }

    /**
     * What {@link #last} handed out.
     *
     * @param lines how many lines
     * @param cut how many of them were longer than the bound and cut to it
     */
    record Tail(int lines, int cut) {
    }

    /** As {@link #last}, collected (lines cut at MAX_BYTES: the list holds at most what was read). */
    public static List<String> lastLines(Path file, int count, long maxBytes) throws IOException {
        List<String> lines = new ArrayList<>(Math.min(count, 4096));
        last(file, count, maxBytes, (int) Math.min(Integer.MAX_VALUE, maxBytes), lines::add);
        return lines;
    }

    /**
     * As {@link #last}, for a reader that keeps little of each line: memory is one block and one
     * line of at most MAX_LINE bytes, whatever the file holds.
     */
    public static void forEachLast(Path file, int count, long maxBytes, int maxLine, Consumer<String> lines)
            throws IOException {
        last(file, count, maxBytes, maxLine, lines);
    }

    /**
     * Hands LINES, in order, up to COUNT complete last lines of FILE (a final line without a
     * newline counts), looking at most MAX_BYTES back from its end; each line is decoded as UTF-8
     * with malformed bytes replaced, without its newline, and cut to its first MAX_LINE bytes
     * (the rest is skipped, not read into memory).
     */
    static Tail last(Path file, int count, long maxBytes, int maxLine, Consumer<String> lines) throws IOException {
        try (FileChannel channel = UntrustedFile.open(file)) {
            long end = channel.size();
            long start = start(channel, end, count, maxBytes);
            ByteBuffer block = ByteBuffer.allocate((int) Math.min(BLOCK, Math.max(1, end - start)));
            byte[] line = new byte[(int) Math.min(maxLine, Math.min(BLOCK, Math.max(1, end - start)))];
            int length = 0; // bytes of the current line, counted beyond what LINE keeps
            int handed = 0;
            int cut = 0;
            long position = start;
            // Up to END as it was measured: lines the strategy appends meanwhile are the next run's.
            while (position < end) {
                block.clear().limit((int) Math.min(block.capacity(), end - position));
                int n = channel.read(block, position);
                if (n <= 0) {
                    break; // truncated meanwhile (a rotation): what was read is the tail
                }
                position += n;
                byte[] bytes = block.array();
                for (int i = 0; i < n; i++) {
                    if (bytes[i] == '\n') {
                        lines.accept(text(line, length));
                        handed++;
                        cut += length > maxLine ? 1 : 0;
                        length = 0;
                        continue;
                    }
                    if (length < maxLine) {
                        if (length == line.length) {
                            line = java.util.Arrays.copyOf(line, (int) Math.min(maxLine, 2L * line.length));
                        }
                        line[length] = bytes[i];
                    }
                    length = length == Integer.MAX_VALUE ? length : length + 1;
                }
            }
            if (length > 0) {
                lines.accept(text(line, length));
                handed++;
                cut += length > maxLine ? 1 : 0;
            }
            return new Tail(handed, cut);
        }
    }

    /** The kept bytes of a line of LENGTH, without the CR of a CRLF ending (as String.lines() drops it). */
    private static String text(byte[] line, int length) {
        int kept = Math.min(length, line.length);
        if (kept == length && kept > 0 && line[kept - 1] == '\r') {
            kept--;
        }
        return new String(line, 0, kept, StandardCharsets.UTF_8);
    }

    /**
     * Where the last COUNT lines of the first END bytes start, looking back at most MAX_BYTES:
     * just after the newline that precedes them, or END - MAX_BYTES (at least 0) if there are fewer.
     * The newline that ends the file's last line does not start a line.
     */
    private static long start(FileChannel channel, long end, int count, long maxBytes) throws IOException {
        long limit = Math.max(0, end - maxBytes);
        ByteBuffer block = ByteBuffer.allocate((int) Math.min(BLOCK, Math.max(1, end - limit)));
        long position = end;
        int newlines = 0;
        while (position > limit) {
            int size = (int) Math.min(block.capacity(), position - limit);
            position -= size;
            block.clear().limit(size);
            while (block.hasRemaining() && channel.read(block, position + block.position()) > 0) {
                // read fully
            }
            byte[] bytes = block.array();
            for (int i = block.position() - 1; i >= 0; i--) {
                if (bytes[i] == '\n' && position + i != end - 1 && ++newlines == count) {
                    return position + i + 1;
                }
            }
        }
        return limit;
    }
}
