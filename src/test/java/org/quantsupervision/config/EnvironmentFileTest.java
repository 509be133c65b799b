package org.quantsupervision.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * The parser against the rules of systemd's env-file.c. The same corpus is checked against
 * systemd itself (systemd-run -p EnvironmentFile=) by tests/container/runner.
 */
class EnvironmentFileTest {
    private static final Path FILE = Path.of("/etc/strategies/x/env.conf");

    private static Map<String, String> parse(String text) throws ConfigException {
        return EnvironmentFile.parse(FILE, text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void plainAssignmentsCommentsAndBlanks() throws ConfigException {
        Map<String, String> env = parse("""
                # API keys
                ; also a comment
                TICKDB_API_KEY=tk_live_123
                  MAX_POSITION_SIZE = 10000\t
                EMPTY=
                no equals sign here
                URL=https://example.invalid/v1/health?x=1#frag
                """);
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("TICKDB_API_KEY", "tk_live_123");
        expected.put("MAX_POSITION_SIZE", "10000");
        expected.put("EMPTY", "");
        expected.put("URL", "https://example.invalid/v1/health?x=1#frag");
        assertEquals(expected, env);
    }

    @Test
    void quotesEscapesAndContinuations() throws ConfigException {
        Map<String, String> env = parse("""
                SINGLE='a # b \\n "c"'
                DOUBLE="say \\"hi\\" \\$HOME \\\\ \\n"
                JOINED='a'"b"c
                ESCAPED=a\\ b\\\\c
                CONTINUED=first \\
                second
                MULTI="line one
                line two"
                QUOTED_CONTINUED="x\\
                y"
                TRAILING=value   \s
                """);
        assertEquals("a # b \\n \"c\"", env.get("SINGLE"));
        assertEquals("say \"hi\" $HOME \\ \\n", env.get("DOUBLE"));
        assertEquals("abc", env.get("JOINED"));
        assertEquals("a b\\c", env.get("ESCAPED"));
        assertEquals("first second", env.get("CONTINUED"));
        assertEquals("line one\nline two", env.get("MULTI"));
        assertEquals("xy", env.get("QUOTED_CONTINUED"));
        assertEquals("value", env.get("TRAILING"));
    }

    @Test
    void laterAssignmentWinsAndCrLfIsANewline() throws ConfigException {
        Map<String, String> env = parse("A=1\r\nB=2\r\nA=3\r\n");
        assertEquals(Map.of("A", "3", "B", "2"), env);
    }

    @Test
    void lastLineWithoutNewline() throws ConfigException {
        assertEquals(Map.of("A", "x"), parse("A=x"));
        assertEquals(Map.of("A", ""), parse("A="));
    }

    @Test
    void invalidNameIsAnErrorWithTheLine() {
        ConfigException e = assertThrows(ConfigException.class, () -> parse("A=1\n\nexport B=2\n"));
        assertEquals("/etc/strategies/x/env.conf:3: not KEY=VALUE: the text before '=' is not a valid variable "
                + "name; expected letters, digits and '_', not starting with a digit (no 'export'); the text is not "
                + "shown, it may be a secret", e.getMessage());
        assertThrows(ConfigException.class, () -> parse("1A=x\n"));
    }

    @Test
    void aPastedSecretWithoutKeyIsNotEchoed() {
        // A PEM body line ends in '=' padding, so it reads as an invalid key; so does a pasted token.
        ConfigException pem = assertThrows(ConfigException.class,
                () -> parse("A=1\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7+x/y==\n"));
        assertTrue(pem.getMessage().startsWith("/etc/strategies/x/env.conf:2: not KEY=VALUE"), pem.getMessage());
        assertFalse(pem.getMessage().contains("MIIE"), pem.getMessage());
        ConfigException token = assertThrows(ConfigException.class, () -> parse("sk-live-0123456789=\n"));
        assertFalse(token.getMessage().contains("sk-live"), token.getMessage());
    }

    @Test
    void commentEndingInBackslashIsRejectedBecauseSystemdVersionsDisagree() {
        ConfigException e = assertThrows(ConfigException.class, () -> parse("A=1\n# note \\\nB=2\n"));
        assertTrue(e.getMessage().startsWith("/etc/strategies/x/env.conf:2: a comment ends in '\\'"), e.getMessage());
    }

    @Test
    void invalidUtf8IsRejected() {
        byte[] bytes = {'A', '=', (byte) 0xff, '\n'};
        ConfigException e = assertThrows(ConfigException.class, () -> EnvironmentFile.parse(FILE, bytes));
        assertTrue(e.getMessage().contains("not valid UTF-8"), e.getMessage());
    }

    @Test
    void aNulByteInAValueIsRejectedNamingTheKeyNotTheValue() {
        // ProcessBuilder's own error would echo the whole value (a secret) into the journal.
        ConfigException e = assertThrows(ConfigException.class,
                () -> parse("A=1\nTICKDB_API_KEY=tk_live_\0do_not_print\n"));
        assertEquals("/etc/strategies/x/env.conf:2: the value of TICKDB_API_KEY contains a NUL byte; values must be "
                + "text", e.getMessage());
    }

    @Test
    void controlCharactersOtherThanTabAndQuotedNewlinesAreRejected() throws ConfigException {
        ConfigException escape = assertThrows(ConfigException.class,
                () -> parse("NOTE=\"first line\nred \u001b[31mdo_not_print\"\n"));
        assertEquals("/etc/strategies/x/env.conf:2: the value of NOTE contains a control character (U+001B); "
                + "values must be text (tab, and newline inside quotes, are the only ones allowed)", escape.getMessage());
        ConfigException cr = assertThrows(ConfigException.class, () -> parse("PEM='a\r\nb'\r\n"));
        assertTrue(cr.getMessage().startsWith("/etc/strategies/x/env.conf:1: the value of PEM contains a control "
                + "character (U+000D)"), cr.getMessage());
        ConfigException delete = assertThrows(ConfigException.class, () -> parse("A=x\u007fy\n"));
        assertTrue(delete.getMessage().contains("(U+007F)"), delete.getMessage());
        assertEquals(Map.of("A", "a\tb", "B", "one\ntwo", "C", "x"), parse("A=a\tb\nB='one\ntwo'\nC=x\r\n"));
    }

    @Test
    void errorsNeverContainValues() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> parse("SECRET=tk_live_do_not_print\nbad key=1\n"));
        assertTrue(!e.getMessage().contains("tk_live_do_not_print"), e.getMessage());
    }
}
