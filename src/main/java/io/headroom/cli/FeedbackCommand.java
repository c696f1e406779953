package io.headroom.cli;

import io.headroom.config.HeadroomConfig;
import io.headroom.feedback.Adaptation;
import io.headroom.feedback.Adaptations;
import io.headroom.feedback.Verdict;
import io.headroom.feedback.Verdicts;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.headroom.daemon.WorkloadsJson;
import java.time.Instant;
import io.headroom.net.SecretFile;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code headroom feedback list|reset|mark}: what feedback learnt per workload, undoing it, operators' verdicts. */
@Command(name = "feedback", mixinStandardHelpOptions = true,
        description = {"What the feedback loop learnt about each workload (medium floor moved, kinds of anomaly that",
                "get no more resources), and undoing it. See the README, \"Feedback\"."},
        subcommands = {FeedbackCommand.ListCommand.class, FeedbackCommand.ResetCommand.class,
                FeedbackCommand.MarkCommand.class})
final class FeedbackCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "give a subcommand: list, reset WORKLOAD or mark WORKLOAD --at T --verdict V");
    }

    /** {@code headroom feedback list}: reads {@code state_dir/feedback.json}. */
    @Command(name = "list", mixinStandardHelpOptions = true,
            description = {"Prints every workload feedback learnt about, from state_dir/feedback.json: the medium",
                    "floor's shift, the kinds that get no more resources, the counts toward the next change and",
                    "the last change with its evidence. Read-only: safe while the daemon runs."})
    static final class ListCommand implements Callable<Integer> {

        @Mixin
        ConfigOption config;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            HeadroomConfig cfg = config.load();
            SortedMap<String, Adaptation> all = Adaptations.read(cfg.stateDir());
            PrintWriter out = spec.commandLine().getOut();
            out.print(render(all, cfg.feedback().adapt()));
            out.print(renderVerdicts(Verdicts.read(cfg.stateDir())));
            out.flush();
            return 0;
        }

        /** The newest verdicts, at most {@value #VERDICTS_SHOWN}, oldest first; nothing without any. */
        static String renderVerdicts(List<Verdict> verdicts) {
            if (verdicts.isEmpty()) {
                return "";
            }
            StringBuilder b = new StringBuilder("\nverdicts (" + verdicts.size() + ", newest " + VERDICTS_SHOWN
                    + " shown):\n");
            for (Verdict v : verdicts.subList(Math.max(0, verdicts.size() - VERDICTS_SHOWN), verdicts.size())) {
                b.append(v.workload()).append("  ").append(v.call().label()).append("  at ").append(v.at())
                        .append(v.from().map(f -> " from " + f).orElse(""))
                        .append(v.kind().map(k -> "  kind " + k).orElse(""))
                        .append(v.note().isEmpty() ? "" : "  \"" + v.note() + "\"").append('\n');
            }
            return b.toString();
        }

        static final int VERDICTS_SHOWN = 20;

        static String render(SortedMap<String, Adaptation> all, boolean adapt) {
            StringBuilder b = new StringBuilder();
            if (!adapt) {
                b.append("feedback.adapt is false: these are learnt but not applied\n");
            }
            if (all.isEmpty()) {
                return b.append("feedback has learnt nothing yet\n").toString();
            }
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"WORKLOAD", "FLOOR", "NO RESOURCES FOR", "HELD INSIDE", "COUNTS", "LAST CHANGE"});
            for (Map.Entry<String, Adaptation> e : all.entrySet()) {
                Adaptation a = e.getValue();
                StringBuilder counts = new StringBuilder("unnecessary " + a.unnecessaryStreak());
                a.futileStreaks().forEach((k, n) -> counts.append(", ").append(k).append(' ').append(n));
                rows.add(new String[] {e.getKey(), a.floorShift() > 0 ? "+" + a.floorShift() : "" + a.floorShift(),
                        a.noResources().isEmpty() ? "-" : String.join(",", a.noResources()),
                        a.heldKinds().isEmpty() ? "-" : String.join(",", a.heldKinds()), counts.toString(),
                        a.changedAt().map(t -> t + " " + a.lastChange().orElse("")).orElse("-")});
            }
            int[] width = new int[6];
            for (String[] r : rows) {
                for (int i = 0; i < 5; i++) {
                    width[i] = Math.max(width[i], r[i].length());
                }
            }
            for (String[] r : rows) {
                for (int i = 0; i < 5; i++) {
                    b.append(String.format("%-" + width[i] + "s  ", r[i]));
                }
                b.append(r[5]).append('\n');
            }
            return b.toString();
        }
    }

    /** The daemon's feedback API, as {@code reset} and {@code mark} reach it. */
    static final class DaemonCall {

        @Option(names = "--token-file", paramLabel = "FILE",
                description = "Bearer token for the daemon (default: notify.webhook.bearer_token_file).")
        Path tokenFile;

        @Option(names = "--ca-file", paramLabel = "FILE",
                description = "PEM CAs for the daemon's TLS certificate (default: server.web_config_file's cert_file).")
        Path caFile;

        /**
         * POSTs {@code json} (none if null) to {@code /api/v1/feedback/WORKLOAD/<action>}; empty when no daemon
         * listens (then none owns the state files, and the command may change them itself).
         */
        Optional<HttpResponse<String>> post(HeadroomConfig cfg, URI base, String workload, String action, String json)
                throws IOException, InterruptedException {
            URI uri = URI.create(base + "/api/v1/feedback/"
                    + URLEncoder.encode(workload, StandardCharsets.UTF_8).replace("+", "%20") + "/" + action);
            HttpClient.Builder client = HttpClient.newBuilder().connectTimeout(StatusCommand.CONNECT_TIMEOUT);
            DaemonAddress.trust(client, Optional.ofNullable(caFile)
                    .or(() -> cfg.server().web().tls().map(t -> t.certFile())));
            HttpRequest.Builder req = HttpRequest.newBuilder(uri).timeout(StatusCommand.REQUEST_TIMEOUT)
                    .POST(json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
            if (json != null) {
                req.header("Content-Type", "application/json");
            }
            Optional.ofNullable(tokenFile).or(() -> cfg.notifications().webhook().bearerTokenFile())
                    .ifPresent(f -> req.header("Authorization", "Bearer " + SecretFile.read(f)));
            try {
                return Optional.of(client.build().send(req.build(), HttpResponse.BodyHandlers.ofString()));
            } catch (ConnectException e) {
                return Optional.empty();
            }
        }

        /** What a command prints of the daemon's answer. */
        interface Answer {
            String line(String body) throws IOException;
        }

        /**
         * Asks the daemon ({@link #post}) and prints {@code answer}'s line for an {@code expected} status, the
         * refusal for any other; when no daemon listens, runs {@code offline} instead, which may change the state
         * files itself. Returns the exit code.
         */
        int ask(CommandLine.Model.CommandSpec spec, HeadroomConfig cfg, URI base, String workload, String action,
                String json, int expected, Answer answer, Callable<Integer> offline) throws Exception {
            PrintWriter err = spec.commandLine().getErr();
            Optional<HttpResponse<String>> r;
            try {
                r = post(cfg, base, workload, action, json);
            } catch (IOException e) {
                return failed(err, "cannot reach the Headroom daemon at " + base + " (" + StatusCommand.describe(e)
                        + ")");
            }
            if (r.isEmpty()) {
                return offline.call();
            }
            if (r.get().statusCode() != expected) {
                return failed(err, "the daemon at " + base + " answered HTTP " + r.get().statusCode() + ": "
                        + r.get().body().strip());
            }
            PrintWriter out = spec.commandLine().getOut();
            out.println(answer.line(r.get().body()));
            out.flush();
            return 0;
        }

        private static int failed(PrintWriter err, String why) {
            err.println("error: " + why);
            err.flush();
            return Main.EXIT_RUNTIME;
        }
    }

    /** {@code headroom feedback reset WORKLOAD}: asks the running daemon, or edits the file when none runs. */
    @Command(name = "reset", mixinStandardHelpOptions = true,
            description = {"Undoes everything feedback learnt about WORKLOAD, and drops its verdicts (the operators'",
                    "and the misses Headroom recorded), so training sees its history as if none had been given.",
                    "Asks the running daemon (POST /api/v1/feedback/WORKLOAD/reset at server.listen, with",
                    "notify.webhook's bearer token); when no daemon listens there, edits the state dir's files."})
    static final class ResetCommand implements Callable<Integer> {

        @Mixin
        ConfigOption config;

        @Mixin
        DaemonCall daemon;

        @Parameters(paramLabel = "WORKLOAD", description = "The workload (libvirt domain) name.")
        String workload;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            HeadroomConfig cfg = config.load();
            PrintWriter out = spec.commandLine().getOut();
            URI base = DaemonAddress.of(cfg.server(), config.file, spec.commandLine());
            return daemon.ask(spec, cfg, base, workload, "reset", null, 200,
                    body -> "reset " + workload + " in the running daemon", () -> {
                        // Nothing listens: no daemon owns the files, so it is safe to change them here.
                        boolean had = Adaptations.open(cfg.stateDir()).reset(workload)
                                | Verdicts.open(cfg.stateDir()).forget(workload);
                        out.println(had ? "reset " + workload + " in " + cfg.stateDir().resolve(Adaptations.FILE_NAME)
                                + " (no daemon listens at " + base + ")"
                                : "feedback has learnt nothing about " + workload + "; nothing to reset");
                        out.flush();
                        return had ? 0 : Main.EXIT_RUNTIME;
                    });
        }
    }

    /** {@code headroom feedback mark WORKLOAD --at T --verdict V}: an operator's verdict. */
    @Command(name = "mark", mixinStandardHelpOptions = true,
            description = {"Records an operator's verdict on WORKLOAD at time T. false_positive: normal behaviour",
                    "(counts as an unnecessary episode; a change held around T is learnt as normal by the next",
                    "training). true_positive: a real incident (left out of training from --from, default an hour",
                    "before T, to T; lowers the medium floor like a miss if Headroom held no change then).",
                    "not_resource: more CPU or memory does not fix it (counts toward futile_to_stop for --kind).",
                    "Asks the running daemon (POST /api/v1/feedback/WORKLOAD/verdicts); when none listens, records",
                    "it in state_dir/verdicts.json and feedback.json itself."})
    static final class MarkCommand implements Callable<Integer> {

        @Mixin
        ConfigOption config;

        @Mixin
        DaemonCall daemon;

        @Parameters(paramLabel = "WORKLOAD", description = "The workload (libvirt domain) name.")
        String workload;

        @Option(names = "--at", required = true, paramLabel = "T", converter = TimeArg.class,
                description = "The time the verdict is about: RFC 3339, unix seconds, now or now-<duration>.")
        Instant at;

        @Option(names = "--verdict", required = true, paramLabel = "V",
                description = "false_positive, true_positive or not_resource.")
        String verdict;

        @Option(names = "--from", paramLabel = "T", converter = TimeArg.class,
                description = "For a true_positive: when the incident began (default: an hour before --at).")
        Instant from;

        @Option(names = "--kind", paramLabel = "FEATURE",
                description = "The kind of anomaly (the top feature, as headroom feedback list shows kinds).")
        String kind;

        @Option(names = "--note", paramLabel = "TEXT", description = "Free text kept with the verdict.")
        String note = "";

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            HeadroomConfig cfg = config.load();
            PrintWriter out = spec.commandLine().getOut();
            Verdict v;
            try {
                v = new Verdict(workload, Verdict.Call.parse(verdict), at, Optional.ofNullable(from),
                        Optional.ofNullable(kind), note, Instant.now());
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
            URI base = DaemonAddress.of(cfg.server(), config.file, spec.commandLine());
            ObjectNode body = Verdicts.encode(v);
            body.remove(List.of("workload", "recorded_at"));
            String recorded = "recorded " + v.call().label() + " for " + workload + " at " + v.at();
            return daemon.ask(spec, cfg, base, workload, "verdicts", body.toString(), 201, answer -> {
                JsonNode adaptation = WorkloadsJson.JSON.readTree(answer).path("adaptation");
                return recorded + " in the running daemon"
                        + (adaptation.isTextual() ? "; adaptation: " + adaptation.asText() : "");
            }, () -> {
                // Nothing listens: no daemon owns the files. Without its memory of when changes were held, a true
                // positive counts as a miss.
                Optional<Adaptations.Change> c = Verdicts.open(cfg.stateDir()).mark(v, false,
                        Adaptations.open(cfg.stateDir()), cfg.feedback());
                out.println(recorded + " in " + cfg.stateDir().resolve(Verdicts.FILE_NAME) + " (no daemon listens at "
                        + base + ")" + c.map(x -> "; adaptation: " + x.what()).orElse(""));
                out.flush();
                return 0;
            });
        }
    }
}
