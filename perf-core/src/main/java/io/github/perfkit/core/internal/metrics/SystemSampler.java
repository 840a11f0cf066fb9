package io.github.perfkit.core.internal.metrics;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import oshi.SystemInfo;
import oshi.hardware.CentralProcessor;
import oshi.hardware.GlobalMemory;
import oshi.hardware.HWDiskStore;
import oshi.hardware.HardwareAbstractionLayer;
import oshi.hardware.NetworkIF;
import oshi.hardware.VirtualMemory;
import oshi.software.os.OSFileStore;
import oshi.software.os.OSProcess;
import oshi.software.os.OperatingSystem;

/**
 * Reads the operating system through OSHI (the only class of Perfkit that touches OSHI, so the
 * dependency stays confined) and turns raw counters into an immutable {@link SystemSnapshot}. The sets
 * of file stores, disks and network interfaces are chosen once, at construction, and capped. Not
 * thread-safe by itself: {@link #sample()} is called under the owner's lock.
 */
public final class SystemSampler {

    private static final Logger LOG = LoggerFactory.getLogger(SystemSampler.class);

    /** Cap on the file stores reported. */
    public static final int MAX_FILE_STORES = 16;
    /** Cap on the network interfaces reported. */
    public static final int MAX_NETWORK_INTERFACES = 8;
    /** Cap on the disks summed for I/O rates. */
    public static final int MAX_DISKS = 32;

    // File systems that hold no user data; "overlay" is kept only when it is mounted at "/" (containers).
    private static final Set<String> PSEUDO_FS = Set.of("tmpfs", "devtmpfs", "proc", "sysfs", "cgroup", "cgroup2",
            "devpts", "mqueue", "squashfs", "autofs", "securityfs", "debugfs", "tracefs", "nsfs", "fusectl",
            "configfs", "pstore", "bpf", "hugetlbfs", "binfmt_misc", "ramfs", "efivarfs", "overlay", "rpc_pipefs",
            "nfsd", "selinuxfs", "fuse.lxcfs", "iso9660", "udf");
    // Block devices that are views of other devices (summing them would count bytes twice) or not disks.
    private static final String[] VIRTUAL_DISK_PREFIXES = {"loop", "ram", "zram", "dm-", "md", "sr", "fd", "nbd"};

    private final FailureLog failures = new FailureLog(LOG);
    private final @Nullable CentralProcessor processor;
    private final @Nullable GlobalMemory memory;
    private final @Nullable OSProcess process;
    private final List<OSFileStore> fileStores;
    private final List<HWDiskStore> disks;
    private final List<NetworkIF> interfaces;
    private final int cpuCount;

    private long @Nullable [] prevTicks;
    private long @Nullable [][] prevCoreTicks;
    private long prevNanos;
    private long prevDiskRead = -1;
    private long prevDiskWrite = -1;
    private final long[] prevRx;
    private final long[] prevTx;

    /** Discovers the hardware; a part that cannot be discovered is left out and logged once. */
    public SystemSampler() {
        HardwareAbstractionLayer hal = null;
        OperatingSystem os = null;
        try {
            SystemInfo si = new SystemInfo();
            hal = si.getHardware();
            os = si.getOperatingSystem();
        } catch (RuntimeException | LinkageError e) {
            failures.failed("oshi", e);
        }
        this.processor = hal == null ? null : attempt("cpu", hal::getProcessor);
        this.memory = hal == null ? null : attempt("memory", hal::getMemory);
        OperatingSystem theOs = os;
        this.process = theOs == null ? null : attempt("process", theOs::getCurrentProcess);
        this.fileStores = theOs == null ? List.of() : orEmpty(attempt("filestores", () -> chooseStores(theOs)));
        HardwareAbstractionLayer theHal = hal;
        this.disks = theHal == null ? List.of() : orEmpty(attempt("disks", () -> chooseDisks(theHal)));
        this.interfaces = theHal == null ? List.of() : orEmpty(attempt("network", () -> chooseInterfaces(theHal)));
        int cpus = 0;
        if (processor != null) {
            CentralProcessor p = processor;
            Integer n = attempt("cpu", p::getLogicalProcessorCount);
            cpus = n == null ? 0 : n;
        }
        this.cpuCount = cpus;
        this.prevRx = new long[interfaces.size()];
        this.prevTx = new long[interfaces.size()];
        java.util.Arrays.fill(prevRx, -1);
        java.util.Arrays.fill(prevTx, -1);
    }

    private static <T> List<T> orEmpty(@Nullable List<T> list) {
        return list == null ? List.of() : list;
    }

    private <T> @Nullable T attempt(String section, java.util.function.Supplier<T> s) {
        try {
            return s.get();
        } catch (RuntimeException | LinkageError e) {
            failures.failed(section, e);
            return null;
        }
    }

    private static List<OSFileStore> chooseStores(OperatingSystem os) {
        List<OSFileStore> chosen = new ArrayList<>();
        Set<String> mounts = new HashSet<>();
        for (OSFileStore s : os.getFileSystem().getFileStores(true)) {
            String type = s.getType().toLowerCase(Locale.ROOT);
            String mount = s.getMount();
            boolean root = "/".equals(mount);
            if (!root && (PSEUDO_FS.contains(type) || mount.startsWith("/proc") || mount.startsWith("/sys"))) {
                continue;
            }
            if (!mounts.add(mount)) {
                continue;
            }
            if (root) {
                chosen.add(0, s);
            } else {
                chosen.add(s);
            }
        }
        if (chosen.size() > MAX_FILE_STORES) {
            LOG.info("Perfkit reports disk usage for the first {} of {} file stores", MAX_FILE_STORES, chosen.size());
            return List.copyOf(chosen.subList(0, MAX_FILE_STORES));
        }
        return List.copyOf(chosen);
    }

    private static List<HWDiskStore> chooseDisks(HardwareAbstractionLayer hal) {
        List<HWDiskStore> chosen = new ArrayList<>();
        for (HWDiskStore d : hal.getDiskStores()) {
            String name = d.getName();
            int slash = name.lastIndexOf('/');
            String base = slash >= 0 ? name.substring(slash + 1) : name;
            boolean virtual = false;
            for (String p : VIRTUAL_DISK_PREFIXES) {
                if (base.startsWith(p)) {
                    virtual = true;
                    break;
                }
            }
            if (!virtual && chosen.size() < MAX_DISKS) {
                chosen.add(d);
            }
        }
        return List.copyOf(chosen);
    }

    private static List<NetworkIF> chooseInterfaces(HardwareAbstractionLayer hal) {
        List<NetworkIF> chosen = new ArrayList<>();
        int candidates = 0;
        for (NetworkIF n : hal.getNetworkIFs(false)) {
            if (isLoopback(n)) {
                continue;
            }
            candidates++;
            if (chosen.size() < MAX_NETWORK_INTERFACES) {
                chosen.add(n);
            }
        }
        if (candidates > chosen.size()) {
            LOG.info("Perfkit reports network rates for the first {} of {} interfaces", chosen.size(), candidates);
        }
        return List.copyOf(chosen);
    }

    private static boolean isLoopback(NetworkIF n) {
        if (n.getName().startsWith("lo")) {
            return true;
        }
        try {
            java.net.NetworkInterface ni = n.queryNetworkInterface();
            return ni != null && ni.isLoopback();
        } catch (java.net.SocketException | RuntimeException e) {
            return false;
        }
    }

    /** @return number of logical CPUs, 0 when unknown */
    public int cpuCount() {
        return cpuCount;
    }

    /** @return mount points of the reported file stores, in snapshot index order */
    public List<String> fileStoreMounts() {
        List<String> m = new ArrayList<>(fileStores.size());
        for (OSFileStore s : fileStores) {
            m.add(s.getMount());
        }
        return Collections.unmodifiableList(m);
    }

    /** @return names of the reported network interfaces, in snapshot index order */
    public List<String> interfaceNames() {
        List<String> m = new ArrayList<>(interfaces.size());
        for (NetworkIF n : interfaces) {
            m.add(n.getName());
        }
        return Collections.unmodifiableList(m);
    }

    /** @return number of failed reads so far */
    public long failures() {
        return failures.failures();
    }

    /**
     * An empty snapshot (all NaN) shaped like the discovered hardware.
     *
     * @return the snapshot
     */
    public SystemSnapshot empty() {
        return new SystemSnapshot(Double.NaN, nan(cpuCount), Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                Double.NaN, Double.NaN, Double.NaN, nan(fileStores.size()), nan(fileStores.size()), Double.NaN,
                Double.NaN, nan(interfaces.size()), nan(interfaces.size()), Double.NaN, Double.NaN);
    }

    private static double[] nan(int n) {
        double[] a = new double[n];
        java.util.Arrays.fill(a, Double.NaN);
        return a;
    }

    /**
     * Reads everything once. Each part that fails keeps its value from {@code previous}.
     *
     * @param previous the last snapshot
     * @return the new snapshot
     */
    public SystemSnapshot sample(SystemSnapshot previous) {
        long now = System.nanoTime();
        double seconds = prevNanos == 0 ? 0 : (now - prevNanos) / 1e9;
        prevNanos = now;

        double cpu = previous.cpuUsage;
        double[] cores = previous.coreUsage;
        double l1 = previous.load1;
        double l5 = previous.load5;
        double l15 = previous.load15;
        if (processor != null) {
            try {
                long[] ticks = processor.getSystemCpuLoadTicks();
                if (prevTicks != null) {
                    cpu = usage(prevTicks, ticks, cpu);
                }
                prevTicks = ticks;
                long[][] coreTicks = processor.getProcessorCpuLoadTicks();
                if (prevCoreTicks != null && coreTicks.length == prevCoreTicks.length) {
                    double[] c = new double[cpuCount];
                    for (int i = 0; i < c.length; i++) {
                        c[i] = i < coreTicks.length ? usage(prevCoreTicks[i], coreTicks[i], cores[i]) : Double.NaN;
                    }
                    cores = c;
                }
                prevCoreTicks = coreTicks;
            } catch (RuntimeException | LinkageError e) {
                failures.failed("cpu", e);
            }
            try {
                double[] load = processor.getSystemLoadAverage(3);
                l1 = load[0] < 0 ? Double.NaN : load[0];
                l5 = load[1] < 0 ? Double.NaN : load[1];
                l15 = load[2] < 0 ? Double.NaN : load[2];
            } catch (RuntimeException | LinkageError e) {
                failures.failed("load", e);
            }
        }

        double memTotal = previous.memoryTotal;
        double memAvailable = previous.memoryAvailable;
        double swapTotal = previous.swapTotal;
        double swapUsed = previous.swapUsed;
        if (memory != null) {
            try {
                memTotal = memory.getTotal();
                memAvailable = memory.getAvailable();
                VirtualMemory vm = memory.getVirtualMemory();
                swapTotal = vm.getSwapTotal();
                swapUsed = vm.getSwapUsed();
            } catch (RuntimeException | LinkageError e) {
                failures.failed("memory", e);
            }
        }

        double[] fsTotal = previous.fileStoreTotal;
        double[] fsUsable = previous.fileStoreUsable;
        if (!fileStores.isEmpty()) {
            fsTotal = fsTotal.clone();
            fsUsable = fsUsable.clone();
            for (int i = 0; i < fileStores.size(); i++) {
                try {
                    OSFileStore s = fileStores.get(i);
                    if (s.updateAttributes()) {
                        fsTotal[i] = s.getTotalSpace();
                        fsUsable[i] = s.getUsableSpace();
                    }
                } catch (RuntimeException | LinkageError e) {
                    failures.failed("filestore", e);
                }
            }
        }

        double readRate = previous.diskReadRate;
        double writeRate = previous.diskWriteRate;
        try {
            long read = 0;
            long written = 0;
            for (HWDiskStore d : disks) {
                d.updateAttributes();
                read += d.getReadBytes();
                written += d.getWriteBytes();
            }
            if (prevDiskRead >= 0 && seconds > 0) {
                readRate = rate(prevDiskRead, read, seconds);
                writeRate = rate(prevDiskWrite, written, seconds);
            }
            prevDiskRead = read;
            prevDiskWrite = written;
        } catch (RuntimeException | LinkageError e) {
            failures.failed("diskio", e);
        }

        double[] rx = previous.networkReceivedRate;
        double[] tx = previous.networkSentRate;
        if (!interfaces.isEmpty()) {
            rx = rx.clone();
            tx = tx.clone();
            for (int i = 0; i < interfaces.size(); i++) {
                try {
                    NetworkIF n = interfaces.get(i);
                    n.updateAttributes();
                    long r = n.getBytesRecv();
                    long t = n.getBytesSent();
                    if (prevRx[i] >= 0 && seconds > 0) {
                        rx[i] = rate(prevRx[i], r, seconds);
                        tx[i] = rate(prevTx[i], t, seconds);
                    }
                    prevRx[i] = r;
                    prevTx[i] = t;
                } catch (RuntimeException | LinkageError e) {
                    failures.failed("network", e);
                }
            }
        }

        double fds = previous.openFds;
        double maxFds = previous.maxFds;
        if (process != null) {
            try {
                if (process.updateAttributes()) {
                    fds = process.getOpenFiles();
                    long limit = process.getSoftOpenFileLimit();
                    maxFds = limit < 0 ? Double.NaN : limit;
                }
            } catch (RuntimeException | LinkageError e) {
                failures.failed("fds", e);
            }
        }
        return new SystemSnapshot(cpu, cores, l1, l5, l15, memTotal, memAvailable, swapTotal, swapUsed, fsTotal,
                fsUsable, readRate, writeRate, rx, tx, fds, maxFds);
    }

    private static double rate(long before, long after, double seconds) {
        // Counters can go back when a device is reset or wraps: report 0 rather than a negative rate.
        return after >= before ? (after - before) / seconds : 0.0;
    }

    // Busy share of the ticks elapsed between two readings; idle includes iowait, as top(1) does.
    private static double usage(long[] before, long[] after, double fallback) {
        long total = 0;
        long idle = 0;
        int n = Math.min(before.length, after.length);
        for (int i = 0; i < n; i++) {
            total += after[i] - before[i];
        }
        int idleIdx = CentralProcessor.TickType.IDLE.getIndex();
        int ioIdx = CentralProcessor.TickType.IOWAIT.getIndex();
        idle += after[idleIdx] - before[idleIdx];
        idle += after[ioIdx] - before[ioIdx];
        if (total <= 0) {
            return fallback;
        }
        double u = 1.0 - (double) idle / total;
        return Math.max(0.0, Math.min(1.0, u));
    }
}
