package org.quantsupervision.health;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileTailTest {
    @TempDir
    Path dir;

    @Test
    void lastLinesWithAndWithoutAFinalNewline() throws IOException {
        Path f = dir.resolve("log");
        Files.writeString(f, "a\nb\nc\n");
        assertEquals(List.of("b", "c"), FileTail.lastLines(f, 2, 1 << 20));
        assertEquals(List.of("a", "b", "c"), FileTail.lastLines(f, 10, 1 << 20));
        assertEquals(3, FileTail.last(f, 10, 1 << 20, 100, line -> { }).lines());
        Files.writeString(f, "a\nb\nc");
        assertEquals(List.of("b", "c"), FileTail.lastLines(f, 2, 1 << 20));
        assertEquals(3, FileTail.last(f, 10, 1 << 20, 100, line -> { }).lines());
        Files.writeString(f, "a\r\nb\r\n");
        assertEquals(List.of("a", "b"), FileTail.lastLines(f, 2, 1 << 20), "CRLF endings, as String.lines()");
        Files.writeString(f, "");
        assertEquals(List.of(), FileTail.lastLines(f, 2, 1 << 20));
    }

    @Test
    void linesAcrossBlockBoundaries() throws IOException {
        Path f = dir.resolve("log");
        String lines = IntStream.range(0, 50_000).mapToObj(i -> "line " + i).collect(Collectors.joining("\n", "", "\n"));
        Files.writeString(f, lines);
        List<String> tail = FileTail.lastLines(f, 1000, 16 << 20);
        assertEquals(1000, tail.size());
        assertEquals("line 49000", tail.get(0));
        assertEquals("line 49999", tail.get(999));
    }

    @Test
    void theEndOfAOneGigabyteLogIsReadWithoutReadingTheRest() throws IOException {
        Path f = dir.resolve("big.log");
        try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
            raf.setLength(1L << 30); // sparse: a gigabyte of NULs before the last lines
        }
        StringBuilder end = new StringBuilder("\n");
        for (int i = 0; i < 1000; i++) {
            end.append(i % 250 == 0 ? "2026-11-29 ERROR order rejected " : "2026-11-29 INFO tick ").append(i).append('\n');
        }
        Files.writeString(f, end, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        var matches = ErrorRateCheck.matcher(Pattern.compile("ERROR|CRITICAL", Pattern.MULTILINE));
        int[] errors = {0};
        FileTail.Tail tail = FileTail.last(f, 1000, 16 << 20, 4096, line -> errors[0] += matches.test(line) ? 1 : 0);
        assertEquals(1000, tail.lines());
        assertEquals(4, errors[0]);
    }

    @Test
    void aLineLongerThanTheBoundIsCutAndTheRestSkipped() throws IOException {
        Path f = dir.resolve("log");
        String huge = "ERROR " + "x".repeat(1 << 20);
        Files.writeString(f, "first\n" + huge + "\nlast\n");
        List<String> lines = new java.util.ArrayList<>();
        FileTail.Tail tail = FileTail.last(f, 10, 16 << 20, 4096, lines::add);
        assertEquals(new FileTail.Tail(3, 1), tail);
        assertEquals(List.of("first", huge.substring(0, 4096), "last"), lines);
        // The bound is on bytes: a multi-byte character cut in two decodes to a replacement character.
        Files.writeString(f, "\u00e9\u00e9\n", StandardCharsets.UTF_8);
        lines.clear();
        FileTail.last(f, 10, 1 << 20, 3, lines::add);
        assertEquals(List.of("\u00e9\ufffd"), lines);
    }

    @Test
    void aLogWithoutErrorsCountsZero() {
        // The article's `grep -c ... || echo 0` printed "0" twice for this log, breaking its comparison.
        assertEquals(0, ErrorRateCheck.count("INFO start\nINFO tick\n", Pattern.compile("ERROR|CRITICAL", Pattern.MULTILINE)));
    }

    @Test
    void aLineWithSeveralMatchesCountsOnceAndAnchorsArePerLine() {
        Pattern p = Pattern.compile("^(ERROR|CRITICAL)", Pattern.MULTILINE);
        assertEquals(2, ErrorRateCheck.count("ERROR a ERROR b\nINFO ERROR\nCRITICAL c", p));
        assertEquals(3, ErrorRateCheck.count("ERROR ERROR\nx ERROR\nERROR", Pattern.compile("ERROR", Pattern.MULTILINE)));
    }

    @Test
    void plainWordsAndTheRegexEngineCountTheSame() {
        String text = "INFO a\nERROR b CRITICAL c\nCRITICAL\n\nERROR\nxERRORx CRITICAL\nWARN\nERROR";
        Pattern words = Pattern.compile("ERROR|CRITICAL", Pattern.MULTILINE);
        Pattern regex = Pattern.compile("(?:ERROR|CRITICAL)", Pattern.MULTILINE); // not plain words: the engine
        assertEquals(5, ErrorRateCheck.count(text, words));
        assertEquals(5, ErrorRateCheck.count(text, regex));
        assertEquals(ErrorRateCheck.count(text, Pattern.compile("WARN")), ErrorRateCheck.count(text, Pattern.compile("WAR[N]")));
    }
}
