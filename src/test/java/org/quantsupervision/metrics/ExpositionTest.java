package org.quantsupervision.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The text format's rules that a scrape would trip over (promtool checks real output in StatusPageBrowserTest). */
class ExpositionTest {
    @Test
    void aFamilysSamplesComeTogetherUnderOneHelpAndType() {
        String text = new Exposition()
                .gauge("a_up", "Up.", 1, "strategy", "x")
                .counter("a_restarts_total", "Restarts.", 3, "strategy", "x")
                .gauge("a_up", "Up.", 0, "strategy", "y")
                .gauge("a_ratio", "A ratio.", 0.1234)
                .text();
        assertEquals("""
                # HELP a_up Up.
                # TYPE a_up gauge
                a_up{strategy="x"} 1
                a_up{strategy="y"} 0
                # HELP a_restarts_total Restarts.
                # TYPE a_restarts_total counter
                a_restarts_total{strategy="x"} 3
                # HELP a_ratio A ratio.
                # TYPE a_ratio gauge
                a_ratio 0.123
                """, text);
    }

    @Test
    void labelValuesAndHelpAreEscaped() {
        String text = new Exposition().gauge("b", "back\\slash\nnewline \"quoted\"", Double.NaN, "check", "a\"b\\c\nd").text();
        assertEquals("""
                # HELP b back\\\\slash\\nnewline "quoted"
                # TYPE b gauge
                b{check="a\\"b\\\\c\\nd"} NaN
                """, text);
    }

    @Test
    void namesAndTypesAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> new Exposition().counter("restarts", "x", 1));
        assertThrows(IllegalArgumentException.class, () -> new Exposition().gauge("bad-name", "x", 1));
        assertThrows(IllegalArgumentException.class, () -> new Exposition().gauge("ok", "x", 1, "bad-label", "v"));
        assertThrows(IllegalArgumentException.class, () -> new Exposition().gauge("ok", "x", 1, "__reserved", "v"));
        assertThrows(IllegalArgumentException.class, () -> new Exposition().gauge("ok", "x", 1, "odd"));
        assertThrows(IllegalArgumentException.class, () -> new Exposition().gauge("c_total", "x", 1)
                .counter("c_total", "x", 1));
        assertEquals("+Inf", Exposition.value(Double.POSITIVE_INFINITY));
        assertEquals("1700000000.5", Exposition.value(1_700_000_000.5));
    }
}
