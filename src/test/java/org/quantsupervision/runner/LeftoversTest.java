package org.quantsupervision.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quantsupervision.manager.Manager;

/** Which processes count as a strategy's: the unit's cgroup only when it is the runner's own unit's. */
class LeftoversTest {
    private static final String UNIT = "quant-strategy@alpha.service";
    private static final String PATH = "system.slice/system-quant\\x2dstrategy.slice/" + UNIT;

    @TempDir
    Path dir;

    private Path cgroupFile(String text) throws Exception {
        return Files.writeString(dir.resolve("cgroup"), text);
    }

    private Path procs(Path root) throws Exception {
        return Files.writeString(Files.createDirectories(root.resolve(PATH)).resolve("cgroup.procs"), "1\n");
    }

    @Test
    void theRunnersOwnUnitsCgroupUnderSystemd() throws Exception {
        Path procs = procs(dir.resolve("sys"));
        Path self = cgroupFile("0::/" + PATH + "\n");
        assertEquals(Optional.of(procs), Leftovers.unitCgroup(new Manager("systemd", UNIT, "", ""), self, dir.resolve("sys")));
    }

    @Test
    void aHybridHostsV1LinesAreSkipped() throws Exception {
        Path procs = procs(dir.resolve("unified"));
        Path self = cgroupFile("9:name=systemd:/" + PATH + "\n4:memory:/\n0::/" + PATH + "\n");
        assertEquals(Optional.of(procs), Leftovers.unitCgroup(new Manager("systemd", UNIT, "", ""), self, dir.resolve("unified")));
    }

    @Test
    void neverSupervisordsOrASessionsCgroup() throws Exception {
        procs(dir.resolve("sys"));
        Path self = cgroupFile("0::/system.slice/supervisor.service\n");
        Manager supervisord = new Manager("supervisord", "", "unix:///run/supervisor.sock", "quant-strategy-alpha:quant-strategy-alpha");
        assertEquals(Optional.empty(), Leftovers.unitCgroup(supervisord, self, dir.resolve("sys")));
        Path inSession = cgroupFile("0::/user.slice/user-0.slice/session-1.scope\n");
        assertEquals(Optional.empty(), Leftovers.unitCgroup(new Manager("systemd", "session-1.scope", "", ""), inSession,
                dir.resolve("sys")));
        // A unit of another strategy named in runner.json's manager but not the runner's own cgroup.
        assertEquals(Optional.empty(), Leftovers.unitCgroup(new Manager("systemd", UNIT, "", ""),
                cgroupFile("0::/system.slice/system-quant\\x2dstrategy.slice/quant-strategy@beta.service\n"), dir.resolve("sys")));
    }
}
