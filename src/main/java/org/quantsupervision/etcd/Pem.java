package org.quantsupervision.etcd;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * The PEM armour (RFC 7468): {@code -----BEGIN LABEL-----}, base64, {@code -----END LABEL-----},
 * with any text between the blocks. Written here because JDK 25's PEM API (JEP 470) is a preview
 * and the project adds no jar for it; reading the armour is all it takes, the DER inside goes to
 * the JDK's CertificateFactory and KeyFactory. Errors are one line naming the file (WHAT says
 * which: "etcd TLS CA file") and what is expected, never the content (it may be a key).
 */
final class Pem {
    /** One block: its LABEL ("CERTIFICATE", "PRIVATE KEY") and the DER it armours. */
    // Never compared nor shown; the DER stays shared so that a key's can be zeroed after use.
    @SuppressWarnings("ArrayRecordComponent")
    record Block(String label, byte[] der) {
    }

    private Pem() {
    }

    /** FILE's blocks, at least one. */
    static List<Block> read(Path file, String what) throws EtcdException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw error(what, file, "no such file");
        } catch (AccessDeniedException e) {
            throw error(what, file, "permission denied");
        } catch (IOException e) {
            throw error(what, file, "cannot be read (" + e.getClass().getSimpleName() + ")");
        }
        String text = new String(bytes, StandardCharsets.US_ASCII);
        Arrays.fill(bytes, (byte) 0);
        List<Block> blocks = new ArrayList<>();
        String label = null;
        StringBuilder base64 = new StringBuilder();
        int lineNumber = 0;
        for (String line : text.split("\r?\n", -1)) {
            lineNumber++;
            String l = line.strip();
            if (label == null) {
                if (l.startsWith("-----BEGIN ") && l.endsWith("-----") && l.length() > 16) {
                    label = l.substring(11, l.length() - 5);
                    base64.setLength(0);
                }
            } else if (l.equals("-----END " + label + "-----")) {
                try {
                    blocks.add(new Block(label, Base64.getMimeDecoder().decode(base64.toString())));
                } catch (IllegalArgumentException e) {
                    throw error(what, file, "the " + label + " block ending on line " + lineNumber + " is not base64");
                }
                label = null;
                base64.setLength(0);
            } else if (l.startsWith("-----")) {
                throw error(what, file, "line " + lineNumber + ": expected -----END " + label + "-----");
            } else if (l.contains(":")) {
                // RFC 1421 headers (Proc-Type, DEK-Info): OpenSSL's encrypted traditional keys.
                throw error(what, file, "the " + label + " block is encrypted: decrypt it with"
                        + " `openssl pkcs8 -topk8 -nocrypt -in " + file + " -out KEY.pem`");
            } else {
                base64.append(l);
            }
        }
        base64.setLength(0);
        if (label != null) {
            throw error(what, file, "the " + label + " block has no -----END " + label + "----- line");
        }
        if (blocks.isEmpty()) {
            throw error(what, file, "no PEM block: expected -----BEGIN ...----- lines");
        }
        return blocks;
    }

    static EtcdException error(String what, Path file, String detail) {
        return new EtcdException(EtcdException.Kind.TLS, what + " " + file + ": " + detail);
    }
}
