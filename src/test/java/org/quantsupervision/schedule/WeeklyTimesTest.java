package org.quantsupervision.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** RESTART_AT's times: which one falls between two runs, across midnight, the week end and both DST switches. */
class WeeklyTimesTest {
    private static final ZoneId UTC = ZoneId.of("UTC");

    @ParameterizedTest(name = "{0}: after {1} up to {2} -> {3}")
    @CsvSource(delimiter = '|', textBlock = """
            Sun 17:15 America/New_York       | 2026-11-29T22:14:00Z | 2026-11-29T22:15:30Z | 2026-11-29T22:15:00Z
            Sun 17:15 America/New_York       | 2026-11-29T22:15:00Z | 2026-11-29T22:16:00Z | none
            Sun 17:15 America/New_York       | 2026-07-05T21:14:30Z | 2026-07-05T21:15:00Z | 2026-07-05T21:15:00Z
            Mon-Fri 06:00 America/Chicago    | 2026-12-04T11:59:00Z | 2026-12-04T12:00:30Z | 2026-12-04T12:00:00Z
            Mon-Fri 06:00 America/Chicago    | 2026-12-05T11:59:00Z | 2026-12-05T12:00:30Z | none
            daily 00:00                      | 2026-12-31T23:59:50Z | 2027-01-01T00:00:10Z | 2027-01-01T00:00:00Z
            Sat 23:59, Sun 00:01             | 2026-12-05T23:58:00Z | 2026-12-06T00:02:00Z | 2026-12-06T00:01:00Z
            Sun 02:30 America/New_York       | 2026-03-08T06:00:00Z | 2026-03-08T08:00:00Z | 2026-03-08T07:30:00Z
            Sun 01:30 America/New_York       | 2026-11-01T05:00:00Z | 2026-11-01T07:00:00Z | 2026-11-01T05:30:00Z
            Sun 01:30 America/Chicago        | 2026-11-01T06:00:00Z | 2026-11-01T08:00:00Z | 2026-11-01T06:30:00Z
            Sun 02:30 America/Chicago        | 2026-03-08T07:00:00Z | 2026-03-08T09:00:00Z | 2026-03-08T08:30:00Z
            """)
    void theLatestTimeBetweenTwoRuns(String text, String after, String upTo, String expected) throws ScheduleException {
        WeeklyTimes times = WeeklyTimes.parse(text, UTC);
        Optional<Instant> due = times.latestIn(Instant.parse(after), Instant.parse(upTo));
        assertEquals(expected.equals("none") ? Optional.empty() : Optional.of(Instant.parse(expected)), due, text);
    }

    @Test
    void theFallBacksRepeatedHourRestartsOnce() throws ScheduleException {
        WeeklyTimes times = WeeklyTimes.parse("Sun 01:30 America/New_York", UTC);
        // 01:30 EDT is 05:30Z; 01:30 EST (06:30Z) comes again an hour later: no second time.
        assertEquals(Optional.empty(), times.latestIn(Instant.parse("2026-11-01T05:31:00Z"),
                Instant.parse("2026-11-01T07:00:00Z")));
    }

    @Test
    void badTimesAreOneLineErrorsSayingWhatIsExpected() {
        for (String bad : new String[] {"Sun", "Funday 17:15", "Sun 25:00", "daily-Mon 06:00", "Sun 17:15 Mars/Olympus",
                "Sun 17:15-18:00"}) {
            ScheduleException e = assertThrows(ScheduleException.class, () -> WeeklyTimes.parse(bad, UTC), bad);
            assertTrue(e.getMessage().contains("expected") && !e.getMessage().contains("\n"), e.getMessage());
        }
    }
}
