package org.quantsupervision.config;

import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * When a strategy's market trades: the data-freshness check applies only then (a feed is
 * expected to go quiet at the close). The default, every day 00:00-24:00 UTC, suits crypto.
 *
 * @param open inclusive; when it is after {@code close} the session runs overnight (e.g. futures
 *     18:00-17:00), and a day's session is the part of the calendar day that falls inside it
 * @param close exclusive; {@code null} means 24:00
 */
public record MarketHours(Set<DayOfWeek> days, LocalTime open, LocalTime close, ZoneId zone, Set<LocalDate> holidays) {

    /** True while the market is open at INSTANT. */
    public boolean isOpen(Instant instant) {
        ZonedDateTime local = instant.atZone(zone);
        if (!days.contains(local.getDayOfWeek()) || holidays.contains(local.toLocalDate())) {
            return false;
        }
        LocalTime t = local.toLocalTime();
        boolean afterOpen = !t.isBefore(open);
        boolean beforeClose = close == null || t.isBefore(close);
        return (close != null && open.isAfter(close)) ? afterOpen || beforeClose : afterOpen && beforeClose;
    }

    static MarketHours parse(ConfigKeys keys) throws ConfigException {
        Set<DayOfWeek> days = days(keys, keys.string(Setting.MARKET_DAYS));
        String hours = keys.string(Setting.MARKET_HOURS);
        String[] span = hours.split("-", -1);
        LocalTime open;
        LocalTime close;
        try {
            if (span.length != 2) {
                throw new DateTimeException("no '-'");
            }
            open = LocalTime.parse(span[0].trim());
            close = span[1].trim().equals("24:00") ? null : LocalTime.parse(span[1].trim());
        } catch (DateTimeException e) {
            throw keys.error(Setting.MARKET_HOURS, ConfigKeys.quoted(hours) + " is not a session; expected HH:MM-HH:MM, e.g. 09:30-16:00");
        }
        String zoneName = keys.string(Setting.MARKET_TIMEZONE);
        ZoneId zone;
        try {
            zone = ZoneId.of(zoneName);
        } catch (DateTimeException e) {
            throw keys.error(Setting.MARKET_TIMEZONE, ConfigKeys.quoted(zoneName) + " is not a time zone; expected e.g. America/New_York");
        }
        Set<LocalDate> holidays = new HashSet<>();
        for (String day : keys.words(Setting.MARKET_HOLIDAYS)) {
            for (String d : day.split(",")) {
                if (d.isEmpty()) {
                    continue;
                }
                try {
                    holidays.add(LocalDate.parse(d));
                } catch (DateTimeParseException e) {
                    throw keys.error(Setting.MARKET_HOLIDAYS, ConfigKeys.quoted(d) + " is not a date; expected YYYY-MM-DD");
                }
            }
        }
        return new MarketHours(days, open, close, zone, Set.copyOf(holidays));
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
