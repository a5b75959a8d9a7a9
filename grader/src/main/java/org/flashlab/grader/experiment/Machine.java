package org.flashlab.grader.experiment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** What a result was measured on: a number without its machine cannot be compared with another. */
final class Machine {
    private Machine() {}

    static Map<String, Object> describe(String pinning) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cores", cores());
        m.put("cpu", firstValue(Path.of("/proc/cpuinfo"), "model name"));
        String mem = firstValue(Path.of("/proc/meminfo"), "MemTotal");
        m.put("memory", mem == null ? null : String.format(java.util.Locale.ROOT, "%.1f GB",
                Long.parseLong(mem.replaceAll("[^0-9]", "")) / 1048576.0));
        m.put("kernel", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        m.put("jdk", System.getProperty("java.vm.vendor") + " " + System.getProperty("java.runtime.version"));
        m.put("virtualised", firstValue(Path.of("/proc/cpuinfo"), "flags") instanceof String f && f.contains(" hypervisor"));
        m.put("pinning", pinning);
        return m;
    }

    /** The machine's cores, not this process's: the runner pins itself to the client's core. */
    private static int cores() {
        try {
            int n = (int) Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("processor")).count();
            return n > 0 ? n : Runtime.getRuntime().availableProcessors();
        } catch (IOException e) {
            return Runtime.getRuntime().availableProcessors();
        }
    }

    private static String firstValue(Path file, String key) {
        try {
            for (String line : Files.readAllLines(file)) {
                if (line.startsWith(key)) {
                    int colon = line.indexOf(':');
                    return colon < 0 ? null : line.substring(colon + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            return null; // not Linux: the report says "unknown"
        }
        return null;
    }
}
