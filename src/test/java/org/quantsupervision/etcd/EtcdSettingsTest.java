package org.quantsupervision.etcd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** What the settings accept, and the prefix ranges (no etcd needed). */
class EtcdSettingsTest {
    private static EtcdSettings of(String... endpoints) {
        return new EtcdSettings(java.util.Arrays.stream(endpoints).map(URI::create).toList(), Duration.ofSeconds(1),
                Optional.empty(), Optional.empty());
    }

    private static String refused(Runnable r) {
        return assertThrows(IllegalArgumentException.class, r::run).getMessage();
    }

    @Test
    void endpointsAreSchemeHostAndPortOnly() {
        assertEquals(List.of(URI.create("http://10.0.0.1:2379"), URI.create("https://etcd-1:2379")),
                of("http://10.0.0.1:2379/", "https://etcd-1:2379").endpoints());
        assertEquals("etcd endpoint http://etcd-1: expected http://host:port or https://host:port",
                refused(() -> of("http://etcd-1")));
        assertEquals("etcd endpoint http://etcd-1:2379/v3: expected http://host:port or https://host:port",
                refused(() -> of("http://etcd-1:2379/v3")));
        assertEquals("etcd endpoint unix:///run/etcd.sock: expected http://host:port or https://host:port",
                refused(() -> of("unix:///run/etcd.sock")));
        String withUser = refused(() -> of("http://root:hunter2@etcd-1:2379"));
        assertFalse(withUser.contains("hunter2"), withUser);
        assertEquals("etcd endpoints: expected at least one http(s)://host:port", refused(EtcdSettingsTest::of));
    }

    @Test
    void tlsNeedsHttpsAndACertificateItsKey() {
        EtcdSettings.Tls tls = new EtcdSettings.Tls(Path.of("/ca.pem"), Optional.empty(), Optional.empty());
        assertEquals("etcd endpoint http://etcd-1:2379: TLS files are set, expected https://", refused(
                () -> new EtcdSettings(List.of(URI.create("http://etcd-1:2379")), Duration.ofSeconds(1),
                        Optional.of(tls), Optional.empty())));
        refused(() -> new EtcdSettings.Tls(Path.of("/ca.pem"), Optional.of(Path.of("/c.pem")), Optional.empty()));
        refused(() -> new EtcdSettings(List.of(URI.create("http://etcd-1:2379")), Duration.ZERO, Optional.empty(),
                Optional.empty()));
    }

    @Test
    void aPrefixRangeEndsAfterItsLastKey() {
        assertArrayEquals(new byte[] {'a', 'c'}, KvCodec.prefixEnd(new byte[] {'a', 'b'}));
        assertArrayEquals(new byte[] {'b'}, KvCodec.prefixEnd(new byte[] {'a', (byte) 0xff}));
        assertArrayEquals(new byte[] {0}, KvCodec.prefixEnd(new byte[] {(byte) 0xff}));
        assertArrayEquals(new byte[] {0}, KvCodec.prefixEnd(new byte[0]));
    }
}
