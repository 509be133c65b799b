package org.quantsupervision.config;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads a file in systemd's EnvironmentFile= syntax, the format of
 * /etc/strategies/NAME/env.conf, exactly as systemd does (src/basic/env-file.c), so that a
 * file behaves the same under the runner as under EnvironmentFile=.
 *
 * <p>Hand-written because no library implements this syntax: it is neither a shell (no
 * expansion, no "export") nor Java properties. Its rules: leading blanks are skipped; lines
 * whose first non-blank is '#' or ';' are comments; KEY=VALUE with blanks around KEY and
 * before VALUE dropped; an unquoted value loses its trailing blanks, and '\' escapes the next
 * character ('\' at the end of a line continues it); '...' takes everything literally, across
 * lines; "..." unescapes \" \\ \` \$ and a newline, and keeps any other backslash; quoted and
 * unquoted parts concatenate; a later assignment of a key wins. Lines without '=' are ignored.
 *
 * <p>Where systemd would silently ignore something, this parser rejects the file instead, with
 * the line: a key that is not a valid variable name, invalid UTF-8, and a comment ending in a
 * backslash (systemd &lt; 254 continues such a comment onto the next line, 254 and later do
 * not: the same file would mean two different things). It also rejects a value holding a
 * control character other than tab and newline (a NUL, ESC, CR: see appendValue).
 * No error quotes a value: env.conf holds secrets.
 */
public final class EnvironmentFile {
    private static final Pattern VALID_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private enum State {
        PRE_KEY, KEY, PRE_VALUE, VALUE, VALUE_ESCAPE, SINGLE_QUOTE_VALUE, DOUBLE_QUOTE_VALUE,
        DOUBLE_QUOTE_VALUE_ESCAPE, COMMENT, COMMENT_ESCAPE
    }

    private EnvironmentFile() {
    }

    /** Parses the bytes of FILE (named in errors), in order of first assignment. */
    public static Map<String, String> parse(Path file, byte[] bytes) throws ConfigException {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new ConfigException(file, 0, "not valid UTF-8; expected a UTF-8 text file");
        }
        return new Parser(file).parse(text);
    }

    private static final class Parser {
        private final Path file;
        private final Map<String, String> result = new LinkedHashMap<>();
        private final StringBuilder key = new StringBuilder();
        private final StringBuilder value = new StringBuilder();
        private int line = 1;
        private int keyLine = 1;
        /** Length of key/value before their trailing blanks, or -1 if they end in a non-blank. */
        private int keyTrailingBlank = -1;
        private int valueTrailingBlank = -1;

        Parser(Path file) {
            this.file = file;
        }

        Map<String, String> parse(String text) throws ConfigException {
            State state = State.PRE_KEY;
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                boolean newline = c == '\n' || c == '\r';
                switch (state) {
                    case PRE_KEY -> {
                        if (c == '#' || c == ';') {
                            state = State.COMMENT;
                        } else if (!isBlank(c)) {
                            state = State.KEY;
                            keyLine = line;
                            keyTrailingBlank = -1;
                            key.append(c);
                        }
                    }
                    case KEY -> {
                        if (newline) {
                            state = State.PRE_KEY; // a line without '=': ignored, as systemd does
                            key.setLength(0);
                        } else if (c == '=') {
                            state = State.PRE_VALUE;
                            valueTrailingBlank = -1;
                        } else {
                            if (!isBlank(c)) {
                                keyTrailingBlank = -1;
                            } else if (keyTrailingBlank < 0) {
                                keyTrailingBlank = key.length();
                            }
                            key.append(c);
                        }
                    }
                    case PRE_VALUE -> {
                        if (newline) {
                            state = State.PRE_KEY;
                            push(false);
                        } else if (c == '\'') {
                            state = State.SINGLE_QUOTE_VALUE;
                        } else if (c == '"') {
                            state = State.DOUBLE_QUOTE_VALUE;
                        } else if (c == '\\') {
                            state = State.VALUE_ESCAPE;
                        } else if (!isBlank(c)) {
                            state = State.VALUE;
                            appendValue(c);
                        }
                    }
                    case VALUE -> {
                        if (newline) {
                            state = State.PRE_KEY;
                            push(true);
                        } else if (c == '\\') {
                            state = State.VALUE_ESCAPE;
                            valueTrailingBlank = -1;
                        } else {
                            if (!isBlank(c)) {
                                valueTrailingBlank = -1;
                            } else if (valueTrailingBlank < 0) {
                                valueTrailingBlank = value.length();
                            }
                            appendValue(c);
                        }
                    }
                    case VALUE_ESCAPE -> {
                        state = State.VALUE;
                        if (!newline) {
                            appendValue(c);
                        }
                    }
                    case SINGLE_QUOTE_VALUE -> {
                        if (c == '\'') {
                            state = State.PRE_VALUE;
                        } else {
                            appendValue(c);
                        }
                    }
                    case DOUBLE_QUOTE_VALUE -> {
                        if (c == '"') {
                            state = State.PRE_VALUE;
                        } else if (c == '\\') {
                            state = State.DOUBLE_QUOTE_VALUE_ESCAPE;
                        } else {
                            appendValue(c);
                        }
                    }
                    case DOUBLE_QUOTE_VALUE_ESCAPE -> {
                        state = State.DOUBLE_QUOTE_VALUE;
                        if (c == '"' || c == '\\' || c == '`' || c == '$') {
                            appendValue(c);
                        } else if (c != '\n') {
                            appendValue('\\'); // kept, as a shell keeps it
                            appendValue(c);
                        }
                    }
                    case COMMENT -> {
                        if (c == '\\') {
                            state = State.COMMENT_ESCAPE;
                        } else if (newline) {
                            state = State.PRE_KEY;
                        }
                    }
                    case COMMENT_ESCAPE -> {
                        if (newline) {
                            throw new ConfigException(file, line, "a comment ends in '\\', which systemd before "
                                    + "version 254 reads as continuing onto the next line and later versions do "
                                    + "not; expected no backslash at the end of a comment");
                        }
                        state = State.COMMENT;
                    }
                }
                if (c == '\n') {
                    line++;
                }
            }
            switch (state) {
                case PRE_VALUE, VALUE, VALUE_ESCAPE, SINGLE_QUOTE_VALUE, DOUBLE_QUOTE_VALUE,
                        DOUBLE_QUOTE_VALUE_ESCAPE -> push(state == State.VALUE);
                default -> {
                }
            }
            return result;
        }

        private void push(boolean chompValue) throws ConfigException {
            if (chompValue && valueTrailingBlank >= 0) {
                value.setLength(valueTrailingBlank);
            }
            String name = checkedKey();
            result.put(name, value.toString()); // a later assignment wins
            key.setLength(0);
            value.setLength(0);
        }

        /**
         * Adds C to the value, unless it is a control character other than tab or newline: a NUL
         * makes ProcessBuilder fail with an error that quotes the whole value (a secret) into the
         * journal and health output, and others (ESC, backspace) rewrite a terminal showing any
         * message that quotes it. CR is refused too: it reaches a value only inside quotes, from a
         * multi-line value saved with Windows line ends, where nobody means it, and on a terminal
         * it hides what came before it. Newline stays: a quoted value may span lines (a PEM key).
         */
        private void appendValue(char c) throws ConfigException {
            if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7f) {
                String name = checkedKey();
                throw new ConfigException(file, line, "the value of " + name + " contains " + (c == 0
                        ? "a NUL byte; values must be text"
                        : String.format("a control character (U+%04X); values must be text (tab, and newline "
                                + "inside quotes, are the only ones allowed)", (int) c)));
            }
            value.append(c);
        }

        /** The key being read, without its trailing blanks, if it is a valid name. */
        private String checkedKey() throws ConfigException {
            String name = keyTrailingBlank >= 0 ? key.substring(0, keyTrailingBlank) : key.toString();
            if (!VALID_NAME.matcher(name).matches()) {
                // The text is not quoted, not even in part: a line that is not KEY=VALUE is often a
                // secret pasted without its key, or a PEM body (base64 ends in '=').
                throw new ConfigException(file, keyLine, "not KEY=VALUE: the text before '=' is not a valid "
                        + "variable name; expected letters, digits and '_', not starting with a digit (no 'export'); "
                        + "the text is not shown, it may be a secret");
            }
            return name;
        }

        private static boolean isBlank(char c) {
            return c == ' ' || c == '\t' || c == '\n' || c == '\r';
        }
    }
}
