package org.quantsupervision.web;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.quantsupervision.status.HostStatus;
import org.quantsupervision.status.RunnerHistory;
import org.quantsupervision.status.StrategyStatus;

/** The page's own rules: what the strategy's account wrote is text, never markup; groups have their row. */
class StatusPageTest {
    private static StrategyStatus never(String name, List<String> events) {
        return new StrategyStatus(name, Optional.empty(), false, false, "none", Optional.empty(), Optional.empty(),
                new RunnerHistory(0, 0, Optional.empty(), List.of()), events, Optional.empty(), Optional.empty());
    }

    @Test
    void forgedEventsAreEscapedAndGroupsAreShownWithTheirMembers() {
        String forged = "{\"time\":\"2026-12-03T10:00:00Z\",\"strategy\":\"mr\",\"event\":\"x\\\"><script>alert(1)</script>\","
                + "\"message\":\"</td><script>alert(2)</script><img src=x onerror=alert(3)>\"}";
        HostStatus host = new HostStatus(false, "cron <b>", List.of(never("mr", List.of(forged)), never("arb", List.of())));
        String page = new StatusPage("desk<1>", n -> n.equals("mr") ? Optional.of("us-equities") : Optional.empty(),
                ZoneOffset.UTC).render(host, Instant.parse("2026-12-03T10:05:00Z"));
        assertFalse(page.contains("<script"), page);
        assertFalse(page.contains("<img"), page);
        assertFalse(page.contains("<b>"), page);
        assertTrue(page.contains("&lt;/td&gt;&lt;script&gt;alert(2)&lt;/script&gt;&lt;img src=x onerror=alert(3)&gt;"), page);
        assertTrue(page.contains("<h1>desk&lt;1&gt;</h1>"), page);
        assertTrue(page.contains("<tr id=\"group-us-equities\"><td class=\"name\">us-equities</td><td><span class=\"state "
                + "critical\">CRITICAL</span></td><td>mr <span class=\"state critical\">NOT RUNNING</span> </td></tr>"), page);
        assertFalse(page.contains("group-arb"), page);
    }

    /** A time no calendar holds, forged in events.jsonl: the page is still drawn, the time shown as written. */
    @Test
    void anEventDatedInTheYearOneBillionIsShownAsWritten() {
        String forged = "{\"time\":\"+1000000000-12-31T23:59:59Z\",\"strategy\":\"mr\",\"event\":\"crashed\",\"message\":\"x\"}";
        String page = new StatusPage("desk", n -> Optional.empty(), ZoneOffset.UTC).render(new HostStatus(false, "cron",
                List.of(never("mr", List.of(forged)))), Instant.parse("2026-12-03T10:05:00Z"));
        assertTrue(page.contains("<td>+1000000000-12-31T23:59:59Z</td>"), page);
    }
}
