package org.quantsupervision.schedule;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A span of the week in local wall time: it starts on a day at a time and lasts from a second up
 * to a whole week, so it may cross midnight and the week's end (Sun 18:00-Fri 17:00, Sat
 * 22:00-Sun 06:00).
 *
 * <p><b>Daylight saving.</b> Each occurrence's start and end are local date-times, made instants
 * by {@link LocalDateTime#atZone}'s rules, and an instant is inside when start &lt;= instant &lt;
 * end: 09:30-16:00 in New York is 14:30Z-21:00Z in winter and 13:30Z-20:00Z in summer. An edge in
 * the spring-forward gap (02:00-03:00 on 2026-03-08 in New York) takes effect at the instant it
 * would be at the offset before the jump: 02:30 becomes 03:30 EDT, 02:00 the jump itself. An
 * edge in the repeated hour of the fall-back (01:00-02:00 on 2026-11-01) takes effect at its
 * first occurrence (EDT), so an occurrence is one stretch of time and never opens twice. A span
 * across a switch is an hour shorter or longer in real time than on the clock.
 *
 * @param start seconds after Monday 00:00, less than a week's
 * @param seconds how long, 1 up to a week's (settings write minutes; MARKET_HOURS may hold seconds)
 * @param text as written, for messages
 */
public record WeeklySpan(int start, int seconds, String text) {
    /** Minutes: what the settings write. */
    static final int DAY = 24 * 60;
    static final int WEEK = 7 * DAY;
    static final String EXPECTED = "expected DAY HH:MM-DAY HH:MM (e.g. Sun 18:00-Fri 17:00) or DAYS HH:MM-HH:MM "
            + "(e.g. Mon-Fri 09:30-16:00; an end at or before the start is the next day)";
    /** DAY[-DAY] HH:MM-[DAY ]HH:MM. */
    private static final Pattern FORM = Pattern.compile(
            "([A-Za-z]+)(?:\\s*-\\s*([A-Za-z]+))?\\s+(\\d{1,2}:\\d{2})\\s*-\\s*(?:([A-Za-z]+)\\s+)?(\\d{1,2}:\\d{2})");
    private static final Pattern TIME = Pattern.compile("([01]\\d|2[0-3]):([0-5]\\d)|24:00");

    public WeeklySpan {
        if (start < 0 || start >= WEEK * 60 || seconds < 1 || seconds > WEEK * 60) {
            throw new IllegalArgumentException("span " + start + "+" + seconds);
        }
    }

    /**
     * The spans TEXT writes: one for {@code DAY HH:MM-DAY HH:MM}, one per day for {@code DAYS
     * HH:MM-HH:MM} (DAYS: a day, or a range such as Mon-Fri or Sun-Thu that may wrap round the
     * week's end), where an end at or before the start is the next day's. 24:00 is written as an
     * end only. A span that ends when it begins (Mon 09:00-Mon 09:00, Mon 09:00-09:00) is refused:
     * it could mean nothing or the whole week; write 00:00-24:00 for a whole day.
     */
    public static List<WeeklySpan> parse(String text) throws ScheduleException {
        String t = text.trim();
        Matcher m = FORM.matcher(t);
        if (!m.matches()) {
            throw new ScheduleException(quoted(t) + " is not a span; " + EXPECTED);
        }
        DayOfWeek first = day(t, m.group(1));
        int start = time(t, m.group(3), false);
        int end = time(t, m.group(5), true);
        List<WeeklySpan> spans = new ArrayList<>();
        if (m.group(4) != null) {
            if (m.group(2) != null) {
                throw new ScheduleException(quoted(t) + " has a range of days and an end day; " + EXPECTED);
            }
            DayOfWeek last = day(t, m.group(4));
            if (last == first && start == end) {
                throw new ScheduleException(quoted(t) + " ends when it begins; " + EXPECTED);
            }
            int from = index(first) * DAY + start;
            int length = index(last) * DAY + end - from;
            spans.add(new WeeklySpan(from * 60, (length <= 0 ? length + WEEK : length) * 60, t));
            return spans;
        }
        if (start == end) {
            throw new ScheduleException(quoted(t) + " ends when it begins; write 00:00-24:00 for a whole day; " + EXPECTED);
        }
        int length = end > start ? end - start : end + DAY - start;
        DayOfWeek last = m.group(2) == null ? first : day(t, m.group(2));
        for (DayOfWeek d = first; ; d = d.plus(1)) {
            spans.add(new WeeklySpan((index(d) * DAY + start) * 60, length * 60, t));
            if (d == last) {
                return spans;
            }
        }
    }

    /** Whether INSTANT is inside an occurrence of this span, in ZONE's wall time (see the class comment). */
    public boolean contains(Instant instant, ZoneId zone) {
        LocalDate monday = LocalDate.ofInstant(instant, zone).with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
        // The occurrence that starts in the instant's week or the one before (a span lasts at most a
        // week); the next week's too, in case an offset change near Monday 00:00 moved a start before it.
        for (int week = -1; week <= 1; week++) {
            LocalDateTime from = monday.plusWeeks(week).atStartOfDay().plusSeconds(start);
            Instant begins = from.atZone(zone).toInstant();
            Instant ends = from.plusSeconds(seconds).atZone(zone).toInstant();
            if (!instant.isBefore(begins) && instant.isBefore(ends)) {
                return true;
            }
        }
        return false;
    }

    private static int index(DayOfWeek d) {
        return d.getValue() - 1;
    }

    /** Mon ... Sun, or the full name, in any case. */
    static DayOfWeek day(String text, String name) throws ScheduleException {
        for (DayOfWeek d : DayOfWeek.values()) {
            if (d.name().substring(0, 3).equalsIgnoreCase(name) || d.name().equalsIgnoreCase(name)) {
                return d;
            }
        }
        throw new ScheduleException(quoted(text) + ": " + quoted(name) + " is not a day; expected Mon, Tue, Wed, Thu, "
                + "Fri, Sat or Sun");
    }

    /** HH:MM as minutes of the day; 24:00 (1440) only as an END. */
    static int time(String text, String value, boolean end) throws ScheduleException {
        Matcher m = TIME.matcher(value);
        if (!m.matches() || (!end && value.equals("24:00"))) {
            throw new ScheduleException((text.equals(value) ? "" : quoted(text) + ": ") + quoted(value)
                    + " is not a time; expected HH:MM from 00:00 to "
                    + "23:59" + (end ? ", or 24:00 for the end of the day" : ""));
        }
        return value.equals("24:00") ? DAY : Integer.parseInt(m.group(1)) * 60 + Integer.parseInt(m.group(2));
    }

    /** TEXT quoted for a message: schedules hold no secrets, but a long or multi-line value is cut. */
    static String quoted(String text) {
        String oneLine = text.replaceAll("\\p{Cntrl}", "?");
        return "'" + (oneLine.length() > 80 ? oneLine.substring(0, 77) + "..." : oneLine) + "'";
    }

    @Override
    public String toString() {
        return text;
    }

}
