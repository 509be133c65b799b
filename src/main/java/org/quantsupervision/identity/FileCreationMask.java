package org.quantsupervision.identity;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * The process's umask, which the JDK cannot set. Its own class, apart from {@link Posix}: a
 * runner links this one call at start, not the credential calls it never makes.
 */
public final class FileCreationMask {
    private FileCreationMask() {
    }

    /** Sets the umask to MASK (an octal mode such as 027); returns the one it replaces. */
    public static int set(int mask) {
        Linker linker = Linker.nativeLinker();
        MethodHandle umask = linker.downcallHandle(linker.defaultLookup().find("umask").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
        try {
            return (int) umask.invokeExact(mask);
        } catch (Throwable e) {
            throw new IllegalStateException("umask could not be called", e);
        }
    }
}
