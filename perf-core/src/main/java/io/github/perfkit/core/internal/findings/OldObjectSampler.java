package io.github.perfkit.core.internal.findings;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedClass;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedObject;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JFR's old-object sampler ({@code jdk.OldObjectSample}) switched on only while the heap after GC is
 * rising: JFR keeps a small, weighted sample (256) of objects that stay alive, with their allocation stack;
 * when the recording stops it emits them with the reference chain to their GC root. That names what holds
 * the leaking objects (typically a static field and the collection under it), which a class histogram
 * cannot. On JDK 17 the samples lose their allocation stacks while another recording streams (as the
 * diagnosis does); the allocation site then comes from the allocation samples of the leaking class.
 *
 * <p>The path search is bounded by JFR's {@code cutoff} ({@value #CUTOFF}); the recording is bounded in
 * size and lives in a temporary file deleted after it is read. Used on the diagnosis thread only.
 */
final class OldObjectSampler {

    private static final Logger LOG = LoggerFactory.getLogger(OldObjectSampler.class);
    static final String CUTOFF = "2 s";
    private static final int MAX_PATH = 12;

    private @Nullable Recording recording;

    /** What the samples say about the leaking type. */
    record Result(String type, int samples, int totalSamples, @Nullable String site, @Nullable String root,
            List<String> pathToRoot, List<String> stack) {}

    boolean running() {
        return recording != null;
    }

    void start() {
        if (recording != null) {
            return;
        }
        try {
            Recording r = new Recording();
            r.setName("perfkit-old-objects");
            r.enable("jdk.OldObjectSample").withStackTrace().with("cutoff", CUTOFF);
            r.setToDisk(true);
            r.setMaxSize(16L * 1024 * 1024);
            r.start();
            recording = r;
        } catch (RuntimeException e) {
            LOG.debug("Perfkit: the JFR old-object sampler could not start", e);
        }
    }

    void stop() {
        Recording r = recording;
        recording = null;
        if (r != null) {
            try {
                r.close();
            } catch (RuntimeException e) {
                LOG.debug("Perfkit: closing the old-object recording failed", e);
            }
        }
    }

    /**
     * Stops the sampler (JFR then emits the samples with their paths to GC roots) and reads what it kept.
     *
     * @param suspectType the class the histogram diff blames, or null to take the most sampled type
     * @param culprit names the first application frame of an allocation stack
     * @param stackOf renders a stack for the finding
     * @return the result, or null when nothing was sampled or JFR failed
     */
    @Nullable Result harvest(@Nullable String suspectType, Function<@Nullable RecordedStackTrace, @Nullable String> culprit,
            Function<@Nullable RecordedStackTrace, List<String>> stackOf) {
        Recording r = recording;
        recording = null;
        if (r == null) {
            return null;
        }
        Path file = null;
        try {
            r.stop();
            file = Files.createTempFile("perfkit-old-objects", ".jfr");
            r.dump(file);
            List<RecordedEvent> samples = new ArrayList<>();
            for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
                if (e.getEventType().getName().equals("jdk.OldObjectSample") && samples.size() < 1024) {
                    samples.add(e);
                }
            }
            return analyse(samples, suspectType, culprit, stackOf);
        } catch (IOException | RuntimeException e) {
            LOG.debug("Perfkit: reading the old-object samples failed", e);
            return null;
        } finally {
            r.close();
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    LOG.debug("Perfkit: could not delete {}", file, e);
                }
            }
        }
    }

    static @Nullable Result analyse(List<RecordedEvent> samples, @Nullable String suspectType,
            Function<@Nullable RecordedStackTrace, @Nullable String> culprit,
            Function<@Nullable RecordedStackTrace, List<String>> stackOf) {
        Map<String, Integer> byType = new HashMap<>();
        for (RecordedEvent e : samples) {
            String type = typeOf(e.getValue("object"));
            if (type != null) {
                byType.merge(type, 1, Integer::sum);
            }
        }
        String type = suspectType != null && byType.containsKey(suspectType) ? suspectType
                : byType.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse(null);
        if (type == null) {
            return null;
        }
        Map<String, Integer> sites = new HashMap<>();
        RecordedEvent example = null;
        String root = null;
        List<String> path = List.of();
        for (RecordedEvent e : samples) {
            if (!type.equals(typeOf(e.getValue("object")))) {
                continue;
            }
            String site = culprit.apply(e.getStackTrace());
            if (site != null) {
                sites.merge(site, 1, Integer::sum);
            }
            RecordedObject gcRoot = e.getValue("root");
            if (root == null && gcRoot != null) {
                root = describeRoot(gcRoot);
                path = path(e.getValue("object"));
                example = e;
            } else if (example == null) {
                example = e;
            }
        }
        String site = sites.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse(null);
        return new Result(type, byType.get(type), samples.size(), site, root, path,
                example == null ? List.of() : stackOf.apply(example.getStackTrace()));
    }

    private static @Nullable String typeOf(@Nullable RecordedObject oldObject) {
        if (oldObject == null) {
            return null;
        }
        RecordedClass c = oldObject.getValue("type");
        return c == null ? null : c.getName();
    }

    /** "Class Loader: system class loader (static field Workloads.RETAINED)"-style description of a root. */
    private static String describeRoot(RecordedObject root) {
        StringBuilder b = new StringBuilder();
        String system = root.getString("system");
        String type = root.getString("type");
        String description = root.getString("description");
        b.append(system == null ? "GC root" : system);
        if (type != null && !type.isEmpty()) {
            b.append(" / ").append(type);
        }
        if (description != null && !description.isEmpty()) {
            b.append(": ").append(description);
        }
        return b.toString();
    }

    /** The chain from the sampled object up towards its root: "Type.field" or "Type[index]" per step. */
    private static List<String> path(@Nullable RecordedObject object) {
        List<String> steps = new ArrayList<>();
        RecordedObject current = object;
        while (current != null && steps.size() < MAX_PATH) {
            RecordedObject referrer = current.getValue("referrer");
            if (referrer == null) {
                break;
            }
            RecordedObject holder = referrer.getValue("object");
            String holderType = typeOf(holder);
            if (holderType == null) {
                break;
            }
            RecordedObject field = referrer.getValue("field");
            RecordedObject array = referrer.getValue("array");
            int skip = referrer.getInt("skip");
            if ("java.lang.Class".equals(holderType) && field != null && field.getString("name") != null) {
                // A static field: the class holding it is named in the mirror's description. This is the
                // useful end of the chain (the class loader beyond it holds every class).
                String description = holder.getString("description");
                String owner = description != null && description.startsWith("Class Name: ")
                        ? description.substring("Class Name: ".length()) : "?";
                steps.add("static " + owner + "." + field.getString("name"));
                break;
            } else if (field != null && field.getString("name") != null) {
                steps.add(holderType + "." + field.getString("name"));
            } else if (array != null) {
                steps.add(holderType + "[" + array.getInt("index") + "]");
            } else {
                steps.add(holderType);
            }
            if (skip > 0) {
                steps.add("… " + skip + " more");
            }
            current = holder;
        }
        return List.copyOf(steps);
    }
}
