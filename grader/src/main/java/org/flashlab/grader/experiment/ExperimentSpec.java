package org.flashlab.grader.experiment;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import org.flashlab.grader.ReferenceServer;
import org.flashlab.grader.run.RunCommand;

/**
 * An experiment, as a file (YAML or JSON): which servers to compare, on what workload, over which
 * configuration space, how many times, which metrics, and what the paper says should happen. The
 * lecture's "design relevant experiments" in a form the runner can check and run.
 *
 * <p>Presets that reproduce the paper's figures ship as spec files in {@code experiments/} on the
 * class path; {@link #load} reads either a preset's name or a file.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ExperimentSpec(String name, String title, String purpose, List<String> figures, List<String> include,
                             List<ServerSpec> servers, WorkloadSpec workload, SweepSpec sweep, DiskSpec disk,
                             Integer repetitions, Double warmupSeconds, Double durationSeconds, List<Metric> metrics,
                             SlaSpec sla, Chart chart, List<ClaimSpec> expect, Map<String, ProfileSpec> profiles) {

    /** What a report can plot and tabulate for each measurement. */
    public enum Metric {
        requestsPerSecond("requests/s", "%,.0f"),
        megabytesPerSecond("MB/s", "%.1f"),
        connectionsPerSecond("connections/s", "%,.0f"),
        p50Ms("p50 latency (ms)", "%.2f"),
        p99Ms("p99 latency (ms)", "%.2f"),
        p999Ms("p99.9 latency (ms)", "%.2f"),
        slaViolationPercent("% over the SLA", "%.2f"),
        serverCpu("server CPU (cores)", "%.2f"),
        serverRssMb("server memory (MB)", "%.0f"),
        switchesPerSecond("context switches/s", "%,.0f");

        public final String label;
        public final String format;

        Metric(String label, String format) {
            this.label = label;
            this.format = format;
        }
    }

    /** How the report draws the experiment: a line per server against the sweep, or grouped bars. */
    public enum Chart { lines, bars }

    /** What is swept: the configuration space's axis. */
    public enum Parameter { none, fileSize, datasetMb, trace, connections, rate, idleConnections, slowClients }

    /** Where requests' files come from. */
    public enum WorkloadKind { singleFile, trace, sampleSite }

    /** How a disk-bound run holds the dataset to the memory budget. */
    public enum DiskMode {
        /** The real page cache, no limit (cached runs). */
        none,
        /** The shared layer's emulated disk (reference models and lessons' servers): the same on every machine. */
        emulated,
        /** The kernel's memory limit and a throttled disk where the machine allows it, else emulated. */
        kernel
    }

    /** One server to measure: a reference model, a lesson's server, an external baseline or any command. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ServerSpec(String label, String model, List<String> options, String lesson, Boolean solution,
                             String external, List<String> command) {
        public String displayLabel() {
            if (label != null) {
                return label;
            }
            if (model != null) {
                return options == null || options.isEmpty() ? model : model + " " + String.join(" ", options);
            }
            if (lesson != null) {
                return "lesson " + lesson + (Boolean.TRUE.equals(solution) ? " (solution)" : "");
            }
            return external != null ? external : Path.of(command.getFirst()).getFileName().toString();
        }
    }

    /** What the clients ask for, and how. Every field has a default. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record WorkloadSpec(WorkloadKind kind, String fileSize, String trace, Double datasetMb, Integer connections,
                               Boolean newConnections, Double rate, Double roundTripMs, Integer idleConnections,
                               Integer slowClients, Integer traceLength, Long seed) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record SweepSpec(Parameter parameter, List<String> values, String label) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record DiskSpec(DiskMode mode, Double memoryBudgetMb, Double missMs, Double diskMbps, Long diskIops) {}

    /** A service-level objective: answers slower than {@code latencyMs} count as violations (a metric). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record SlaSpec(Double latencyMs) {}

    /**
     * One of the paper's claims, checked against what was measured. Exactly one of {@code order},
     * {@code ratio} and {@code shape}.
     *
     * @param at     the sweep value it is about: a value, {@code smallest} or {@code largest}
     * @param order  servers from the highest value of the metric to the lowest: {@code "sped ~ amped > mt >= mp"}
     *               (for a latency, the highest is the worst)
     * @param ratio  {@code {of: amped, over: sped, atLeast: 2}}
     * @param shape  {@code {server: mp, is: declines}} across the whole sweep
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ClaimSpec(String name, Metric metric, String at, String order, RatioSpec ratio, ShapeSpec shape) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record RatioSpec(String of, String over, Double atLeast) {}

    public enum Shape { levelsOff, declines, rises }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ShapeSpec(List<String> servers, Shape is) {}

    /** A profile's overrides: quick for a first look, full for a study. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ProfileSpec(Integer repetitions, Double warmupSeconds, Double durationSeconds, List<String> values) {}

    /** A spec that does not say how to be run: the message names the field and what it may be. */
    public static final class InvalidSpec extends Exception {
        public InvalidSpec(String message) {
            super(message);
        }
    }

    static final String PRESETS = "/experiments/";
    /** Every preset, in the order `--list` shows them. */
    public static final List<String> PRESET_NAMES = List.of("paper", "single-file", "traces", "dataset-sweep",
            "dataset-sweep-kernel", "optimizations", "wan", "latency-vs-load", "idle-connections", "slow-clients",
            "demo");

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
    static final ObjectMapper JSON = new ObjectMapper().setSerializationInclusion(JsonInclude.Include.NON_NULL);

    /** A preset's name, or a path to a .yaml, .yml or .json file. */
    public static ExperimentSpec load(String nameOrPath) throws InvalidSpec, IOException {
        Path file = Path.of(nameOrPath);
        if (Files.isRegularFile(file)) {
            try (InputStream in = Files.newInputStream(file)) {
                return parse(in, file.toString());
            }
        }
        if (PRESET_NAMES.contains(nameOrPath)) {
            try (InputStream in = ExperimentSpec.class.getResourceAsStream(PRESETS + nameOrPath + ".yaml")) {
                if (in == null) {
                    throw new IOException("the preset " + nameOrPath + " is missing from the class path");
                }
                return parse(in, "preset " + nameOrPath);
            }
        }
        throw new InvalidSpec("'" + nameOrPath + "' is neither a spec file nor a preset; presets: "
                + String.join(", ", PRESET_NAMES));
    }

    /** Reads and validates a spec; {@code origin} names it in error messages. YAML is a superset of JSON. */
    public static ExperimentSpec parse(InputStream in, String origin) throws InvalidSpec, IOException {
        JsonNode tree;
        try {
            tree = YAML.readTree(in);
        } catch (JsonProcessingException e) {
            throw new InvalidSpec(origin + ": not valid YAML or JSON: " + e.getOriginalMessage());
        }
        if (tree == null || !tree.isObject()) {
            throw new InvalidSpec(origin + ": a spec is a mapping of fields (name, servers, workload, ...)");
        }
        expandServerShorthand(tree);
        ExperimentSpec spec;
        try {
            spec = YAML.treeToValue(tree, ExperimentSpec.class);
        } catch (UnrecognizedPropertyException e) {
            throw new InvalidSpec(origin + ": unknown field '" + path(e) + "'; allowed there: "
                    + e.getKnownPropertyIds().stream().map(Object::toString).sorted().collect(Collectors.joining(", ")));
        } catch (InvalidFormatException e) {
            Class<?> type = e.getTargetType();
            String allowed = type != null && type.isEnum()
                    ? "one of " + Arrays.stream(type.getEnumConstants()).map(Object::toString).collect(Collectors.joining(", "))
                    : "a " + (type == null ? "different value" : type.getSimpleName().toLowerCase(Locale.ROOT));
            throw new InvalidSpec(origin + ": field '" + path(e) + "' is '" + e.getValue() + "'; it must be " + allowed);
        } catch (MismatchedInputException e) {
            throw new InvalidSpec(origin + ": field '" + path(e) + "' has the wrong shape: it must be "
                    + shapeOf(e.getTargetType()));
        } catch (JsonMappingException e) {
            throw new InvalidSpec(origin + ": " + e.getOriginalMessage());
        }
        spec.validate(origin);
        return spec;
    }

    /** "servers: [sped, amped]" means "servers: [{model: sped}, {model: amped}]". */
    private static void expandServerShorthand(JsonNode tree) {
        JsonNode servers = tree.get("servers");
        if (servers instanceof ArrayNode list) {
            for (int i = 0; i < list.size(); i++) {
                if (list.get(i).isTextual()) {
                    ObjectNode o = JSON.createObjectNode();
                    o.put("model", list.get(i).asText());
                    list.set(i, o);
                }
            }
        }
    }

    private static String path(JsonMappingException e) {
        StringBuilder s = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                s.append(s.isEmpty() ? "" : ".").append(r.getFieldName());
            } else {
                s.append('[').append(r.getIndex()).append(']');
            }
        }
        return s.toString();
    }

    private static String shapeOf(Class<?> type) {
        if (type == null) {
            return "something else";
        }
        if (List.class.isAssignableFrom(type)) {
            return "a list";
        }
        if (Map.class.isAssignableFrom(type) || type.isRecord()) {
            return "a mapping of fields";
        }
        return "a " + type.getSimpleName().toLowerCase(Locale.ROOT);
    }

    /** The checks Jackson cannot do: which fields go together, and which values make sense. */
    void validate(String origin) throws InvalidSpec {
        require(name != null && name.matches("[a-z0-9][a-z0-9-]*"), origin,
                "field 'name' is required: lower-case letters, digits and dashes (it names the results folder)");
        if (include != null) {
            require(servers == null && workload == null && sweep == null, origin,
                    "a spec with 'include' runs other specs, and has no servers, workload or sweep of its own");
            require(!include.isEmpty(), origin, "field 'include' must name at least one spec or preset");
            require(profiles == null && repetitions == null && expect == null, origin,
                    "a spec with 'include' takes its profiles, repetitions and claims from the specs it includes");
            return;
        }
        require(servers != null && !servers.isEmpty(), origin, "field 'servers' must list at least one server");
        Set<String> labels = new LinkedHashSet<>();
        for (int i = 0; i < servers.size(); i++) {
            ServerSpec s = servers.get(i);
            String where = "servers[" + i + "]";
            int kinds = (s.model() != null ? 1 : 0) + (s.lesson() != null ? 1 : 0) + (s.external() != null ? 1 : 0)
                    + (s.command() != null ? 1 : 0);
            require(kinds == 1, origin, where + " must have exactly one of model, lesson, external, command");
            if (s.model() != null) {
                require(ReferenceServer.MODELS.contains(s.model()), origin, where + ".model is '" + s.model()
                        + "'; it must be one of " + String.join(", ", ReferenceServer.MODELS));
            }
            if (s.external() != null) {
                require(External.NAMES.contains(s.external()), origin, where + ".external is '" + s.external()
                        + "'; it must be one of " + String.join(", ", External.NAMES));
            }
            if (s.lesson() != null) {
                require(s.lesson().matches("\\d\\d"), origin, where + ".lesson is '" + s.lesson()
                        + "'; it must be a lesson's two-digit number, such as \"03\"");
            }
            if (s.command() != null) {
                require(!s.command().isEmpty() && String.join(" ", s.command()).contains("{port}"), origin,
                        where + ".command must be a non-empty list that contains {port} (and usually {docroot})");
            }
            require((s.options() == null || s.model() != null || s.lesson() != null), origin,
                    where + ".options applies to a model or a lesson's server");
            require(labels.add(s.displayLabel()), origin, where + " has the same label as another server ('"
                    + s.displayLabel() + "'): give it a 'label'");
        }
        WorkloadSpec w = workload();
        require(w.connections() == null || w.connections() >= 1, origin, "field 'workload.connections' must be at least 1");
        require(w.rate() == null || w.rate() >= 0, origin, "field 'workload.rate' must not be negative");
        require(w.roundTripMs() == null || w.roundTripMs() >= 0, origin, "field 'workload.roundTripMs' must not be negative");
        require(w.trace() == null || List.of("owlnet", "cs").contains(w.trace()), origin,
                "field 'workload.trace' is '" + w.trace() + "'; it must be one of owlnet, cs");
        if (w.fileSize() != null) {
            sizeOf(origin, "workload.fileSize", w.fileSize());
        }
        boolean roundTrip = w.roundTripMs() != null && w.roundTripMs() > 0;
        require(!roundTrip || (!Boolean.TRUE.equals(w.newConnections()) && (w.rate() == null || w.rate() == 0)
                        && sweep().parameter() != Parameter.rate), origin,
                "field 'workload.roundTripMs' needs a closed loop over persistent connections (no rate, no newConnections)");
        Parameter p = sweep().parameter();
        List<String> values = sweep().values();
        require(p == Parameter.none || (values != null && !values.isEmpty()), origin,
                "field 'sweep.values' must list at least one value for parameter " + p);
        require(p != Parameter.none || values == null || values.isEmpty(), origin,
                "field 'sweep.values' needs a 'sweep.parameter'");
        for (String v : values == null ? List.<String>of() : values) {
            checkValue(origin, "sweep.values", p, v);
        }
        require(p != Parameter.fileSize || w.kind() == WorkloadKind.singleFile, origin,
                "sweeping fileSize needs workload.kind singleFile");
        require((p != Parameter.datasetMb && p != Parameter.trace) || w.kind() == WorkloadKind.trace, origin,
                "sweeping " + p + " needs workload.kind trace");
        require(repetitions == null || repetitions >= 1, origin, "field 'repetitions' must be at least 1");
        require(durationSeconds == null || durationSeconds > 0, origin, "field 'durationSeconds' must be positive");
        require(warmupSeconds == null || warmupSeconds >= 0, origin, "field 'warmupSeconds' must not be negative");
        DiskSpec d = disk();
        require(d.memoryBudgetMb() == null || d.memoryBudgetMb() > 0, origin, "field 'disk.memoryBudgetMb' must be positive");
        require(d.mode() == DiskMode.none || w.kind() == WorkloadKind.trace, origin,
                "field 'disk.mode' " + d.mode() + " is for trace workloads, whose datasets can exceed the memory budget");
        if (sla != null) {
            require(sla.latencyMs() != null && sla.latencyMs() > 0, origin, "field 'sla.latencyMs' must be positive");
        }
        if (profiles != null) {
            for (Map.Entry<String, ProfileSpec> e : profiles.entrySet()) {
                require(e.getKey().matches("[a-z]+"), origin, "profile names are lower-case words, not '" + e.getKey() + "'");
                ProfileSpec ps = e.getValue();
                require(ps.repetitions() == null || ps.repetitions() >= 1, origin,
                        "field 'profiles." + e.getKey() + ".repetitions' must be at least 1");
                require(ps.durationSeconds() == null || ps.durationSeconds() > 0, origin,
                        "field 'profiles." + e.getKey() + ".durationSeconds' must be positive");
                for (String v : ps.values() == null ? List.<String>of() : ps.values()) {
                    checkValue(origin, "profiles." + e.getKey() + ".values", p, v);
                }
            }
        }
        for (int i = 0; i < expectations().size(); i++) {
            ClaimSpec c = expectations().get(i);
            String where = "expect[" + i + "]";
            require(c.name() != null, origin, where + ".name is required: the claim, as the report states it");
            int kinds = (c.order() != null ? 1 : 0) + (c.ratio() != null ? 1 : 0) + (c.shape() != null ? 1 : 0);
            require(kinds == 1, origin, where + " must have exactly one of order, ratio, shape");
            List<String> named = new ArrayList<>();
            if (c.order() != null) {
                named.addAll(Claims.orderServers(c.order()));
                require(named.size() >= 2, origin, where + ".order must compare at least two servers, as \"a > b\"");
            }
            if (c.ratio() != null) {
                require(c.ratio().of() != null && c.ratio().over() != null && c.ratio().atLeast() != null, origin,
                        where + ".ratio needs of, over and atLeast");
                named.add(c.ratio().of());
                named.add(c.ratio().over());
            }
            if (c.shape() != null) {
                require(c.shape().servers() != null && !c.shape().servers().isEmpty() && c.shape().is() != null, origin,
                        where + ".shape needs servers and is (one of " + Arrays.toString(Shape.values()) + ")");
                named.addAll(c.shape().servers());
            }
            for (String n : named) {
                require(labels.contains(n), origin, where + " names '" + n + "', which is not a server here; servers: "
                        + String.join(", ", labels));
            }
            if (c.at() != null && !c.at().equals("smallest") && !c.at().equals("largest")) {
                require(values != null && values.contains(c.at()), origin, where + ".at is '" + c.at()
                        + "'; it must be smallest, largest or one of sweep.values");
            }
        }
    }

    private static void checkValue(String origin, String field, Parameter p, String v) throws InvalidSpec {
        switch (p) {
            case fileSize -> sizeOf(origin, field, v);
            case trace -> require(List.of("owlnet", "cs").contains(v), origin,
                    "field '" + field + "' holds '" + v + "'; a trace is owlnet or cs");
            case datasetMb, rate -> {
                try {
                    require(Double.parseDouble(v) > 0, origin, "field '" + field + "' holds '" + v + "'; it must be positive");
                } catch (NumberFormatException e) {
                    throw new InvalidSpec(origin + ": field '" + field + "' holds '" + v + "'; it must be a number");
                }
            }
            case connections, idleConnections, slowClients -> {
                try {
                    require(Integer.parseInt(v) >= (p == Parameter.connections ? 1 : 0), origin,
                            "field '" + field + "' holds '" + v + "'; it must be a count");
                } catch (NumberFormatException e) {
                    throw new InvalidSpec(origin + ": field '" + field + "' holds '" + v + "'; it must be a whole number");
                }
            }
            case none -> { }
        }
    }

    /** A size as {@code flashlab run} reads it: "1k" is 1024 bytes, "2m" 2 MiB, plain digits are bytes. */
    static long sizeOf(String origin, String field, String s) throws InvalidSpec {
        try {
            return RunCommand.parseSize(s);
        } catch (IllegalArgumentException e) {
            throw new InvalidSpec(origin + ": field '" + field + "' holds '" + s + "'; a size is bytes, or a number with k or m");
        }
    }

    private static void require(boolean ok, String origin, String message) throws InvalidSpec {
        if (!ok) {
            throw new InvalidSpec(origin + ": " + message);
        }
    }

    // Defaults, so that a spec needs to say only what it changes.

    public WorkloadSpec workload() {
        return workload != null ? workload : new WorkloadSpec(WorkloadKind.singleFile, null, null, null, null, null, null,
                null, null, null, null, null);
    }

    public SweepSpec sweep() {
        return sweep != null && sweep.parameter() != null ? sweep : new SweepSpec(Parameter.none, null, null);
    }

    public DiskSpec disk() {
        return disk != null && disk.mode() != null ? disk : new DiskSpec(DiskMode.none, disk == null ? null : disk.memoryBudgetMb(),
                null, null, null);
    }

    public List<Metric> metricList() {
        return metrics != null && !metrics.isEmpty() ? metrics : List.of(Metric.requestsPerSecond, Metric.p99Ms);
    }

    public List<ClaimSpec> expectations() {
        return expect == null ? List.of() : expect;
    }

    public Chart chartKind() {
        return chart != null ? chart : sweep().parameter() == Parameter.none ? Chart.bars : Chart.lines;
    }

    /** The profiles this spec knows: its own, and "check", a few seconds' smoke run of the same matrix. */
    public Set<String> profileNames() {
        Set<String> names = new LinkedHashSet<>(profiles == null ? Set.of("quick") : profiles.keySet());
        names.add("check");
        return names;
    }

    /** This spec with a profile's overrides applied. */
    public Resolved resolve(String profile) throws InvalidSpec {
        ProfileSpec p;
        if (profiles != null && profiles.containsKey(profile)) {
            p = profiles.get(profile);
        } else if (profile.equals("check")) {
            List<String> v = sweep().values();
            p = new ProfileSpec(1, 0.2, 0.5, v == null ? null : v.size() <= 2 ? v : List.of(v.getFirst(), v.getLast()));
        } else if (profiles == null && profile.equals("quick")) {
            p = new ProfileSpec(null, null, null, null); // a spec without profiles runs as it is written
        } else {
            throw new InvalidSpec(name + ": no profile '" + profile + "'; this spec has " + String.join(", ", profileNames()));
        }
        List<String> values = p.values() != null ? p.values() : sweep().values();
        return new Resolved(this, profile,
                p.repetitions() != null ? p.repetitions() : repetitions != null ? repetitions : 3,
                p.warmupSeconds() != null ? p.warmupSeconds() : warmupSeconds != null ? warmupSeconds : 1,
                p.durationSeconds() != null ? p.durationSeconds() : durationSeconds != null ? durationSeconds : 3,
                values == null || values.isEmpty() ? List.of("-") : List.copyOf(values));
    }

    /** A spec under one profile: what the runner runs. {@code points} are the sweep's values ("-" for none). */
    public record Resolved(ExperimentSpec spec, String profile, int repetitions, double warmupSeconds,
                           double durationSeconds, List<String> points) {
        /**
         * What decides the numbers: results saved under other settings cannot be resumed into
         * these. A title, a purpose or a claim is not part of it: editing one keeps the results, and
         * the next report uses the new words.
         */
        public Map<String, Object> identity() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", spec.name());
            m.put("servers", spec.servers());
            m.put("workload", spec.workload());
            m.put("sweep", spec.sweep());
            m.put("disk", spec.disk());
            m.put("profile", profile);
            m.put("repetitions", repetitions);
            m.put("warmupSeconds", warmupSeconds);
            m.put("durationSeconds", durationSeconds);
            m.put("points", points);
            return m;
        }
    }
}
