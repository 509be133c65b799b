package org.quantsupervision.schedule;

import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Times of the week in local wall time (RESTART_AT): {@code Sun 17:15}, {@code Mon-Fri 06:00},
 * {@code daily 06:00}, several separated by commas, a time zone last ({@code Sun 17:15
 * America/New_York}; ZONE otherwise).
 *
 * <p><b>Daylight saving.</b> A time in the spring-forward gap happens at the instant it would be
 * at the offset before the jump (02:30 on 2026-03-08 in New York is 03:30 EDT), as
 * {@link WeeklySpan}'s edges; a time in the repeated hour of the fall-back happens once, at its
 * first occurrence.
 *
 * @param minutes minutes after Monday 00:00 of each time, in the order written
 */
public record WeeklyTimes(List<Integer> minutes, ZoneId zone, String text) {
    static final String EXPECTED = "expected DAYS HH:MM, e.g. Sun 17:15, Mon-Fri 06:00 or daily 06:00, "
            + "comma separated, a time zone last";
    private static final Pattern FORM = Pattern.compile("([A-Za-z]+)(?:\\s*-\\s*([A-Za-z]+))?\\s+(\\d{1,2}:\\d{2})");

    public WeeklyTimes {
        minutes = List.copyOf(minutes);
    }

    /** TEXT's times, in its zone or else in ZONE. */
    public static WeeklyTimes parse(String text, ZoneId zone) throws ScheduleException {
        String t = text.trim();
        String[] words = t.split("\\s+");
        String last = words[words.length - 1];
        ZoneId in = zone;
        String times = t;
        if (last.contains("/") || last.equals("UTC")) {
            try {
                in = ZoneId.of(last);
            } catch (DateTimeException e) {
                throw new ScheduleException(WeeklySpan.quoted(last) + " is not a time zone; expected e.g. "
                        + "America/New_York");
            }
            times = t.substring(0, t.length() - last.length()).trim();
        }
        List<Integer> minutes = new ArrayList<>();
        for (String part : times.split(",")) {
            String p = part.trim();
            Matcher m = FORM.matcher(p);
            if (!m.matches()) {
                throw new ScheduleException(WeeklySpan.quoted(p) + " is not a time of the week; " + EXPECTED);
            }
            int minute = WeeklySpan.time(p, m.group(3), false);
            boolean daily = m.group(1).equalsIgnoreCase("daily");
            if (daily && m.group(2) != null) {
                throw new ScheduleException(WeeklySpan.quoted(p) + ": daily takes no range; " + EXPECTED);
            }
            DayOfWeek first = daily ? DayOfWeek.MONDAY : WeeklySpan.day(p, m.group(1));
            DayOfWeek end = daily ? DayOfWeek.SUNDAY : m.group(2) == null ? first : WeeklySpan.day(p, m.group(2));
            for (DayOfWeek d = first; ; d = d.plus(1)) {
                minutes.add((d.getValue() - 1) * WeeklySpan.DAY + minute);
                if (d == end) {
                    break;
                }
            }
        }
        return new WeeklyTimes(minutes, in, t);
    }

    /**
     * The latest of these times after AFTER and at or before UP_TO, if one is: looked for in the
     * week of UP_TO and the one before, so a gap longer than a week finds only its last week's.
     */
    public Optional<Instant> latestIn(Instant after, Instant upTo) {
        LocalDate monday = LocalDate.ofInstant(upTo, zone).with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
        Instant latest = null;
        for (int week = -1; week <= 1; week++) {
            for (int minute : minutes) {
                Instant at = monday.plusWeeks(week).atStartOfDay().plusMinutes(minute).atZone(zone).toInstant();
                if (at.isAfter(after) && !at.isAfter(upTo) && (latest == null || at.isAfter(latest))) {
                    latest = at;
                }
            }
        }
        return Optional.ofNullable(latest);
    }

    @Override
    public String toString() {
        return text;
    }
}
