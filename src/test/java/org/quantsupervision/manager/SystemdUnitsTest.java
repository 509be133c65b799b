package org.quantsupervision.manager;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.junit.jupiter.api.Test;

class SystemdUnitsTest {
    @Test
    void everyBlockOfSystemctlShowIsReadTheLastOneToo() {
        // As systemd 252 prints it (taken from the Debian 12 container).
        String text = """
                NRestarts=0
                Id=cron.service
                LoadState=loaded
                ActiveState=active
                SubState=running

                NextElapseUSecRealtime=
                LastTriggerUSec=
                Id=apt-daily.timer
                LoadState=masked
                ActiveState=inactive
                """;
        Map<String, Map<String, String>> units = SystemdUnits.parse(text);
        assertEquals("active", units.get("cron.service").get("ActiveState"));
        assertEquals("inactive", units.get("apt-daily.timer").get("ActiveState"));
        assertEquals("", units.get("apt-daily.timer").get("LastTriggerUSec"));
    }

    @Test
    void theUnitOfACgroupPath() throws Exception {
        java.nio.file.Path f = java.nio.file.Files.createTempFile("cgroup", "");
        java.nio.file.Files.writeString(f, "0::/system.slice/system-quant\\x2dstrategy.slice/quant-strategy@mr.service\n");
        assertEquals("quant-strategy@mr.service", Manager.unitOf(f));
        java.nio.file.Files.delete(f);
    }
}
