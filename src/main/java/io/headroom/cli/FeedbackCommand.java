package io.headroom.cli;

import io.headroom.config.ConfigLoader;
import io.headroom.config.HeadroomConfig;
import io.headroom.feedback.Adaptation;
import io.headroom.feedback.Adaptations;
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

/** {@code headroom feedback list|reset}: what feedback learnt per workload, and undoing it. */
@Command(name = "feedback", mixinStandardHelpOptions = true,
        description = {"What the feedback loop learnt about each workload (medium floor moved, kinds of anomaly that",
                "get no more resources), and undoing it. See the README, \"Feedback\"."},
        subcommands = {FeedbackCommand.ListCommand.class, FeedbackCommand.ResetCommand.class})
final class FeedbackCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        throw new CommandLine.ParameterException(spec.commandLine(), "give a subcommand: list or reset WORKLOAD");
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
            out.flush();
            return 0;
        }

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

    /** {@code headroom feedback reset WORKLOAD}: asks the running daemon, or edits the file when none runs. */
    @Command(name = "reset", mixinStandardHelpOptions = true,
            description = {"Undoes everything feedback learnt about WORKLOAD. Asks the running daemon",
                    "(POST /api/v1/feedback/WORKLOAD/reset at server.listen, with notify.webhook's bearer token);",
                    "when no daemon listens there, edits state_dir/feedback.json itself."})
    static final class ResetCommand implements Callable<Integer> {

        @Mixin
        ConfigOption config;

        @Parameters(paramLabel = "WORKLOAD", description = "The workload (libvirt domain) name.")
        String workload;

        @Option(names = "--token-file", paramLabel = "FILE",
                description = "Bearer token for the daemon (default: notify.webhook.bearer_token_file).")
        Path tokenFile;

        @Option(names = "--ca-file", paramLabel = "FILE",
                description = "PEM CAs for the daemon's TLS certificate (default: server.web_config_file's cert_file).")
        Path caFile;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            HeadroomConfig cfg = config.load();
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            URI base = DaemonAddress.of(cfg.server(), config.file, spec.commandLine());
            URI uri = URI.create(base + "/api/v1/feedback/"
                    + URLEncoder.encode(workload, StandardCharsets.UTF_8).replace("+", "%20") + "/reset");
            HttpClient.Builder client = HttpClient.newBuilder().connectTimeout(StatusCommand.CONNECT_TIMEOUT);
            DaemonAddress.trust(client, Optional.ofNullable(caFile)
                    .or(() -> cfg.server().web().tls().map(t -> t.certFile())));
            HttpRequest.Builder req = HttpRequest.newBuilder(uri).timeout(StatusCommand.REQUEST_TIMEOUT)
                    .POST(HttpRequest.BodyPublishers.noBody());
            Optional.ofNullable(tokenFile).or(() -> cfg.notifications().webhook().bearerTokenFile())
                    .ifPresent(f -> req.header("Authorization", "Bearer " + SecretFile.read(f)));
            HttpResponse<String> r;
            try {
                r = client.build().send(req.build(), HttpResponse.BodyHandlers.ofString());
            } catch (ConnectException e) {
                // Nothing listens: no daemon owns the file, so it is safe to change it here.
                boolean had = Adaptations.open(cfg.stateDir()).reset(workload);
                out.println(had ? "reset " + workload + " in " + cfg.stateDir().resolve(Adaptations.FILE_NAME)
                        + " (no daemon listens at " + base + ")"
                        : "feedback has learnt nothing about " + workload + "; nothing to reset");
                out.flush();
                return had ? 0 : Main.EXIT_RUNTIME;
            } catch (IOException e) {
                err.println("error: cannot reach the Headroom daemon at " + base + " (" + StatusCommand.describe(e)
                        + ")");
                err.flush();
                return Main.EXIT_RUNTIME;
            }
            if (r.statusCode() == 200) {
                out.println("reset " + workload + " in the running daemon");
                out.flush();
                return 0;
            }
            err.println("error: the daemon at " + base + " answered HTTP " + r.statusCode() + ": " + r.body().strip());
            err.flush();
            return Main.EXIT_RUNTIME;
        }
    }
}
