package org.quantsupervision.schedule;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Exchange holidays: dates on which the market is closed all day, or closes early.
 *
 * <p>A holiday is a calendar date in the market's zone, not a session: it closes every instant
 * whose local date is that date, from 00:00 (an early close: from its time) to 24:00, whichever
 * session those instants belong to. CME's Thanksgiving, 2026-11-26, closes Thursday; the
 * overnight session that opened Wednesday 18:00 trades until Thursday 00:00, and Friday's trades
 * again from Friday 00:00. An early close {@code 2026-11-27 12:15} ends that date's trading at
 * 12:15 local. The time is made an instant by the rules of {@link WeeklySpan} (a time in the
 * repeated hour: its first occurrence).
 *
 * @param closes per date, when trading ends that day: 00:00 for a day closed all day
 */
public record Holidays(Map<LocalDate, LocalTime> closes) {
    public static final Holidays NONE = new Holidays(Map.of());
    private static final String EXPECTED_LINE = "expected YYYY-MM-DD (closed all day) or YYYY-MM-DD HH:MM "
            + "(an early close at that local time)";

    public Holidays {
        closes = Map.copyOf(closes);
    }

    /** Whether INSTANT is on a holiday, at or after that day's close, in ZONE. */
    public boolean closed(Instant instant, ZoneId zone) {
        LocalDate date = LocalDate.ofInstant(instant, zone);
        LocalTime close = closes.get(date);
        return close != null && !instant.isBefore(date.atTime(close).atZone(zone).toInstant());
    }

    /** Dates closed all day, as a setting lists them: YYYY-MM-DD, separated by blanks or commas. */
    public static Holidays ofDates(String text) throws ScheduleException {
        Map<LocalDate, LocalTime> closes = new TreeMap<>();
        for (String word : text.split("[,\\s]+")) {
            if (!word.isEmpty()) {
                closes.put(date(word, "expected YYYY-MM-DD, separated by blanks or commas (early closes: in a file)"),
                        LocalTime.MIDNIGHT);
            }
        }
        return new Holidays(closes);
    }

    /**
     * A holidays file's LINES: one holiday a line, {@code YYYY-MM-DD} or {@code YYYY-MM-DD HH:MM};
     * blank lines, and from '#' to the end of a line, are comments. A date listed twice is an error
     * (which line meant it?). An error carries its line.
     */
    public static Holidays ofLines(List<String> lines) throws ScheduleException {
        Map<LocalDate, LocalTime> closes = new TreeMap<>();
        Map<LocalDate, Integer> lineOf = new TreeMap<>();
        for (int i = 0; i < lines.size(); i++) {
            int n = i + 1;
            String line = lines.get(i);
            int hash = line.indexOf('#');
            String[] words = (hash < 0 ? line : line.substring(0, hash)).trim().split("\\s+");
            if (words[0].isEmpty()) {
                continue;
            }
            if (words.length > 2) {
                throw new ScheduleException(n, WeeklySpan.quoted(line.trim()) + " is not a holiday; " + EXPECTED_LINE);
            }
            LocalDate date;
            LocalTime close = LocalTime.MIDNIGHT;
            try {
                date = date(words[0], EXPECTED_LINE);
                if (words.length == 2) {
                    int minutes = WeeklySpan.time(words[1], words[1], false);
                    close = LocalTime.of(minutes / 60, minutes % 60);
                }
            } catch (ScheduleException e) {
                throw new ScheduleException(n, e.getMessage());
            }
            Integer earlier = lineOf.putIfAbsent(date, n);
            if (earlier != null) {
                throw new ScheduleException(n, date + " is listed twice (also on line " + earlier + "); expected one line a date");
            }
            closes.put(date, close);
        }
        return new Holidays(closes);
    }

    private static LocalDate date(String word, String expected) throws ScheduleException {
        try {
            return LocalDate.parse(word);
        } catch (DateTimeParseException e) {
            throw new ScheduleException(WeeklySpan.quoted(word) + " is not a date; " + expected);
        }
    }
}
