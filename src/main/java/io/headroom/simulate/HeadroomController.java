package io.headroom.simulate;

import io.headroom.act.ActuationService;
import io.headroom.act.LibvirtActuator;
import io.headroom.act.LibvirtGateway;
import io.headroom.act.StateStore;
import io.headroom.act.WorkloadReport;
import io.headroom.collect.FeatureMatrix;
import io.headroom.collect.StepGrid;
import io.headroom.config.ConfigException;
import io.headroom.config.ConfigLoader;
import io.headroom.config.FeatureSpec;
import io.headroom.config.HeadroomConfig;
import io.headroom.cycle.ActingTracker;
import io.headroom.cycle.BatchTraining;
import io.headroom.cycle.Cycle;
import io.headroom.feedback.Adaptations;
import io.headroom.feedback.Verdicts;
import io.headroom.cycle.Exclusions;
import io.headroom.decide.Allocation;
import io.headroom.decide.Tier;
import io.headroom.detect.Interval;
import io.headroom.feedback.Outcome;
import io.headroom.detect.ModelRegistry;
import io.headroom.detect.Scorer;
import io.headroom.metrics.Metrics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The headroom policy: Headroom's real code path on the simulated guests. Models are trained by {@link Retrainer}
 * on the scenario's history before the first step, and again every {@code detection.retrain_every} of simulated
 * time on the trailing {@code detection.training_window}, leaving out, as the daemon does, the intervals where a
 * guest was failed (the simulator's failure signal, standing in for the failure query) and where Headroom held a
 * change on it ({@link ActingTracker}); training is synchronous here, where the daemon trains in the background.
 * Every
 * {@code collection.interval} each guest's newest row is scored by {@link WorkloadModel#score} with the trailing
 * {@code collection.lookback} as context, and {@link ActuationService} (the unmodified decide-and-act cycle, in
 * enforce mode) changes the guests through a {@link LibvirtGateway} on libvirt's test driver. The simulated guests
 * then read their allocation back from libvirt, so they feel exactly what Headroom applied.
 */
final class HeadroomController implements Controller {

    private final Scenario scenario;
    private final HeadroomConfig cfg;
    private final double[][] series;
    private final int[] columns;
    private final int nf;
    private final Path dir;
    private final ModelRegistry registry;
    private final LibvirtGateway gateway;
    private final Cycle cycle;
    private final SortedSet<String> names = new TreeSet<>();
    /** The guests in scenario order, which is also the order of {@code series}. */
    private final List<String> order;
    private final Map<String, Integer> index = new HashMap<>();
    private final List<String> featureNames;
    private final int lookbackRows;
    private final long intervalMillis;
    private final Optional<Appendable> trace;
    private final long retrainMillis;
    private final int windowRows;
    private final ActingTracker acting;
    /** Misses the cycle recorded, for training to leave out, as the daemon keeps them in verdicts.json. */
    private final Verdicts verdicts = Verdicts.inMemory();
    private final Map<String, Instant> failedSince = new HashMap<>();
    private final Map<String, List<Interval>> failures = new HashMap<>();
    private final Map<Outcome, Integer> outcomes = new EnumMap<>(Outcome.class);
    private int adaptations;
    private Instant trainedAt;
    private int trainings;

    /**
     * @param series per workload, the raw feature rows ({@link Physics#FEATURES} order) from the history's
     *               first step on; history rows are filled, run rows are filled as the run goes
     */
    HeadroomController(Scenario scenario, double[][] series, Optional<Appendable> trace)
            throws Exception {
        this.scenario = scenario;
        this.trace = trace;
        this.cfg = ConfigLoader.parse(scenario.config(), null);
        this.series = series;
        List<String> names = cfg.features().stream().map(FeatureSpec::name).toList();
        if (!Physics.FEATURES.containsAll(names)) {
            throw new ConfigException("config.features", "the simulated guests export the libvirt-exporter preset only ("
                    + String.join(", ", Physics.FEATURES) + "); got " + names);
        }
        this.featureNames = names;
        this.nf = names.size();
        this.columns = names.stream().mapToInt(Physics.FEATURES::indexOf).toArray();
        long stepMs = scenario.step().toMillis();
        this.intervalMillis = cfg.collection().interval().toMillis();
        if (intervalMillis % stepMs != 0 || cfg.collection().step().toMillis() != stepMs) {
            throw new ConfigException("config.collection", "step must equal the scenario step ("
                    + scenario.step().toSeconds() + "s) and interval be a multiple of it");
        }
        this.lookbackRows = (int) (cfg.collection().lookback().toMillis() / stepMs) + 1;
        this.order = scenario.workloads().stream().map(Scenario.Workload::name).toList();
        for (int w = 0; w < order.size(); w++) {
            index.put(order.get(w), w);
        }
        this.names.addAll(order);
        // The state store fsyncs every cycle, as it must on a real host; thousands of virtual cycles on a tmpfs
        // (when there is one) keep that from dominating the run without changing the code path.
        Path shm = Path.of("/dev/shm");
        this.dir = Files.isDirectory(shm) && Files.isWritable(shm) ? Files.createTempDirectory(shm, "headroom-simulate-")
                : Files.createTempDirectory("headroom-simulate-");
        this.registry = new ModelRegistry(dir);
        this.retrainMillis = cfg.detection().retrainEvery().toMillis();
        this.windowRows = (int) (cfg.detection().trainingWindow().toMillis() / stepMs);
        this.acting = new ActingTracker(scenario.start().minus(cfg.detection().trainingWindow()));
        train(scenario.historySteps(), scenario.start());
        Path node = dir.resolve("node.xml");
        Files.writeString(node, nodeXml(scenario));
        Metrics metrics = Metrics.isolated();
        // The test driver keeps its state per connection: this one gateway holds the simulated host for the run.
        this.gateway = new LibvirtGateway("test://" + node.toAbsolutePath(), false,
                new LibvirtGateway.Settings(Duration.ofSeconds(1), Duration.ofSeconds(8), Clock.fixed(scenario.start(), ZoneOffset.UTC)), metrics);
        ActuationService actuation = new ActuationService(cfg.decide(), cfg.act(), gateway,
                new LibvirtActuator(gateway), StateStore.under(dir.resolve("state")), metrics);
        this.cycle = new Cycle(cfg.features(), cfg.collection().step(), new Scorer(cfg.detection(), registry, metrics),
                actuation, acting, new Cycle.Learning(Adaptations.inMemory(), cfg.feedback(),
                        cfg.decide().tiers().medium().minScore(), cfg.decide().tiers().high().minScore(), verdicts),
                metrics);
    }

    /**
     * Trains every scope on rows {@code [row - training_window, row)} (what the daemon would fetch at {@code now}),
     * minus the failure and acting intervals seen so far.
     */
    private void train(int row, Instant now) throws Exception {
        int first = Math.max(0, row - windowRows);
        int rows = row - first;
        Instant from = scenario.start().minus(scenario.history()).plus(scenario.step().multipliedBy(first));
        StepGrid grid = new StepGrid(from, from.plus(scenario.step().multipliedBy(rows - 1)), scenario.step());
        Exclusions excluded = new Exclusions().failures(failures).acting(acting, now).verdicts(verdicts.all());
        failedSince.forEach((w, t) -> excluded.failure(w, new Interval(t, now)));
        BatchTraining.train(cfg.detection(), order, featureNames, grid, Map.of(), excluded.build(), now,
                (batch, wholeFleet) -> matrix(batch, first, rows, grid), registry);
        trainedAt = now;
        trainings++;
    }

    /** The guests in {@code batch} (in scenario order), rows {@code [first, first + rows)}, as a matrix on {@code grid}. */
    private FeatureMatrix matrix(List<String> batch, int first, int rows, StepGrid grid) {
        double[] values = new double[Math.multiplyExact(Math.multiplyExact(batch.size(), rows), nf)];
        for (int w = 0; w < batch.size(); w++) {
            copyRows(index.get(batch.get(w)), first, rows, values, w * rows * nf);
        }
        return new FeatureMatrix(batch, featureNames, grid, values);
    }

    /** Guest {@code w}'s rows {@code [first, first + rows)}, the config's features only, into {@code out} at {@code at}. */
    private void copyRows(int w, int first, int rows, double[] out, int at) {
        int width = Physics.FEATURES.size();
        for (int r = 0; r < rows; r++) {
            for (int f = 0; f < nf; f++) {
                out[at + r * nf + f] = series[w][(first + r) * width + columns[f]];
            }
        }
    }

    @Override
    public Map<Outcome, Integer> outcomes() {
        return Map.copyOf(outcomes);
    }

    @Override
    public int adaptations() {
        return adaptations;
    }

    /** Trainings so far, the one before the first step included. */
    @Override
    public int trainings() {
        return trainings;
    }

    /** Follows each guest's failed state step by step, as the failure query would show it. */
    private void trackFailures(Instant now, Physics.Sample[] samples) {
        List<Scenario.Workload> ws = scenario.workloads();
        for (int w = 0; w < ws.size(); w++) {
            String name = ws.get(w).name();
            if (samples[w].failed() && !failedSince.containsKey(name)) {
                failedSince.put(name, now);
            } else if (!samples[w].failed() && failedSince.containsKey(name)) {
                failures.computeIfAbsent(name, k -> new ArrayList<>()).add(new Interval(failedSince.remove(name), now));
            }
        }
    }

    @Override
    public void step(Instant now, int row, Physics.Sample[] samples, Allocation[] alloc, boolean[] flagged)
            throws Exception {
        trackFailures(now, samples);
        if ((now.toEpochMilli() - scenario.start().toEpochMilli()) % intervalMillis != 0) {
            return;
        }
        if (retrainMillis > 0 && now.toEpochMilli() - trainedAt.toEpochMilli() >= retrainMillis) {
            train(row, now);
        }
        int from = Math.max(0, row - lookbackRows + 1);
        Instant first = now.minus(scenario.step().multipliedBy(row - from));
        StepGrid grid = new StepGrid(first, now, scenario.step());
        Map<String, Scorer.Result> results = cycle.score(matrix(order, from, row - from + 1, grid), Map.of(),
                now);
        Set<String> failing = new HashSet<>(failedSince.keySet());
        Cycle.Acted acted = cycle.act(names, results, now, failing);
        acted.judgements().forEach(j -> outcomes.merge(j.outcome(), 1, Integer::sum));
        adaptations += acted.adapted().size();
        if (acted.retrain() && !now.isBefore(trainedAt.plus(Cycle.RETRAIN_AFTER_MISS_GAP))) {
            // As the daemon does: a miss asks for a training at once, for the next cycle to score with.
            train(row, now);
        }
        List<WorkloadReport> reports = acted.reports();
        for (WorkloadReport rep : reports) {
            int w = index.get(rep.workload());
            flagged[w] = rep.decision().map(d -> d.tier().compareTo(Tier.MEDIUM) >= 0).orElse(false);
            alloc[w] = gateway.allocation(rep.workload()).current();
            if (trace.isPresent()) {
                trace(now, results.get(rep.workload()), rep, alloc[w]);
            }
        }
    }

    /** Header of the {@code --trace} CSV. */
    static final String TRACE_HEADER = "timestamp,workload,score,tier,action,vcpus,memory_bytes,top_feature,reason\n";

    private void trace(Instant now, Scorer.Result scored, WorkloadReport rep, Allocation alloc) {
        int top = -1;
        for (int f = 0; f < scored.attribution().length; f++) {
            if (top < 0 || scored.attribution()[f] > scored.attribution()[top]) {
                top = f;
            }
        }
        String score = scored.scored() ? String.format(java.util.Locale.ROOT, "%.1f", scored.score()) : "";
        String tier = rep.decision().map(d -> d.tier().label()).orElse("");
        String action = rep.decision().map(d -> d.action().name().toLowerCase(java.util.Locale.ROOT)).orElse("");
        String reason = rep.decision().map(d -> d.reason().replace('"', '\'')).orElse("");
        String feature = top < 0 ? "" : cfg.features().get(top).name();
        try {
            trace.get().append(now.toString()).append(',').append(rep.workload()).append(',').append(score).append(',')
                    .append(tier).append(',').append(action).append(',').append(Integer.toString(alloc.vcpus())).append(',')
                    .append(Long.toString(alloc.memoryBytes())).append(',').append(feature).append(",\"").append(reason)
                    .append("\"\n");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws IOException {
        gateway.close();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** A test-driver host with every guest running at its baseline, able to grow to its maximum. */
    static String nodeXml(Scenario s) {
        StringBuilder x = new StringBuilder();
        x.append("<!-- generated by headroom simulate for scenario ").append(s.name().replace("--", "-")).append(" -->\n");
        x.append("<node>\n  <cpu><mhz>2000</mhz><model>i686</model><active>").append(s.host().cpus())
                .append("</active><nodes>1</nodes><sockets>1</sockets><cores>").append(s.host().cpus())
                .append("</cores><threads>1</threads></cpu>\n");
        x.append("  <memory>").append(s.host().memoryBytes() / 1024).append("</memory>\n");
        List<String> done = new ArrayList<>();
        for (Scenario.Workload w : s.workloads()) {
            done.add(w.name());
            x.append("  <domain type=\"test\"><name>").append(w.name()).append("</name>")
                    .append("<memory unit=\"KiB\">").append(w.maxMemory() / 1024).append("</memory>")
                    .append("<currentMemory unit=\"KiB\">").append(w.baselineMemory() / 1024).append("</currentMemory>")
                    .append("<vcpu current=\"").append(w.baselineVcpus()).append("\">").append(w.maxVcpus()).append("</vcpu>")
                    .append("<os><type>hvm</type></os></domain>\n");
        }
        x.append("</node>\n");
        return x.toString();
    }
}
