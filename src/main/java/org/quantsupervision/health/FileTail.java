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
final class FileTail {
    private static final int BLOCK = 64 * 1024;

    private FileTail() {
    }

    /**
     * Up to COUNT complete last lines of FILE (a final line without a newline counts), reading at
     * most MAX_BYTES; lines are decoded as UTF-8 with malformed bytes replaced.
     */
    static List<String> lastLines(Path file, int count, long maxBytes) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long end = channel.size();
            long limit = Math.max(0, end - maxBytes);
            long position = end;
            int newlines = 0;
            boolean first = true;
            // Find the start offset: just after the (COUNT+1)-th newline from the end, ignoring
            // the file's final newline.
            long start = limit;
            ByteBuffer buffer = ByteBuffer.allocate(BLOCK);
            search:
            while (position > limit) {
                int size = (int) Math.min(BLOCK, position - limit);
                position -= size;
                buffer.clear().limit(size);
                channel.read(buffer, position);
                for (int i = size - 1; i >= 0; i--) {
                    if (buffer.get(i) == '\n') {
                        if (first && position + i == end - 1) {
                            first = false;
                            continue; // the newline that ends the last line
                        }
                        first = false;
                        if (++newlines == count) {
                            start = position + i + 1;
                            break search;
                        }
                    } else {
                        first = false;
                    }
                }
            }
            int length = (int) (end - start);
            ByteBuffer tail = ByteBuffer.allocate(length);
            while (tail.hasRemaining() && channel.read(tail, start + tail.position()) > 0) {
                // read fully
            }
            String text = new String(tail.array(), 0, tail.position(), StandardCharsets.UTF_8);
            if (text.isEmpty()) {
                return Collections.emptyList();
            }
            List<String> lines = new ArrayList<>(Math.min(count, 4096));
            text.lines().forEach(lines::add);
            return lines.size() > count ? lines.subList(lines.size() - count, lines.size()) : lines;
        }
    }
}
