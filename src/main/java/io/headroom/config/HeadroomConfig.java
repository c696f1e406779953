package io.headroom.config;

import java.nio.file.Path;
import java.util.List;

/**
 * The whole validated configuration; built only by {@link ConfigLoader}.
 *
 * @param prometheus where metrics are read from
 * @param workloads  which workloads are looked after
 * @param collection collection cycle timing
 * @param features   the feature queries, in matrix column order
 * @param server     the HTTP listener
 * @param stateDir   where models, baselines and the audit log are kept
 * @param detection  models, scores and the model lifecycle
 * @param decide     tiers and guardrails that turn scores into decisions
 * @param act        whether and how decisions change guests
 * @param notifications alerts to Alertmanager, the failure webhook and the admission pause
 * @param stateLogs  rotation of the audit and failure logs in the state dir
 * @param feedback   how judged outcomes adapt each workload's policy
 */
public record HeadroomConfig(
        PrometheusConfig prometheus,
        WorkloadsConfig workloads,
        CollectionConfig collection,
        List<FeatureSpec> features,
        ServerConfig server,
        Path stateDir,
        DetectionConfig detection,
        DecideConfig decide,
        ActConfig act,
        NotifyConfig notifications,
        StateLogsConfig stateLogs,
        FeedbackConfig feedback) {

    public HeadroomConfig {
        features = List.copyOf(features);
    }
}
