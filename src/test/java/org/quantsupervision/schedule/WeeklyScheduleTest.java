package org.quantsupervision.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Sessions, holidays (with early closes) and maintenance windows, row by row: across midnight,
 * the week's end, and both daylight-saving switches of 2026 in New York and Chicago (2026-03-08
 * and 2026-11-01). Each row is an instant (UTC) and whether it is inside; the last column says
 * what it is in local time. Sat 22:00-Sun 06:00 stands for a venue's weekly maintenance window.
 */
class WeeklyScheduleTest {
    @ParameterizedTest(name = "{0} | {1} | {2} -> {3} ({4})")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            # schedule                                  | holidays (';' between lines)  | instant              | inside | local time
            Sun 18:00-Fri 17:00 America/Chicago         |                               | 2026-11-29T23:59:00Z | false  | Sun 17:59 CST: before the week's open
            Sun 18:00-Fri 17:00 America/Chicago         |                               | 2026-11-30T00:00:00Z | true   | Sun 18:00 CST: the open
            Sun 18:00-Fri 17:00 America/Chicago         |                               | 2026-12-02T06:00:00Z | true   | Wed 00:00 CST: across midnight
            Sun 18:00-Fri 17:00 America/Chicago         |                               | 2026-12-04T15:00:00Z | true   | Fri 09:00 CST: Friday morning is open
            Sun 18:00-Fri 17:00 America/Chicago         |                               | 2026-12-04T22:59:00Z | true   | Fri 16:59 CST
            Sun 18:00-Fri 17:00 America/Chicago         |                               | 2026-12-04T23:00:00Z | false  | Fri 17:00 CST: the close
            Sun 18:00-Fri 17:00 America/Chicago         |                               | 2026-12-05T01:00:00Z | false  | Fri 19:00 CST: Friday evening is closed
            Sun 18:00-Fri 17:00 America/Chicago         |                               | 2026-12-05T18:00:00Z | false  | Sat 12:00 CST
            Sun 18:00-Fri 17:00 America/Chicago         |                               | 2026-07-05T22:59:00Z | false  | Sun 17:59 CDT: summer
            Sun 18:00-Fri 17:00 America/Chicago         |                               | 2026-07-05T23:00:00Z | true   | Sun 18:00 CDT: an hour earlier in UTC
            Sun 18:00-Fri 17:00 America/Chicago         |                               | 2026-03-06T22:59:00Z | true   | Fri 16:59 CST, before spring forward
            Sun 18:00-Fri 17:00 America/Chicago         |                               | 2026-03-06T23:00:00Z | false  | Fri 17:00 CST
            Sun 18:00-Fri 17:00 America/Chicago         |                               | 2026-03-08T22:59:00Z | false  | Sun 17:59 CDT, the day of spring forward
            Sun 18:00-Fri 17:00 America/Chicago         |                               | 2026-03-08T23:00:00Z | true   | Sun 18:00 CDT
            Sun 18:00-Fri 17:00 America/Chicago         |                               | 2026-10-30T21:59:00Z | true   | Fri 16:59 CDT, before fall back
            Sun 18:00-Fri 17:00 America/Chicago         |                               | 2026-10-30T22:00:00Z | false  | Fri 17:00 CDT
            Sun 18:00-Fri 17:00 America/Chicago         |                               | 2026-11-01T23:00:00Z | false  | Sun 17:00 CST, the day of fall back
            Sun 18:00-Fri 17:00 America/Chicago         |                               | 2026-11-02T00:00:00Z | true   | Sun 18:00 CST
            Mon-Fri 09:30-16:00 America/New_York        |                               | 2026-12-01T14:29:00Z | false  | Tue 09:29 EST
            Mon-Fri 09:30-16:00 America/New_York        |                               | 2026-12-01T14:30:00Z | true   | Tue 09:30 EST: 14:30Z in winter
            Mon-Fri 09:30-16:00 America/New_York        |                               | 2026-12-01T20:59:00Z | true   | Tue 15:59 EST
            Mon-Fri 09:30-16:00 America/New_York        |                               | 2026-12-01T21:00:00Z | false  | Tue 16:00 EST
            Mon-Fri 09:30-16:00 America/New_York        |                               | 2026-07-01T13:29:00Z | false  | Wed 09:29 EDT
            Mon-Fri 09:30-16:00 America/New_York        |                               | 2026-07-01T13:30:00Z | true   | Wed 09:30 EDT: 13:30Z in summer
            Mon-Fri 09:30-16:00 America/New_York        |                               | 2026-07-01T20:00:00Z | false  | Wed 16:00 EDT
            Mon-Fri 09:30-16:00 America/New_York        |                               | 2026-03-06T14:30:00Z | true   | Fri 09:30 EST, before spring forward
            Mon-Fri 09:30-16:00 America/New_York        |                               | 2026-03-09T13:29:00Z | false  | Mon 09:29 EDT, after it
            Mon-Fri 09:30-16:00 America/New_York        |                               | 2026-03-09T13:30:00Z | true   | Mon 09:30 EDT
            Mon-Fri 09:30-16:00 America/New_York        |                               | 2026-10-30T13:30:00Z | true   | Fri 09:30 EDT, before fall back
            Mon-Fri 09:30-16:00 America/New_York        |                               | 2026-11-02T14:29:00Z | false  | Mon 09:29 EST, after it
            Mon-Fri 09:30-16:00 America/New_York        |                               | 2026-11-02T14:30:00Z | true   | Mon 09:30 EST
            Mon-Fri 09:30-16:00 America/New_York        |                               | 2026-12-05T15:00:00Z | false  | Sat 10:00 EST
            Sun-Thu 18:00-17:00 America/New_York        |                               | 2026-11-29T23:00:00Z | true   | Sun 18:00 EST: overnight, Sunday's
            Sun-Thu 18:00-17:00 America/New_York        |                               | 2026-11-30T05:00:00Z | true   | Mon 00:00 EST: Sunday's, past midnight
            Sun-Thu 18:00-17:00 America/New_York        |                               | 2026-11-30T22:30:00Z | false  | Mon 17:30 EST: the daily break
            Sun-Thu 18:00-17:00 America/New_York        |                               | 2026-12-04T21:59:00Z | true   | Fri 16:59 EST: Thursday's, ending Friday
            Sun-Thu 18:00-17:00 America/New_York        |                               | 2026-12-04T22:00:00Z | false  | Fri 17:00 EST
            Sun-Thu 18:00-17:00 America/New_York        |                               | 2026-12-04T23:30:00Z | false  | Fri 18:30 EST: Friday opens none
            Fri 17:00-Mon 01:00 America/Chicago         |                               | 2026-12-05T12:00:00Z | true   | Sat 06:00 CST: across the week's end
            Fri 17:00-Mon 01:00 America/Chicago         |                               | 2026-12-07T06:59:00Z | true   | Mon 00:59 CST
            Fri 17:00-Mon 01:00 America/Chicago         |                               | 2026-12-07T07:00:00Z | false  | Mon 01:00 CST
            Fri 17:00-Mon 01:00 America/Chicago         |                               | 2026-12-03T12:00:00Z | false  | Thu 06:00 CST
            Sun 22:00-Mon 02:00 UTC                     |                               | 2026-11-29T23:00:00Z | true   | Sun 23:00: into Monday
            Sun 22:00-Mon 02:00 UTC                     |                               | 2026-11-30T01:59:00Z | true   | Mon 01:59
            Sun 22:00-Mon 02:00 UTC                     |                               | 2026-11-30T02:00:00Z | false  | Mon 02:00
            Mon 00:00-Sun 24:00 UTC                     |                               | 2026-11-29T23:59:59Z | true   | the whole week
            Mon-Fri 09:30-16:00, Sat 10:00-12:00 America/New_York |                     | 2026-12-05T15:30:00Z | true   | Sat 10:30 EST: the second span
            Mon-Fri 09:30-16:00                         |                               | 2026-12-01T14:30:00Z | true   | Tue 14:30 UTC: no zone written, the default's (UTC here)
            Mon-Fri 09:30-16:00                         |                               | 2026-12-01T16:00:00Z | false  | Tue 16:00 UTC
            Sun 02:30-04:00 America/New_York            |                               | 2026-03-08T07:00:00Z | false  | Sun 03:00 EDT: 02:30 does not exist
            Sun 02:30-04:00 America/New_York            |                               | 2026-03-08T07:29:00Z | false  | Sun 03:29 EDT
            Sun 02:30-04:00 America/New_York            |                               | 2026-03-08T07:30:00Z | true   | Sun 03:30 EDT: 02:30 at the old offset
            Sun 02:30-04:00 America/New_York            |                               | 2026-03-08T07:59:00Z | true   | Sun 03:59 EDT
            Sun 02:30-04:00 America/New_York            |                               | 2026-03-08T08:00:00Z | false  | Sun 04:00 EDT
            Sun 01:00-01:30 America/New_York            |                               | 2026-11-01T05:00:00Z | true   | Sun 01:00 EDT, the first of two
            Sun 01:00-01:30 America/New_York            |                               | 2026-11-01T05:30:00Z | false  | Sun 01:30 EDT: the close, at its first occurrence
            Sun 01:00-01:30 America/New_York            |                               | 2026-11-01T06:15:00Z | false  | Sun 01:15 EST, repeated: does not open twice
            Sat 22:00-Sun 06:00 America/New_York        |                               | 2026-12-06T02:59:00Z | false  | Sat 21:59 EST
            Sat 22:00-Sun 06:00 America/New_York        |                               | 2026-12-06T03:00:00Z | true   | Sat 22:00 EST
            Sat 22:00-Sun 06:00 America/New_York        |                               | 2026-12-06T05:00:00Z | true   | Sun 00:00 EST: across midnight
            Sat 22:00-Sun 06:00 America/New_York        |                               | 2026-12-06T10:59:00Z | true   | Sun 05:59 EST
            Sat 22:00-Sun 06:00 America/New_York        |                               | 2026-12-06T11:00:00Z | false  | Sun 06:00 EST
            Sat 22:00-Sun 06:00 America/New_York        |                               | 2026-03-08T02:59:00Z | false  | Sat 21:59 EST, spring forward night
            Sat 22:00-Sun 06:00 America/New_York        |                               | 2026-03-08T03:00:00Z | true   | Sat 22:00 EST
            Sat 22:00-Sun 06:00 America/New_York        |                               | 2026-03-08T09:59:00Z | true   | Sun 05:59 EDT: 7 hours in all
            Sat 22:00-Sun 06:00 America/New_York        |                               | 2026-03-08T10:00:00Z | false  | Sun 06:00 EDT
            Sat 22:00-Sun 06:00 America/New_York        |                               | 2026-11-01T01:59:00Z | false  | Sat 21:59 EDT, fall back night
            Sat 22:00-Sun 06:00 America/New_York        |                               | 2026-11-01T02:00:00Z | true   | Sat 22:00 EDT
            Sat 22:00-Sun 06:00 America/New_York        |                               | 2026-11-01T06:30:00Z | true   | Sun 01:30 EST, the repeated hour
            Sat 22:00-Sun 06:00 America/New_York        |                               | 2026-11-01T10:59:00Z | true   | Sun 05:59 EST: 9 hours in all
            Sat 22:00-Sun 06:00 America/New_York        |                               | 2026-11-01T11:00:00Z | false  | Sun 06:00 EST
            Sat 22:00-Sun 06:00 America/Chicago         |                               | 2026-11-01T03:00:00Z | true   | Sat 22:00 CDT
            Sat 22:00-Sun 06:00 America/Chicago         |                               | 2026-11-01T12:00:00Z | false  | Sun 06:00 CST
            Sat 22:00-Sun 06:00 America/Chicago         |                               | 2026-03-08T11:00:00Z | false  | Sun 06:00 CDT
            Sat 22:00-Sun 06:00 America/Chicago         |                               | 2026-03-08T10:59:00Z | true   | Sun 05:59 CDT
            Sun 18:00-Fri 17:00 America/Chicago         | 2026-11-26;2026-11-27 12:15   | 2026-11-26T05:59:00Z | true   | Wed 23:59 CST: the eve of Thanksgiving trades
            Sun 18:00-Fri 17:00 America/Chicago         | 2026-11-26;2026-11-27 12:15   | 2026-11-26T06:00:00Z | false  | Thu 00:00 CST: Thanksgiving
            Sun 18:00-Fri 17:00 America/Chicago         | 2026-11-26;2026-11-27 12:15   | 2026-11-27T05:59:00Z | false  | Thu 23:59 CST
            Sun 18:00-Fri 17:00 America/Chicago         | 2026-11-26;2026-11-27 12:15   | 2026-11-27T06:00:00Z | true   | Fri 00:00 CST: the early-close day opens
            Sun 18:00-Fri 17:00 America/Chicago         | 2026-11-26;2026-11-27 12:15   | 2026-11-27T18:14:00Z | true   | Fri 12:14 CST
            Sun 18:00-Fri 17:00 America/Chicago         | 2026-11-26;2026-11-27 12:15   | 2026-11-27T18:15:00Z | false  | Fri 12:15 CST: the early close
            Sun 18:00-Fri 17:00 America/Chicago         | 2026-11-26;2026-11-27 12:15   | 2026-11-30T00:00:00Z | true   | Sun 18:00 CST: the next week is not a holiday
            Mon 00:00-Sun 24:00 America/New_York        | 2026-03-08                    | 2026-03-08T04:59:00Z | true   | Sat 23:59 EST
            Mon 00:00-Sun 24:00 America/New_York        | 2026-03-08                    | 2026-03-08T05:00:00Z | false  | Sun 00:00 EST: a holiday on the switch
            Mon 00:00-Sun 24:00 America/New_York        | 2026-03-08                    | 2026-03-09T03:59:00Z | false  | Sun 23:59 EDT: 23 hours of holiday
            Mon 00:00-Sun 24:00 America/New_York        | 2026-03-08                    | 2026-03-09T04:00:00Z | true   | Mon 00:00 EDT
            Mon 00:00-Sun 24:00 America/New_York        | 2026-11-01 01:30              | 2026-11-01T05:29:00Z | true   | Sun 01:29 EDT
            Mon 00:00-Sun 24:00 America/New_York        | 2026-11-01 01:30              | 2026-11-01T05:30:00Z | false  | Sun 01:30 EDT: an early close in the repeated hour
            Mon 00:00-Sun 24:00 America/New_York        | 2026-11-01 01:30              | 2026-11-01T06:15:00Z | false  | Sun 01:15 EST: still closed
            Mon 00:00-Sun 24:00 America/New_York        | 2026-11-01 01:30              | 2026-11-02T05:00:00Z | true   | Mon 00:00 EST
            """)
    void insideOrNot(String schedule, String holidays, String instant, boolean inside, String local)
            throws ScheduleException {
        WeeklySchedule s = WeeklySchedule.parse(schedule, ZoneOffset.UTC);
        Holidays h = holidays == null ? Holidays.NONE : Holidays.ofLines(Arrays.asList(holidays.split(";")));
        Instant at = Instant.parse(instant);
        assertEquals(inside, s.contains(at) && !h.closed(at, s.zone()), local);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            Sun 18:00-Fry 17:00 America/Chicago   | 'Sun 18:00-Fry 17:00': 'Fry' is not a day; expected Mon, Tue, Wed, Thu, Fri, Sat or Sun
            Mon-Fri 9:30-16:00                    | 'Mon-Fri 9:30-16:00': '9:30' is not a time; expected HH:MM from 00:00 to 23:59
            Mon-Fri 09:30-25:00                   | 'Mon-Fri 09:30-25:00': '25:00' is not a time; expected HH:MM from 00:00 to 23:59, or 24:00 for the end of the day
            Mon 24:00-Tue 01:00                   | 'Mon 24:00-Tue 01:00': '24:00' is not a time; expected HH:MM from 00:00 to 23:59
            Mon 09:00-Mon 09:00                   | 'Mon 09:00-Mon 09:00' ends when it begins; expected DAY HH:MM-DAY HH:MM (e.g. Sun 18:00-Fri 17:00) or DAYS HH:MM-HH:MM (e.g. Mon-Fri 09:30-16:00; an end at or before the start is the next day)
            Mon-Fri 09:00-09:00                   | 'Mon-Fri 09:00-09:00' ends when it begins; write 00:00-24:00 for a whole day; expected DAY HH:MM-DAY HH:MM (e.g. Sun 18:00-Fri 17:00) or DAYS HH:MM-HH:MM (e.g. Mon-Fri 09:30-16:00; an end at or before the start is the next day)
            Mon-Fri 09:30-Tue 16:00               | 'Mon-Fri 09:30-Tue 16:00' has a range of days and an end day; expected DAY HH:MM-DAY HH:MM (e.g. Sun 18:00-Fri 17:00) or DAYS HH:MM-HH:MM (e.g. Mon-Fri 09:30-16:00; an end at or before the start is the next day)
            weekdays                              | 'weekdays' is not a span; expected DAY HH:MM-DAY HH:MM (e.g. Sun 18:00-Fri 17:00) or DAYS HH:MM-HH:MM (e.g. Mon-Fri 09:30-16:00; an end at or before the start is the next day)
            Mon-Fri 09:30-16:00 America/NewYork   | 'Mon-Fri 09:30-16:00 America/NewYork': 'America/NewYork' is not a time zone; expected a name such as America/New_York or UTC after the last span
            Mon-Fri 09:30-16:00,, Sat 10:00-11:00 | 'Mon-Fri 09:30-16:00,, Sat 10:00-11:00' has an empty span; expected DAY HH:MM-DAY HH:MM (e.g. Sun 18:00-Fri 17:00) or DAYS HH:MM-HH:MM (e.g. Mon-Fri 09:30-16:00; an end at or before the start is the next day), separated by commas, then an optional time zone
            """)
    void aBadScheduleSaysWhatIsExpectedOnOneLine(String text, String message) {
        ScheduleException e = assertThrows(ScheduleException.class, () -> WeeklySchedule.parse(text, ZoneId.of("UTC")));
        assertEquals(message, e.getMessage());
        assertEquals(0, e.line());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            # lines (';' between them)                   | line | message
            2026-11-26 # Thanksgiving;;   ;2026-13-01     | 4    | '2026-13-01' is not a date; expected YYYY-MM-DD (closed all day) or YYYY-MM-DD HH:MM (an early close at that local time)
            2026-11-26;2026-11-27 12:5                    | 2    | '12:5' is not a time; expected HH:MM from 00:00 to 23:59
            2026-11-26;2026-11-27 24:00                   | 2    | '24:00' is not a time; expected HH:MM from 00:00 to 23:59
            2026-11-27 12:15 half day                     | 1    | '2026-11-27 12:15 half day' is not a holiday; expected YYYY-MM-DD (closed all day) or YYYY-MM-DD HH:MM (an early close at that local time)
            2026-11-26;2026-12-25 # Christmas;2026-11-26  | 3    | 2026-11-26 is listed twice (also on line 1); expected one line a date
            """)
    void aBadHolidaysLineIsNamedByItsNumber(String lines, int line, String message) {
        ScheduleException e = assertThrows(ScheduleException.class, () -> Holidays.ofLines(List.of(lines.split(";", -1))));
        assertEquals(message, e.getMessage());
        assertEquals(line, e.line());
    }
}
