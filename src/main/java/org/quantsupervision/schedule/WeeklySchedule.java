package org.quantsupervision.schedule;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Spans of the week in one time zone, as a setting writes them: {@code Sun 18:00-Fri 17:00
 * America/Chicago}, {@code Mon-Fri 09:30-16:00, Sat 10:00-12:00 America/New_York}: spans
 * separated by commas (each as {@link WeeklySpan#parse} reads it), then the zone, which may be
 * left out. An instant is inside when it is inside any span, in the zone's wall time, with
 * {@link WeeklySpan}'s rules at the daylight-saving switches.
 */
public record WeeklySchedule(List<WeeklySpan> spans, ZoneId zone) {
    /** A zone after the last span: a last word that begins with a letter (a time begins with a digit). */
    private static final Pattern ZONE_AT_END = Pattern.compile(".*\\s[A-Za-z]\\S*");

    public WeeklySchedule {
        spans = List.copyOf(spans);
    }

    /** TEXT's spans; in ZONE unless TEXT ends in a zone of its own. */
    public static WeeklySchedule parse(String text, ZoneId zone) throws ScheduleException {
        String t = text.trim();
        if (t.isEmpty()) {
            throw new ScheduleException("is empty; " + WeeklySpan.EXPECTED + ", then an optional time zone");
        }
        ZoneId in = zone;
        String spansText = t;
        if (ZONE_AT_END.matcher(t).matches()) {
            int blank = t.lastIndexOf(' ');
            String name = t.substring(blank + 1);
            try {
                in = ZoneId.of(name);
            } catch (DateTimeException e) {
                throw new ScheduleException(WeeklySpan.quoted(t) + ": " + WeeklySpan.quoted(name) + " is not a time zone; "
                        + "expected a name such as America/New_York or UTC after the last span");
            }
            spansText = t.substring(0, blank);
        }
        List<WeeklySpan> spans = new ArrayList<>();
        for (String part : spansText.split(",", -1)) {
            if (part.isBlank()) {
                throw new ScheduleException(WeeklySpan.quoted(t) + " has an empty span; " + WeeklySpan.EXPECTED
                        + ", separated by commas, then an optional time zone");
            }
            spans.addAll(WeeklySpan.parse(part));
        }
        return new WeeklySchedule(spans, in);
    }

    /** Whether INSTANT falls inside one of the spans. */
    public boolean contains(Instant instant) {
        for (WeeklySpan s : spans) {
            if (s.contains(instant, zone)) {
                return true;
            }
        }
        return false;
    }

    /** The spans and the zone, e.g. "Sat 22:00-Sun 06:00 America/New_York", for messages. */
    @Override
    public String toString() {
        return String.join(", ", spans.stream().map(WeeklySpan::text).distinct().toList()) + " " + zone.getId();
    }
}
