package org.quantsupervision.health;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The last lines of a file, read backwards from its end in blocks: the cost depends on how many
 * lines are wanted, not on the size of the file (a 1 GB strategy log costs what a small one does;
 * the article's {@code tail -n 1000} does the same).
 */
public final class FileTail {
    private static final int BLOCK = 64 * 1024;

    private FileTail() {
    }

    /** The last lines of a file as one text, and how many lines it holds. */
    record Tail(String text, int lines) {
    }

    /** As {@link #last}, split into lines. */
    public static List<String> lastLines(Path file, int count, long maxBytes) throws IOException {
        String text = last(file, count, maxBytes).text();
        if (text.isEmpty()) {
            return Collections.emptyList();
        }
        List<String> lines = new ArrayList<>(Math.min(count, 4096));
        text.lines().forEach(lines::add);
        return lines;
    }

    /**
     * Up to COUNT complete last lines of FILE (a final line without a newline counts), reading at
     * most MAX_BYTES, decoded as UTF-8 with malformed bytes replaced.
     */
    static Tail last(Path file, int count, long maxBytes) throws IOException {
        try (FileChannel channel = org.quantsupervision.runner.UntrustedFile.open(file)) {
            long end = channel.size();
            long limit = Math.max(0, end - maxBytes);
            // Blocks read so far, last block first; the text is assembled from them, not read twice.
            List<byte[]> blocks = new ArrayList<>();
            long position = end;
            long start = limit;
            int newlines = 0;
            boolean found = false;
            while (position > limit && !found) {
                int size = (int) Math.min(BLOCK, position - limit);
                position -= size;
                byte[] block = new byte[size];
                ByteBuffer buffer = ByteBuffer.wrap(block);
                while (buffer.hasRemaining() && channel.read(buffer, position + buffer.position()) > 0) {
                    // read fully
                }
                blocks.add(block);
                for (int i = size - 1; i >= 0; i--) {
                    // The newline that ends the file's last line does not start a line.
                    if (block[i] == '\n' && position + i != end - 1 && ++newlines == count) {
                        start = position + i + 1;
                        found = true;
                        break;
                    }
                }
            }
            byte[] bytes = new byte[(int) (end - start)];
            int at = bytes.length;
            long blockEnd = end;
            for (byte[] block : blocks) {
                long blockStart = blockEnd - block.length;
                int from = (int) Math.max(0, start - blockStart);
                int length = block.length - from;
                at -= length;
                System.arraycopy(block, from, bytes, at, length);
                blockEnd = blockStart;
            }
            // Not found: the whole file (or MAX_BYTES of it), whose newlines but the last one separate lines.
            int lines = found ? count : bytes.length == 0 ? 0 : newlines + 1;
            return new Tail(new String(bytes, StandardCharsets.UTF_8), lines);
        }
    }
}
