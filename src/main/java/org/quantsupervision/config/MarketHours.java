package org.quantsupervision.config;

import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import org.quantsupervision.schedule.Holidays;
import org.quantsupervision.schedule.ScheduleException;
import org.quantsupervision.schedule.WeeklySchedule;
import org.quantsupervision.schedule.WeeklySpan;

/**
 * When a strategy's market trades: the data-freshness check applies only then (a feed is
 * expected to go quiet at the close). The default, every day 00:00-24:00 UTC, suits crypto.
 *
 * <p>Two ways to say it. MARKET_SESSIONS, spans of the week that may cross days (CME: {@code Sun
 * 18:00-Fri 17:00 America/Chicago}; see {@link WeeklySpan}). Or, as before, MARKET_DAYS and
 * MARKET_HOURS: each of those calendar days, the part of it inside the hours (18:00-17:00 runs
 * overnight: 00:00-17:00 and 18:00-24:00 of each listed day). Both are evaluated the same way, in
 * MARKET_TIMEZONE's wall time (MARKET_SESSIONS may name its own zone), with {@link WeeklySpan}'s
 * rules at the daylight-saving switches. Setting MARKET_SESSIONS and either of the others is an
 * error, not a guess at which one was meant.
 *
 * <p>MARKET_HOLIDAYS closes dates in that zone ({@link Holidays}): listed in the setting, or, as
 * an absolute path, in a file (one date a line, or a date and an early close), read as
 * {@link HolidaysFile} says.
 *
 * @param sessions when the market trades, holidays aside
 * @param holidaysFile the file MARKET_HOLIDAYS names, if it names one: its changes are a change of the settings
 */
public record MarketHours(WeeklySchedule sessions, Holidays holidays, Optional<Path> holidaysFile) {

    /** True while the market is open at INSTANT. */
    public boolean isOpen(Instant instant) {
        return sessions.contains(instant) && !holidays.closed(instant, sessions.zone());
    }

    static MarketHours parse(ConfigKeys keys) throws ConfigException {
        ZoneId zone = zone(keys);
        Set<DayOfWeek> days = days(keys, keys.string(Setting.MARKET_DAYS));
        String hours = keys.string(Setting.MARKET_HOURS);
        LocalTime[] openClose = hours(keys, hours);
        WeeklySchedule sessions;
        Optional<String> sessionsText = keys.optional(Setting.MARKET_SESSIONS);
        if (sessionsText.isPresent()) {
            if (!days.equals(EnumSet.allOf(DayOfWeek.class)) || !openClose[0].equals(LocalTime.MIDNIGHT) || openClose[1] != null) {
                throw keys.error(Setting.MARKET_SESSIONS, "is set, and so is MARKET_DAYS or MARKET_HOURS; expected either "
                        + "MARKET_SESSIONS alone or MARKET_DAYS and MARKET_HOURS (remove the other)");
            }
            try {
                sessions = WeeklySchedule.parse(sessionsText.get(), zone);
            } catch (ScheduleException e) {
                throw keys.error(Setting.MARKET_SESSIONS, e.getMessage());
            }
        } else {
            sessions = new WeeklySchedule(daily(days, openClose[0], openClose[1], keys.string(Setting.MARKET_DAYS), hours),
                    zone);
        }
        String holidaysText = keys.string(Setting.MARKET_HOLIDAYS).trim();
        if (holidaysText.startsWith("/")) {
            Path file = Path.of(holidaysText);
            return new MarketHours(sessions, HolidaysFile.read(file, keys.file()), Optional.of(file));
        }
        try {
            return new MarketHours(sessions, Holidays.ofDates(holidaysText), Optional.empty());
        } catch (ScheduleException e) {
            throw keys.error(Setting.MARKET_HOLIDAYS, e.getMessage() + ", or the absolute path of a file of them");
        }
    }

    /** MARKET_TIMEZONE: the zone of the market's hours and holidays, and of spans that name none. */
    static ZoneId zone(ConfigKeys keys) throws ConfigException {
        String zoneName = keys.string(Setting.MARKET_TIMEZONE);
        try {
            return ZoneId.of(zoneName);
        } catch (DateTimeException e) {
            throw keys.error(Setting.MARKET_TIMEZONE, ConfigKeys.quoted(zoneName) + " is not a time zone; expected e.g. America/New_York");
        }
    }

    /**
     * MARKET_DAYS + MARKET_HOURS as spans: on each of DAYS, open to close within that calendar
     * day; overnight (open after close), the day's start to the close and the open to its end.
     * Open equal to close never opened, and still does not.
     */
    private static List<WeeklySpan> daily(Set<DayOfWeek> days, LocalTime open, LocalTime close, String daysText,
            String hoursText) {
        String text = "MARKET_DAYS=" + daysText + " MARKET_HOURS=" + hoursText;
        int day = 24 * 60 * 60;
        int from = open.toSecondOfDay();
        int to = close == null ? day : close.toSecondOfDay();
        List<WeeklySpan> spans = new ArrayList<>();
        for (DayOfWeek d : days) {
            int midnight = (d.getValue() - 1) * day;
            if (from < to) {
                spans.add(new WeeklySpan(midnight + from, to - from, text));
            } else if (from > to) {
                if (to > 0) {
                    spans.add(new WeeklySpan(midnight, to, text));
                }
                spans.add(new WeeklySpan(midnight + from, day - from, text));
            }
        }
        return spans;
    }

    /** MARKET_HOURS: open and close, the close null for 24:00. */
    private static LocalTime[] hours(ConfigKeys keys, String hours) throws ConfigException {
        String[] span = hours.split("-", -1);
        try {
            if (span.length != 2) {
                throw new DateTimeException("no '-'");
            }
            return new LocalTime[] {LocalTime.parse(span[0].trim()),
                span[1].trim().equals("24:00") ? null : LocalTime.parse(span[1].trim())};
        } catch (DateTimeException e) {
            throw keys.error(Setting.MARKET_HOURS, ConfigKeys.quoted(hours) + " is not a session; expected HH:MM-HH:MM, e.g. 09:30-16:00");
        }
    }

    /** "Mon-Fri", "Mon,Wed,Fri", "Sun-Thu" (ranges wrap round the week). */
    private static Set<DayOfWeek> days(ConfigKeys keys, String text) throws ConfigException {
        Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
        for (String part : text.split("[,\\s]+")) {
            String[] range = part.split("-");
            DayOfWeek from = day(keys, text, range[0]);
            DayOfWeek to = range.length == 2 ? day(keys, text, range[1]) : from;
            if (range.length > 2) {
                throw keys.error(Setting.MARKET_DAYS, ConfigKeys.quoted(text) + " is not a list of days; expected e.g. Mon-Fri");
            }
            for (DayOfWeek d = from; ; d = d.plus(1)) {
                days.add(d);
                if (d == to) {
                    break;
                }
            }
        }
        return days;
    }

    private static DayOfWeek day(ConfigKeys keys, String text, String name) throws ConfigException {
        for (DayOfWeek d : DayOfWeek.values()) {
            if (d.name().substring(0, 3).equalsIgnoreCase(name.trim())
                    || d.name().equalsIgnoreCase(name.trim())) {
                return d;
            }
        }
        throw keys.error(Setting.MARKET_DAYS, ConfigKeys.quoted(text) + " is not a list of days; expected e.g. Mon-Fri or "
                + "Mon,Wed,Fri (" + ConfigKeys.quoted(name.toLowerCase(Locale.ROOT).trim()) + " is not a day)");
    }
}
