package org.quantsupervision.health;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.quantsupervision.clock.Moment;
import org.quantsupervision.clock.MomentJson;
import org.quantsupervision.json.Json;

import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * health.json under /var/lib/quant-supervision-health/NAME/ (the checker's own), held under health.lock for a whole run so
 * that two runs (the service's and a manual one) take turns instead of both counting the same
 * failure or losing each other's writes. Written to a temporary file, synced and renamed: a
 * crash leaves the old state or the new one. A file that cannot be parsed is kept aside as
 * health.json.corrupt and the state rebuilt from scratch, which costs at most a few runs of
 * failure counting, never a run.
 *
 * <p>Each time is written as 0.1.0 wrote it, in epoch milliseconds ({@code last_restart},
 * {@code changes}, {@code opened}), and beside it as a {@link Moment} ({@code last_restart_moment},
 * {@code change_moments}, {@code opened_moment}) that the windows are measured with. A file of
 * 0.1.0 has only the former: its times are then known by the wall clock alone. The version stays
 * 1: the new fields are additions that a reader of 0.1.0 skips.
 *
 * <p>{@code state_file} (absent in a file of 0.1.0, or while there is no STATE_FILE) is what the
 * freshness check last saw of it: {@code path}, {@code mtime_ns}, {@code first_seen} and
 * {@code age_ms} (the age judged then), {@code checked} (the run that last looked).
 *
 * <p>{@code events} holds, per event check (crashes, hooks), what it has read of the runner's
 * events.jsonl and told of it ({@link HealthState.EventTrack}).
 */
final class HealthStateFile implements AutoCloseable {
    private static final int VERSION = 1;

    private final Path file;
    private final FileChannel lockChannel;
    private final FileLock lock;
    /**
     * The file as read, to skip rewriting it unchanged: most runs of a healthy strategy without
     * STATE_FILE. With one, every run rewrites it (the sighting's {@code checked} moves), a small
     * write and sync per strategy per run, the price of bounding a change by the time since.
     */
    private byte[] lastBytes = new byte[0];
    /** Set by {@link #read} when the file was corrupt. */
    private String problem = "";

    private HealthStateFile(Path file, FileChannel lockChannel, FileLock lock) {
        this.file = file;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /** Locks DIR's health state, waiting up to WAIT for another run to finish. */
    static HealthStateFile lock(Path dir, Duration wait) throws IOException {
        Files.createDirectories(dir);
        FileChannel channel = FileChannel.open(dir.resolve("health.lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        long deadline = System.nanoTime() + wait.toNanos();
        try {
            while (true) {
                FileLock lock;
                try {
                    lock = channel.tryLock();
                } catch (java.nio.channels.OverlappingFileLockException e) {
                    lock = null; // held by another thread of this process (--interval and a test)
                }
                if (lock != null) {
                    return new HealthStateFile(dir.resolve("health.json"), channel, lock);
                }
                if (System.nanoTime() > deadline) {
                    throw new IOException("another health run has held " + dir.resolve("health.lock") + " for "
                            + wait.toSeconds() + " s");
                }
                Thread.sleep(20);
            }
        } catch (InterruptedException e) {
            channel.close();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for " + dir.resolve("health.lock"));
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** What went wrong reading the file ("" if nothing). */
    String problem() {
        return problem;
    }

    HealthState read() throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return new HealthState();
        }
        try {
            HealthState state = parse(bytes);
            lastBytes = bytes;
            return state;
        } catch (RuntimeException e) {
            Path aside = file.resolveSibling("health.json.corrupt");
            Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
            problem = file + " was corrupt (" + e.getClass().getSimpleName() + "); kept as " + aside
                    + ", state rebuilt";
            return new HealthState();
        }
    }

    void write(HealthState state) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(1024);
        bytes.writeBytes(Json.bytes(g -> {
            g.writeStartObject();
            g.writeNumberProperty("version", VERSION);
            g.writeNumberProperty("child_pid", state.childPid);
            g.writeNumberProperty("child_start_time", state.childStartTime);
            g.writeNumberProperty("last_restart", state.lastRestart.wallMillis());
            MomentJson.write(g, "last_restart_moment", state.lastRestart);
            if (state.stateFile != null) {
                writeSighting(g, state.stateFile);
            }
            if (state.restartAtSeen != null) {
                g.writeStringProperty("restart_at_seen", state.restartAtSeen.toString());
            }
            if (!state.events.isEmpty()) {
                g.writeObjectPropertyStart("events");
                state.events.forEach((check, t) -> writeTrack(g, check, t));
                g.writeEndObject();
            }
            g.writeObjectPropertyStart("checks");
            for (Map.Entry<String, HealthState.CheckState> e : state.checks.entrySet()) {
                HealthState.CheckState c = e.getValue();
                g.writeObjectPropertyStart(e.getKey());
                g.writeStringProperty("status", c.status.name());
                g.writeNumberProperty("consecutive", c.consecutive);
                g.writeArrayPropertyStart("changes");
                for (Moment t : c.changes) {
                    g.writeNumber(t.wallMillis());
                }
                g.writeEndArray();
                g.writeArrayPropertyStart("change_moments");
                for (Moment t : c.changes) {
                    MomentJson.write(g, t);
                }
                g.writeEndArray();
                if (c.incident != null) {
                    HealthState.Incident i = c.incident;
                    g.writeObjectPropertyStart("incident");
                    g.writeNumberProperty("opened", i.opened.wallMillis());
                    MomentJson.write(g, "opened_moment", i.opened);
                    g.writeStringProperty("status", i.status.name());
                    g.writeBooleanProperty("flapping", i.flapping);
                    g.writeBooleanProperty("resolving", i.resolving);
                    g.writeStringProperty("summary", i.summary);
                    strings(g, "triggered", i.triggered);
                    strings(g, "resolved", i.resolved);
                    g.writeNumberProperty("attempts", i.attempts);
                    g.writeEndObject();
                }
                g.writeEndObject();
            }
            g.writeEndObject();
            g.writeEndObject();
        }));
        bytes.write('\n');
        if (java.util.Arrays.equals(bytes.toByteArray(), lastBytes)) {
            return; // nothing changed: no write, no sync
        }
        Path tmp = file.resolveSibling("health.json.tmp");
        try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
                OutputStream stream = java.nio.channels.Channels.newOutputStream(out)) {
            bytes.writeTo(stream);
            out.force(false);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            lockChannel.close();
        }
    }

    static HealthState parse(byte[] bytes) {
        HealthState state = new HealthState();
        long lastRestartMillis = 0;
        Moment lastRestart = null;
        try (JsonParser p = Json.parser(bytes)) {
            expect(p.nextToken(), JsonToken.START_OBJECT);
            while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                String name = p.currentName();
                p.nextToken();
                switch (name) {
                    case "version" -> {
                        if (p.getIntValue() != VERSION) {
                            throw new IllegalStateException("version " + p.getIntValue());
                        }
                    }
                    case "child_pid" -> state.childPid = p.getLongValue();
                    case "child_start_time" -> state.childStartTime = p.getLongValue();
                    case "last_restart" -> lastRestartMillis = p.getLongValue();
                    case "last_restart_moment" -> lastRestart = MomentJson.read(p);
                    case "state_file" -> state.stateFile = sighting(p);
                    case "restart_at_seen" -> state.restartAtSeen = java.time.Instant.parse(p.getString());
                    case "events" -> {
                        expect(p.currentToken(), JsonToken.START_OBJECT);
                        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                            String check = p.currentName();
                            expect(p.nextToken(), JsonToken.START_OBJECT);
                            state.events.put(check, track(p));
                        }
                    }
                    case "checks" -> {
                        expect(p.currentToken(), JsonToken.START_OBJECT);
                        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                            String check = p.currentName();
                            expect(p.nextToken(), JsonToken.START_OBJECT);
                            state.checks.put(check, checkState(p));
                        }
                    }
                    default -> p.skipChildren();
                }
            }
            if (p.nextToken() != null) {
                throw new IllegalStateException("trailing data");
            }
        }
        state.lastRestart = lastRestart != null ? lastRestart : Moment.wallOnly(lastRestartMillis);
        return state;
    }

    private static void writeSighting(JsonGenerator g, StateFileSighting s) {
        g.writeObjectPropertyStart("state_file");
        g.writeStringProperty("path", s.path());
        g.writeNumberProperty("mtime_ns", s.mtimeNanos());
        MomentJson.write(g, "first_seen", s.firstSeen());
        g.writeNumberProperty("age_ms", s.ageMillisWhenFirstSeen());
        MomentJson.write(g, "checked", s.checked());
        g.writeEndObject();
    }

    private static void writeTrack(JsonGenerator g, String check, HealthState.EventTrack t) {
        g.writeObjectPropertyStart(check);
        if (t.cursor != null) {
            g.writeStringProperty("cursor", t.cursor.toString());
        }
        g.writeStringProperty("file_key", t.fileKey);
        g.writeNumberProperty("file_size", t.fileSize);
        MomentJson.write(g, "last_seen", t.lastSeen);
        if (t.lastAt != null) {
            g.writeStringProperty("last_at", t.lastAt.toString());
        }
        g.writeStringProperty("last", t.last);
        g.writeArrayPropertyStart("output");
        t.output.forEach(g::writeString);
        g.writeEndArray();
        g.writeArrayPropertyStart("recent");
        t.recent.forEach(at -> g.writeNumber(at.toEpochMilli()));
        g.writeEndArray();
        g.writeNumberProperty("unreported", t.unreported);
        MomentJson.write(g, "last_told", t.lastTold);
        g.writeEndObject();
    }

    private static HealthState.EventTrack track(JsonParser p) {
        HealthState.EventTrack t = new HealthState.EventTrack();
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
            String name = p.currentName();
            p.nextToken();
            switch (name) {
                case "cursor" -> t.cursor = java.time.Instant.parse(p.getString());
                case "file_key" -> t.fileKey = p.getString();
                case "file_size" -> t.fileSize = p.getLongValue();
                case "last_seen" -> t.lastSeen = MomentJson.read(p);
                case "last_at" -> t.lastAt = java.time.Instant.parse(p.getString());
                case "last" -> t.last = p.getString();
                case "output" -> {
                    expect(p.currentToken(), JsonToken.START_ARRAY);
                    List<String> output = new ArrayList<>();
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        output.add(p.getString());
                    }
                    t.output = List.copyOf(output);
                }
                case "recent" -> {
                    expect(p.currentToken(), JsonToken.START_ARRAY);
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        t.recent.add(java.time.Instant.ofEpochMilli(p.getLongValue()));
                    }
                }
                case "unreported" -> t.unreported = p.getIntValue();
                case "last_told" -> t.lastTold = MomentJson.read(p);
                default -> p.skipChildren();
            }
        }
        return t;
    }

    /** The sighting at P's START_OBJECT; null (a first sighting next run) if a part is missing. */
    private static StateFileSighting sighting(JsonParser p) {
        expect(p.currentToken(), JsonToken.START_OBJECT);
        String path = null;
        Long mtime = null;
        long age = 0;
        Moment firstSeen = null, checked = null;
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
            String name = p.currentName();
            p.nextToken();
            switch (name) {
                case "path" -> path = p.getString();
                case "mtime_ns" -> mtime = p.getLongValue();
                case "first_seen" -> firstSeen = MomentJson.read(p);
                case "age_ms" -> age = p.getLongValue();
                case "checked" -> checked = MomentJson.read(p);
                default -> p.skipChildren();
            }
        }
        if (path == null || mtime == null || firstSeen == null || checked == null || age < 0) {
            return null;
        }
        return new StateFileSighting(path, mtime, firstSeen, age, checked);
    }

    private static HealthState.CheckState checkState(JsonParser p) {
        HealthState.CheckState c = new HealthState.CheckState();
        List<Long> changes = new ArrayList<>();
        List<Moment> moments = null;
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
            String name = p.currentName();
            p.nextToken();
            switch (name) {
                case "status" -> c.status = Status.valueOf(p.getString());
                case "consecutive" -> c.consecutive = p.getIntValue();
                case "changes" -> {
                    expect(p.currentToken(), JsonToken.START_ARRAY);
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        changes.add(p.getLongValue());
                    }
                }
                case "change_moments" -> {
                    expect(p.currentToken(), JsonToken.START_ARRAY);
                    moments = new ArrayList<>();
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        moments.add(MomentJson.read(p));
                    }
                }
                case "incident" -> {
                    expect(p.currentToken(), JsonToken.START_OBJECT);
                    c.incident = incident(p);
                }
                default -> p.skipChildren();
            }
        }
        if (moments != null) {
            c.changes.addAll(moments);
        } else {
            changes.forEach(t -> c.changes.add(Moment.wallOnly(t)));
        }
        return c;
    }

    private static HealthState.Incident incident(JsonParser p) {
        HealthState.Incident i = new HealthState.Incident();
        long openedMillis = 0;
        Moment opened = null;
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
            String name = p.currentName();
            p.nextToken();
            switch (name) {
                case "opened" -> openedMillis = p.getLongValue();
                case "opened_moment" -> opened = MomentJson.read(p);
                case "status" -> i.status = Status.valueOf(p.getString());
                case "flapping" -> i.flapping = p.getBooleanValue();
                case "resolving" -> i.resolving = p.getBooleanValue();
                case "summary" -> i.summary = p.getString();
                case "triggered" -> strings(p, i.triggered);
                case "resolved" -> strings(p, i.resolved);
                case "attempts" -> i.attempts = p.getIntValue();
                default -> p.skipChildren();
            }
        }
        i.opened = opened != null ? opened : Moment.wallOnly(openedMillis);
        return i;
    }

    private static void strings(JsonGenerator g, String name, java.util.Set<String> values) {
        g.writeArrayPropertyStart(name);
        for (String v : values) {
            g.writeString(v);
        }
        g.writeEndArray();
    }

    private static void strings(JsonParser p, java.util.Set<String> into) {
        expect(p.currentToken(), JsonToken.START_ARRAY);
        while (p.nextToken() != JsonToken.END_ARRAY) {
            into.add(p.getString());
        }
    }

    private static void expect(JsonToken actual, JsonToken expected) {
        if (actual != expected) {
            throw new IllegalStateException("expected " + expected + ", found " + actual);
        }
    }
}
