package org.quantsupervision.identity;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.Optional;

/**
 * The libc calls that change a process's credentials, which the JDK has none of: getpwnam(3),
 * initgroups(3), setresgid(2), setresuid(2). Through glibc, not raw syscalls: glibc applies a
 * credential change to every thread of the process (the JVM's GC and compiler threads too),
 * as POSIX requires; the raw syscall would change the calling thread only.
 */
final class Posix {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CALL_STATE.varHandle(PathElement.groupElement("errno"));
    private static final MethodHandle GETPWNAM = function("getpwnam",
            FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS));
    private static final MethodHandle INITGROUPS = function("initgroups",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
    private static final MethodHandle SETRESGID = function("setresgid", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    private static final MethodHandle SETRESUID = function("setresuid", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    private static final MethodHandle GETUID = LINKER.downcallHandle(LINKER.defaultLookup().find("getuid").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT));
    private static final MethodHandle GETEUID = LINKER.downcallHandle(LINKER.defaultLookup().find("geteuid").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT));
    /**
     * struct passwd on LP64 glibc: char *pw_name, char *pw_passwd, uid_t pw_uid, gid_t pw_gid, ...
     * Only the two ids are read.
     */
    private static final long PW_UID = 16;
    private static final long PW_GID = 20;

    private Posix() {
    }

    private static MethodHandle function(String name, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(), descriptor,
                Linker.Option.captureCallState("errno"));
    }

    /** The uid and primary gid of NAME from the passwd database (files, LDAP: whatever NSS says). */
    static Optional<int[]> lookup(String name) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            MemorySegment entry = (MemorySegment) GETPWNAM.invokeExact(state, arena.allocateFrom(name));
            if (entry.equals(MemorySegment.NULL)) {
                return Optional.empty();
            }
            MemorySegment passwd = entry.reinterpret(PW_GID + 4);
            return Optional.of(new int[] {passwd.get(ValueLayout.JAVA_INT, PW_UID), passwd.get(ValueLayout.JAVA_INT, PW_GID)});
        } catch (Throwable e) {
            throw new IllegalStateException("getpwnam could not be called", e);
        }
    }

    /** initgroups(3): the supplementary groups of NAME, plus GID. @return 0 or the errno */
    static int initgroups0(String name, int gid) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            int result = (int) INITGROUPS.invokeExact(state, arena.allocateFrom(name), gid);
            return result == 0 ? 0 : (int) ERRNO.get(state, 0L);
        } catch (Throwable e) {
            throw new IllegalStateException("initgroups could not be called", e);
        }
    }

    /** setresgid(2) with all three ids GID. @return 0 or the errno */
    static int setresgid0(int gid) {
        return ids(SETRESGID, gid, "setresgid");
    }

    /** setresuid(2) with all three ids UID. @return 0 or the errno */
    static int setresuid0(int uid) {
        return ids(SETRESUID, uid, "setresuid");
    }

    private static int ids(MethodHandle call, int id, String what) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            int result = (int) call.invokeExact(state, id, id, id);
            return result == 0 ? 0 : (int) ERRNO.get(state, 0L);
        } catch (Throwable e) {
            throw new IllegalStateException(what + " could not be called", e);
        }
    }

    static int getuid() {
        try {
            return (int) GETUID.invokeExact();
        } catch (Throwable e) {
            throw new IllegalStateException("getuid could not be called", e);
        }
    }

    static int geteuid() {
        try {
            return (int) GETEUID.invokeExact();
        } catch (Throwable e) {
            throw new IllegalStateException("geteuid could not be called", e);
        }
    }
}
