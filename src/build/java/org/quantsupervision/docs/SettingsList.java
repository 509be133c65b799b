package org.quantsupervision.docs;

import org.quantsupervision.config.Setting;

/**
 * The man page's list of env.conf keys, written from the registry ({@link Setting}) where a
 * fragment holds the line {@value #MARKER}: each key's type, default and reader come from the one
 * place the code reads them from.
 */
final class SettingsList {
    static final String MARKER = ".\\\" @SETTINGS@";

    private SettingsList() {
    }

    static String troff() {
        StringBuilder out = new StringBuilder();
        for (Setting.Layer layer : Setting.Layer.values()) {
            out.append(".SS \"Keys of ").append(ManPages.escape(layer.reader())).append("\"\n");
            for (Setting s : Setting.of(layer)) {
                out.append(".TP\n.B ").append(ManPages.escape(s.key())).append('\n');
                out.append(ManPages.escape(capitalized(s.doc()))).append(".\n");
                out.append(ManPages.escape(capitalized(s.kind().written())));
                out.append(s.defaultValue().isEmpty() ? "; unset by default"
                        : "; default \\fB" + ManPages.escape(s.defaultValue()) + "\\fR");
                s.example().ifPresent(e -> out.append("; e.g. \\fB").append(ManPages.escape(e)).append("\\fR"));
                out.append(".\n");
            }
        }
        return out.toString();
    }

    private static String capitalized(String text) {
        return Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }
}
