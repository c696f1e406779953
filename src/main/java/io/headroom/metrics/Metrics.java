package io.headroom.metrics;

import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.Counter;
import io.prometheus.client.Gauge;
import io.prometheus.client.Histogram;
import java.util.List;

/**
 * Every metric Headroom exports, in one place, registered into an injected registry
 * (tests build a fresh one; production passes {@link CollectorRegistry#defaultRegistry}).
 *
 * <p>Naming follows Prometheus conventions: base units in the name ({@code _seconds}, {@code _bytes}),
 * {@code _total} only on counters.
 */
public final class Metrics {

    /** Wall time of one HTTP call to the Prometheus API, by API endpoint (query_range, query, series, label_values). */
    public final Histogram prometheusRequestDuration;
    /** HTTP calls sent to the Prometheus API, by endpoint; retries count as separate calls. */
    public final Counter prometheusRequests;
    /** Failed HTTP calls to the Prometheus API, by endpoint and reason (connect, timeout, http_5xx, http_4xx, bad_response, api_error). */
    public final Counter prometheusRequestErrors;
    /** Warnings in successful Prometheus API answers (a partial answer: a Thanos store down, a limit hit), by endpoint. */
    public final Counter prometheusWarnings;
    /** Duration of the last run of each pipeline stage. */
    public final Gauge stageDuration;
    /** 1 if the last run of the stage succeeded, else 0. */
    public final Gauge stageSuccess;
    /** Unix time of the last successful run of each stage. */
    public final Gauge stageLastSuccess;
    /** Stage runs that failed, by stage. */
    public final Counter stageFailures;
    /** Workloads found by the last discovery. */
    public final Gauge workloads;
    /** Series returned for each feature in the last collection. */
    public final Gauge featureSeries;
    /** Matrix cells with no usable value (missing, NaN, Inf) in the last collection, by feature. */
    public final Gauge featureMissingPoints;
    /** Collection cycles skipped because the previous one was still running. */
    public final Counter cyclesSkipped;
    /** Cycles that finished (collected, scored, decided); the status API's {@code cycle.number} counts the same. */
    public final Counter cyclesCompleted;
    /** headroom_cycle_duration_seconds: every cycle, from its tick to its end. */
    public final Histogram cycleDuration;
    /** headroom_collection_fetches_total{range} */
    public final Counter collectionFetches;
    /** Static build information. */
    public final Gauge buildInfo;
    /** Latest 0-100 anomaly score per workload; absent while the workload has no usable model or no data. */
    public final Gauge anomalyScore;
    /** Share (0-1) of the latest score attributed to each feature. */
    public final Gauge anomalyAttribution;
    /** 1 per workload and the model that scores it (scope and type as labels); 0 in {@code scored} when none. */
    public final Gauge workloadModel;
    /** 1 if the workload got a score in the last cycle, 0 if it had no usable model or data. */
    public final Gauge workloadScored;
    /** Age of each model. */
    public final Gauge modelAge;
    /** Clean rows each model was trained on. */
    public final Gauge modelTrainingRows;
    /** Duration of the last training of all models. */
    public final Gauge trainingDuration;
    /** Models that could not be trained in the last training (too little clean history). */
    public final Gauge modelsSkipped;
    public final Gauge modelsOverBudget;
    public final Gauge modelsMemory;
    /** Workload rows (one per workload and step) of the last training's history, by where they came from. */
    public final Gauge trainingHistoryRows;
    /** History cache files that could not be read or written; their workloads were fetched from Prometheus. */
    public final Counter trainingHistoryCacheErrors;
    /** Workloads whose history the last training did not keep, as the state directory's disk was nearly full. */
    public final Gauge trainingHistoryNotWritten;
    /** 1 if the last config reload (SIGHUP or POST /-/reload) succeeded, 0 if it was refused; 1 at start. */
    public final Gauge configLastReloadSuccessful;
    /** Unix time of the last successful config load, the one at start included. */
    public final Gauge configLastReloadSuccess;
    /** 1 while the config file holds changes that only a restart applies (e.g. server.listen, state_dir). */
    public final Gauge configRestartRequired;
    /** Lines of a state-dir journal skipped at replay (torn by a crash, not UTF-8, not a record), by journal. */
    public final Counter journalCorruptLines;
    /** Trainings that failed (history fetch, training or saving); each is retried after a growing backoff. */
    public final Counter trainingFailures;
    /** Trainings failed in a row since the last success; 0 once one succeeds. */
    public final Gauge trainingConsecutiveFailures;
    /** Unix time of the last failed training. */
    public final Gauge trainingLastFailure;
    /** Unix time of the next training attempt: the schedule, or the backoff after a failure. */
    public final Gauge trainingNextAttempt;
    /** libvirt calls that failed, by operation and reason (refused, domain_gone, connection_lost). */
    public final Counter libvirtFailures;
    /** Attempts to open the libvirt connection, by result (ok, failed). */
    public final Counter libvirtConnects;
    /** headroom_libvirt_operations_total{operation} */
    public final Counter libvirtOperations;
    /** Live vCPUs of each workload, as last read from libvirt. */
    public final Gauge workloadVcpus;
    /** vCPUs each workload had before Headroom changed it. */
    public final Gauge workloadBaselineVcpus;
    /** Live memory of each workload, as last read from libvirt. */
    public final Gauge workloadMemory;
    /** Memory each workload had before Headroom changed it. */
    public final Gauge workloadBaselineMemory;
    /** Most vCPUs each workload can have without a restart (its defined maximum). */
    public final Gauge workloadMaxVcpus;
    /** Most memory each workload can have without a restart (its defined maximum). */
    public final Gauge workloadMaxMemory;
    /** The feature values of each workload's latest scored row: what the score was computed from. */
    public final Gauge featureValue;
    /** Effective tier of each workload: 0 none, 1 medium, 2 high, 3 critical. */
    public final Gauge workloadTier;
    /** 1 while a workload is left alone because someone else changed it after Headroom did. */
    public final Gauge workloadLeftAlone;
    /** Decisions made, by tier and action (no_model, opted_out, hold, raise, decay). */
    public final Counter decisions;
    /** Guardrails that changed a decision, by resource and reason. */
    public final Counter decisionClamps;
    /** Raised resources stepped to the next tier because their pressure outlasted the raise, by resource. */
    public final Counter escalations;
    /** Decisions at which a resource was strained (near its allocation far more than usual), by resource. */
    public final Counter strained;
    /** Actuation steps skipped whole, by reason ({@code stale_data}: the cycle's data was older than act.max_data_age). */
    public final Counter actuationSkipped;
    /** Changes attempted, by workload, resource, tier and result (applied, refused, domain_gone, connection_lost, dry_run). */
    public final Counter actuationChanges;
    /** 1 for the actuation mode in use (observe or enforce). */
    public final Gauge actuationMode;
    /** 1 while a guest's vCPU unplug has failed and its CPU is capped by quota instead; 0 otherwise. */
    public final Gauge vcpuUnplugFailed;
    /** CPU the guest's quota allows, in host CPUs (cores) for the whole guest; absent while uncapped. */
    public final Gauge workloadCpuQuota;
    /** The quota the tier multipliers apply to, in host CPUs for the whole guest; absent without quota control. */
    public final Gauge workloadBaselineCpuQuota;
    /** Per-domain CPU, memory and balloon series read from Headroom's own libvirt connection. */
    public final DomainSeries domains;

    /** Alerts accepted by each Alertmanager, by its configured base URL. */
    public final Counter notificationsSent;
    /** Failed POSTs to an Alertmanager, by URL and reason (connect, timeout, io, http_4xx, http_5xx). */
    public final Counter notificationErrors;
    /** Alerts given up on, by reason (queue_full: oldest dropped; rejected: every Alertmanager answered 4xx). */
    public final Counter notificationsDropped;
    /** Alerts waiting to be posted. */
    public final Gauge notificationQueueLength;
    /** Capacity of the alert queue. */
    public final Gauge notificationQueueCapacity;
    /** Duration of one POST to an Alertmanager, by URL. */
    public final Histogram notificationDuration;
    /** Alerts Headroom currently holds active in Alertmanager. */
    public final Gauge notificationsActive;
    /** Requests to the failure webhook, by HTTP status code answered. */
    public final Counter webhookRequests;
    /** Alerts received by the failure webhook, by result (new, resolved, duplicate, ignored). */
    public final Counter webhookAlerts;
    /** 1 while the admission hook has confirmed a pause of the workload, else 0. */
    public final Gauge admissionPaused;
    /** Calls to the admission hook, by action (pause, resume); retries count as separate calls. */
    public final Counter admissionHookRequests;
    /** Failed calls to the admission hook, by action and reason. */
    public final Counter admissionHookErrors;
    /** Pauses lifted because they reached notify.admission.max_pause while the workload was still critical. */
    public final Counter admissionExpired;

    private final CollectorRegistry registry;

    /** Episodes judged by the feedback stage, by outcome. */
    public final Counter feedbackOutcomes;
    /** 1 while the feedback stage counts the workload as being helped (an open episode), else 0. */
    public final Gauge feedbackEpisodeOpen;
    public final Counter feedbackAdaptations;
    public final Gauge feedbackFloorShift;
    public final Gauge feedbackNoResources;
    public final Counter feedbackExplorations;
    public final Gauge feedbackHeldWithinCpuCores;
    public final Gauge feedbackHeldWithinMemoryBytes;
    /** The per-workload gauges {@link #forgetAllocation} retires. */
    private final List<Gauge> allocationSeries;

    public Metrics(CollectorRegistry registry) {
        this.registry = registry;
        prometheusRequestDuration = Histogram.build()
                .name("headroom_prometheus_request_duration_seconds")
                .help("Duration of HTTP calls to the Prometheus API.")
                .labelNames("endpoint")
                .buckets(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)
                .register(registry);
        prometheusRequests = Counter.build()
                .name("headroom_prometheus_requests_total")
                .help("HTTP calls sent to the Prometheus API, retries included.")
                .labelNames("endpoint")
                .register(registry);
        prometheusRequestErrors = Counter.build()
                .name("headroom_prometheus_request_errors_total")
                .help("Failed HTTP calls to the Prometheus API, by reason.")
                .labelNames("endpoint", "reason")
                .register(registry);
        prometheusWarnings = Counter.build()
                .name("headroom_prometheus_warnings_total")
                .help("Warnings in successful Prometheus API answers: the answer may be partial. By endpoint.")
                .labelNames("endpoint")
                .register(registry);
        stageDuration = Gauge.build()
                .name("headroom_stage_duration_seconds")
                .help("Duration of the last run of a pipeline stage.")
                .labelNames("stage")
                .register(registry);
        stageSuccess = Gauge.build()
                .name("headroom_stage_success")
                .help("1 if the last run of the stage succeeded, 0 if it failed.")
                .labelNames("stage")
                .register(registry);
        stageLastSuccess = Gauge.build()
                .name("headroom_stage_last_success_timestamp_seconds")
                .help("Unix time of the last successful run of the stage.")
                .labelNames("stage")
                .register(registry);
        stageFailures = Counter.build()
                .name("headroom_stage_failures_total")
                .help("Failed runs of a pipeline stage.")
                .labelNames("stage")
                .register(registry);
        workloads = Gauge.build()
                .name("headroom_workloads")
                .help("Workloads found by the last discovery.")
                .register(registry);
        featureSeries = Gauge.build()
                .name("headroom_feature_series")
                .help("Series returned for the feature by the last collection.")
                .labelNames("feature")
                .register(registry);
        featureMissingPoints = Gauge.build()
                .name("headroom_feature_missing_points")
                .help("Cells of the last feature matrix with no usable value (absent, NaN or Inf).")
                .labelNames("feature")
                .register(registry);
        cyclesSkipped = Counter.build()
                .name("headroom_cycle_skipped_total")
                .help("Cycles skipped because the previous cycle was still running.")
                .register(registry);
        cyclesCompleted = Counter.build()
                .name("headroom_cycle_completed_total")
                .help("Cycles that finished: collected, scored and decided (failed cycles count as stage failures).")
                .register(registry);
        cycleDuration = Histogram.build()
                .name("headroom_cycle_duration_seconds")
                .help("Time of each cycle from its tick to its end (discover, collect, score, decide, act), failed "
                        + "ones included; past collection.interval the next tick is skipped.")
                .buckets(0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300)
                .register(registry);
        collectionFetches = Counter.build()
                .name("headroom_collection_fetches_total")
                .help("Cycles' Prometheus fetches by range: whole (the lookback) or recent (collection.refetch and "
                        + "what is new since the previous cycle, the rest kept from it).")
                .labelNames("range")
                .register(registry);
        anomalyScore = Gauge.build()
                .name("headroom_anomaly_score")
                .help("Latest anomaly score (0-100) of the workload; absent when it has no model or no data.")
                .labelNames("workload")
                .register(registry);
        anomalyAttribution = Gauge.build()
                .name("headroom_anomaly_attribution")
                .help("Share (0-1) of the workload's latest score attributed to the feature.")
                .labelNames("workload", "feature")
                .register(registry);
        workloadModel = Gauge.build()
                .name("headroom_workload_model_info")
                .help("The model that scores the workload: scope (workload, group or global) and type.")
                .labelNames("workload", "scope", "type")
                .register(registry);
        workloadScored = Gauge.build()
                .name("headroom_workload_scored")
                .help("1 if the workload got a score in the last cycle, 0 if it had no usable model or data.")
                .labelNames("workload")
                .register(registry);
        modelAge = Gauge.build()
                .name("headroom_model_age_seconds")
                .help("Time since the model was trained.")
                .labelNames("scope", "type")
                .register(registry);
        modelTrainingRows = Gauge.build()
                .name("headroom_model_training_rows")
                .help("Clean rows the model was trained on.")
                .labelNames("scope", "type")
                .register(registry);
        trainingDuration = Gauge.build()
                .name("headroom_training_duration_seconds")
                .help("Duration of the last training of all models, history fetch included.")
                .register(registry);
        modelsSkipped = Gauge.build()
                .name("headroom_training_skipped_models")
                .help("Models the last training could not train (too little clean history).")
                .register(registry);
        modelsOverBudget = Gauge.build()
                .name("headroom_training_models_over_budget")
                .help("Workloads the last training left without an own model because the models' memory budget "
                        + "(40% of the heap) was full; their group's or the global model scores them.")
                .register(registry);
        modelsMemory = Gauge.build()
                .name("headroom_models_memory_bytes")
                .help("Heap held by the models in memory (estimated from their arrays), after the last training.")
                .register(registry);
        trainingHistoryRows = Gauge.build()
                .name("headroom_training_history_rows")
                .help("Workload rows of the last training's history: source=cache kept on disk since the training "
                        + "before, source=prometheus fetched.")
                .labelNames("source")
                .register(registry);
        trainingHistoryCacheErrors = Counter.build()
                .name("headroom_training_history_cache_errors_total")
                .help("History cache files in state_dir/history that could not be read or written; their workloads "
                        + "were fetched from Prometheus instead.")
                .register(registry);
        trainingHistoryNotWritten = Gauge.build()
                .name("headroom_training_history_not_kept")
                .help("Workloads whose history the last training did not keep in state_dir/history, because the "
                        + "disk would have had less than 5% (at least 256 MiB) free for the state.")
                .register(registry);
        configLastReloadSuccessful = Gauge.build()
                .name("headroom_config_last_reload_successful")
                .help("1 if the last config reload (SIGHUP or POST /-/reload) succeeded, 0 if the file was refused.")
                .register(registry);
        configLastReloadSuccess = Gauge.build()
                .name("headroom_config_last_reload_success_timestamp_seconds")
                .help("Unix time of the last successful config load, the one at start included.")
                .register(registry);
        configRestartRequired = Gauge.build()
                .name("headroom_config_restart_required")
                .help("1 while the loaded config file holds changes only a restart applies (e.g. server.listen).")
                .register(registry);
        journalCorruptLines = Counter.build()
                .name("headroom_journal_corrupt_lines_total")
                .help("Lines of a state-dir journal skipped at replay (torn by a crash, not UTF-8, not a record).")
                .labelNames("journal")
                .register(registry);
        trainingFailures = Counter.build()
                .name("headroom_training_failures_total")
                .help("Trainings that failed; each is retried after a backoff growing from 30s to detection.retrain_every.")
                .register(registry);
        trainingConsecutiveFailures = Gauge.build()
                .name("headroom_training_consecutive_failures")
                .help("Trainings failed in a row since the last success (0 after a success).")
                .register(registry);
        trainingLastFailure = Gauge.build()
                .name("headroom_training_last_failure_timestamp_seconds")
                .help("Unix time of the last failed training.")
                .register(registry);
        trainingNextAttempt = Gauge.build()
                .name("headroom_training_next_attempt_timestamp_seconds")
                .help("Unix time of the next training attempt (the schedule, or the backoff after a failure).")
                .register(registry);
        buildInfo = Gauge.build()
                .name("headroom_build_info")
                .help("Headroom build information; always 1.")
                .labelNames("version")
                .register(registry);
        libvirtFailures = Counter.build()
                .name("headroom_libvirt_failures_total")
                .help("libvirt calls that failed, by operation and reason (refused, domain_gone, connection_lost).")
                .labelNames("operation", "reason")
                .register(registry);
        libvirtConnects = Counter.build()
                .name("headroom_libvirt_connects_total")
                .help("Attempts to open the libvirt connection, by result (ok, failed).")
                .labelNames("result")
                .register(registry);
        libvirtOperations = Counter.build()
                .name("headroom_libvirt_operations_total")
                .help("Operations of the libvirt gateway, by operation: each is a few libvirt API calls, except "
                        + "list_domains and read_host, which make one or two per running domain.")
                .labelNames("operation")
                .register(registry);
        workloadVcpus = Gauge.build()
                .name("headroom_workload_vcpus")
                .help("Live vCPUs of the workload, as last read from libvirt.")
                .labelNames("workload")
                .register(registry);
        workloadBaselineVcpus = Gauge.build()
                .name("headroom_workload_baseline_vcpus")
                .help("vCPUs the workload had before Headroom changed it.")
                .labelNames("workload")
                .register(registry);
        workloadMemory = Gauge.build()
                .name("headroom_workload_memory_bytes")
                .help("Live memory of the workload, as last read from libvirt.")
                .labelNames("workload")
                .register(registry);
        workloadBaselineMemory = Gauge.build()
                .name("headroom_workload_baseline_memory_bytes")
                .help("Memory the workload had before Headroom changed it.")
                .labelNames("workload")
                .register(registry);
        workloadMaxVcpus = Gauge.build()
                .name("headroom_workload_max_vcpus")
                .help("Most vCPUs the workload can have without a restart, as last read from libvirt.")
                .labelNames("workload")
                .register(registry);
        workloadMaxMemory = Gauge.build()
                .name("headroom_workload_max_memory_bytes")
                .help("Most memory the workload can have without a restart, as last read from libvirt.")
                .labelNames("workload")
                .register(registry);
        featureValue = Gauge.build()
                .name("headroom_feature_value")
                .help("Value of the feature in the workload's latest scored row; absent when it had no usable value.")
                .labelNames("workload", "feature")
                .register(registry);
        workloadTier = Gauge.build()
                .name("headroom_workload_tier")
                .help("Effective tier of the workload: 0 none, 1 medium, 2 high, 3 critical.")
                .labelNames("workload")
                .register(registry);
        workloadLeftAlone = Gauge.build()
                .name("headroom_workload_left_alone")
                .help("1 while the workload is left alone because someone else changed it after Headroom did.")
                .labelNames("workload")
                .register(registry);
        decisions = Counter.build()
                .name("headroom_decisions_total")
                .help("Decisions made, by tier and action (no_model, opted_out, hold, raise, decay).")
                .labelNames("tier", "action")
                .register(registry);
        decisionClamps = Counter.build()
                .name("headroom_decision_clamps_total")
                .help("Guardrails that changed a decision, by resource and reason.")
                .labelNames("resource", "reason")
                .register(registry);
        actuationSkipped = Counter.build()
                .name("headroom_actuation_skipped_total")
                .help("Cycles whose decisions and changes were skipped whole, by reason (stale_data: the data was "
                        + "older than act.max_data_age when the change would have been made).")
                .labelNames("reason")
                .register(registry);
        escalations = Counter.build()
                .name("headroom_decision_escalations_total")
                .help("Raised resources stepped to the next tier because their use stayed near the allocation, or "
                        + "trended to it, for decide.sizing.escalate_after_cycles cycles after the raise; by resource.")
                .labelNames("resource")
                .register(registry);
        strained = Counter.build()
                .name("headroom_decision_strained_total")
                .help("Decisions at which a resource was strained: near its allocation in decide.sizing.strain_share "
                        + "of the rows of a trailing window of half to all of decide.sizing.strain_window, a count "
                        + "its usual rate of being near (at most a third) reaches by chance less than once in a "
                        + "million; by resource.")
                .labelNames("resource")
                .register(registry);
        actuationChanges = Counter.build()
                .name("headroom_actuation_changes_total")
                .help("Changes attempted, by workload, resource, tier and result.")
                .labelNames("workload", "resource", "tier", "result")
                .register(registry);
        actuationMode = Gauge.build()
                .name("headroom_actuation_mode")
                .help("1 for the actuation mode in use (observe or enforce).")
                .labelNames("mode")
                .register(registry);
        vcpuUnplugFailed = Gauge.build()
                .name("headroom_vcpu_unplug_failed")
                .help("1 while a vCPU unplug of the workload has failed (libvirt keeps counting the vCPU) and its CPU "
                        + "is capped by quota instead.")
                .labelNames("workload")
                .register(registry);
        workloadCpuQuota = Gauge.build()
                .name("headroom_workload_cpu_quota_cores")
                .help("CPU the workload's CFS quota allows, in host CPUs for the whole guest; absent while uncapped.")
                .labelNames("workload")
                .register(registry);
        workloadBaselineCpuQuota = Gauge.build()
                .name("headroom_workload_baseline_cpu_quota_cores")
                .help("The CFS quota the tier multipliers apply to, in host CPUs for the whole guest.")
                .labelNames("workload")
                .register(registry);
        domains = new DomainSeries().register(registry);
        notificationsSent = Counter.build()
                .name("headroom_notifications_sent_total")
                .help("Alerts accepted by an Alertmanager.")
                .labelNames("alertmanager")
                .register(registry);
        notificationErrors = Counter.build()
                .name("headroom_notifications_errors_total")
                .help("Failed POSTs of alerts to an Alertmanager, by reason.")
                .labelNames("alertmanager", "reason")
                .register(registry);
        notificationsDropped = Counter.build()
                .name("headroom_notifications_dropped_total")
                .help("Alerts given up on: queue_full (oldest dropped) or rejected (4xx from every Alertmanager).")
                .labelNames("reason")
                .register(registry);
        notificationQueueLength = Gauge.build()
                .name("headroom_notifications_queue_length")
                .help("Alerts waiting to be posted to Alertmanager.")
                .register(registry);
        notificationQueueCapacity = Gauge.build()
                .name("headroom_notifications_queue_capacity")
                .help("Capacity of the alert queue.")
                .register(registry);
        notificationDuration = Histogram.build()
                .name("headroom_notifications_request_duration_seconds")
                .help("Duration of POSTs of alerts to an Alertmanager.")
                .labelNames("alertmanager")
                .buckets(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)
                .register(registry);
        notificationsActive = Gauge.build()
                .name("headroom_notifications_active_alerts")
                .help("Alerts Headroom currently holds active in Alertmanager.")
                .register(registry);
        webhookRequests = Counter.build()
                .name("headroom_webhook_requests_total")
                .help("Requests to the failure webhook, by HTTP status code answered.")
                .labelNames("code")
                .register(registry);
        webhookAlerts = Counter.build()
                .name("headroom_webhook_alerts_total")
                .help("Alerts received by the failure webhook, by result: new, resolved, duplicate, ignored.")
                .labelNames("result")
                .register(registry);
        admissionPaused = Gauge.build()
                .name("headroom_admission_paused")
                .help("1 while the admission hook has confirmed a pause of new requests to the workload.")
                .labelNames("workload")
                .register(registry);
        admissionHookRequests = Counter.build()
                .name("headroom_admission_hook_requests_total")
                .help("Calls to the admission hook, retries included.")
                .labelNames("action")
                .register(registry);
        admissionHookErrors = Counter.build()
                .name("headroom_admission_hook_errors_total")
                .help("Failed calls to the admission hook, by reason.")
                .labelNames("action", "reason")
                .register(registry);
        admissionExpired = Counter.build()
                .name("headroom_admission_expired_total")
                .help("Pauses lifted because they reached max_pause while the workload was still critical.")
                .register(registry);
        feedbackEpisodeOpen = Gauge.build()
                .name("headroom_feedback_episode_open")
                .help("1 while the workload is in an episode of help (flagged, or holding a change), else 0.")
                .labelNames("workload")
                .register(registry);
        feedbackAdaptations = Counter.build()
                .name("headroom_feedback_adaptations_total")
                .help("Adaptations feedback made to a workload's policy (a floor moved, resources stopped or resumed "
                        + "for a kind of anomaly); each is logged with its evidence.")
                .register(registry);
        feedbackFloorShift = Gauge.build()
                .name("headroom_feedback_floor_shift")
                .help("Score points feedback moved the workload's medium-tier floor: positive after unnecessary raises, "
                        + "negative after misses; 0 when nothing is in force.")
                .labelNames("workload")
                .register(registry);
        feedbackNoResources = Gauge.build()
                .name("headroom_feedback_no_resources")
                .help("1 while feedback holds back resources from the workload's anomalies of this kind (top feature): "
                        + "they failed or were not resource problems again and again. Alerts go on.")
                .labelNames("workload", "kind")
                .register(registry);
        feedbackExplorations = Counter.build()
                .name("headroom_feedback_explorations_total")
                .help("Episodes beginning in the medium tier drawn by exploration (feedback.explore): hold, a no-action "
                        + "baseline, or raise. Each draw is logged with its probability.")
                .labelNames("choice")
                .register(registry);
        feedbackHeldWithinCpuCores = Gauge.build()
                .name("headroom_feedback_held_within_cpu_cores")
                .help("While feedback right-sizes the workload's anomalies of this kind (top feature): the most CPU, in "
                        + "cores, its judged episodes used; inside it, raises stop at the tier step that holds it.")
                .labelNames("workload", "kind")
                .register(registry);
        feedbackHeldWithinMemoryBytes = Gauge.build()
                .name("headroom_feedback_held_within_memory_bytes")
                .help("While feedback right-sizes the workload's anomalies of this kind (top feature): the most memory, "
                        + "in bytes, its judged episodes used; inside it, raises stop at the tier step that holds it.")
                .labelNames("workload", "kind")
                .register(registry);
        feedbackOutcomes = Counter.build()
                .name("headroom_feedback_outcomes_total")
                .help("Episodes of help judged by their effect (failed, relieved, unnecessary, not_resource, unjudged) "
                        + "and failures no episode covered (missed).")
                .labelNames("outcome")
                .register(registry);
        allocationSeries = List.of(workloadVcpus, workloadMemory, workloadMaxVcpus, workloadMaxMemory,
                workloadBaselineVcpus, workloadBaselineMemory, workloadTier, workloadLeftAlone, vcpuUnplugFailed,
                workloadCpuQuota, workloadBaselineCpuQuota);
    }

    /**
     * Retires a workload's allocation series (every gauge above labelled by {@code workload} alone that actuation
     * sets), so that dashboards do not show stale sizes for a guest that is gone. One list, so that a new gauge
     * cannot be exported without being retired.
     */
    public void forgetAllocation(String workload) {
        for (Gauge g : allocationSeries) {
            g.remove(workload);
        }
    }

    /**
     * Runs one pipeline stage and records its duration, success and last-success time.
     * Failures are counted and rethrown unchanged.
     */
    public <T> T timeStage(String stage, java.util.concurrent.Callable<T> work) throws Exception {
        long start = System.nanoTime();
        try {
            T result = work.call();
            stageSuccess.labels(stage).set(1);
            stageLastSuccess.labels(stage).setToCurrentTime();
            return result;
        } catch (Exception | Error e) {
            stageSuccess.labels(stage).set(0);
            stageFailures.labels(stage).inc();
            throw e;
        } finally {
            stageDuration.labels(stage).set((System.nanoTime() - start) / 1e9);
        }
    }

    /** The registry these metrics live in. */
    public CollectorRegistry registry() {
        return registry;
    }

    /**
     * HTTP calls sent to Prometheus so far ({@code headroom_prometheus_requests_total}), retries included, on the
     * given endpoints, or on every endpoint when none is given: what the one-shot commands report.
     */
    public double prometheusRequestsSent(String... endpoints) {
        java.util.Set<String> only = java.util.Set.of(endpoints);
        double sum = 0;
        for (io.prometheus.client.Collector.MetricFamilySamples f : prometheusRequests.collect()) {
            for (io.prometheus.client.Collector.MetricFamilySamples.Sample s : f.samples) {
                if (s.name.equals("headroom_prometheus_requests_total")
                        && (only.isEmpty() || only.contains(s.labelValues.get(0)))) {
                    sum += s.value;
                }
            }
        }
        return sum;
    }

    /** A fresh, isolated set of metrics, for tests and one-shot commands. */
    public static Metrics isolated() {
        return new Metrics(new CollectorRegistry());
    }
}
