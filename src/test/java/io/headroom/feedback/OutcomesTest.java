package io.headroom.feedback;

import static org.assertj.core.api.Assertions.assertThat;

import io.headroom.decide.Allocation;
import io.headroom.decide.Resource;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Outcome classification as a table: baseline 2 vCPUs and 8 GiB. */
class OutcomesTest {

    static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    static final long GIB = 1L << 30;

    static Set<Resource> pressure(String s) {
        Set<Resource> out = EnumSet.noneOf(Resource.class);
        for (String r : s.split("\\+")) {
            if (!r.isBlank()) {
                out.add(Resource.valueOf(r));
            }
        }
        return out;
    }

    static double parse(String s) {
        return s.equals("-") ? Double.NaN : Double.parseDouble(s);
    }

    @ParameterizedTest(name = "{0}: pressure {1}, peak cpu {2}, peak memory {3} GiB, failed {4} -> {5}")
    @CsvSource(delimiter = '|', textBlock = """
            failed anyway                | MEMORY     | -   | 9.5 | true  | FAILED       | failed at
            failure beats relief         | CPU        | 3.5 | -   | true  | FAILED       | into the episode
            io anomaly                   |            | 1.0 | 4.0 | false | NOT_RESOURCE | no CPU or memory pressure
            memory used beyond baseline  | MEMORY     | -   | 9.1 | false | RELIEVED     | peak memory 9.10 GiB over the baseline 8.00 GiB
            cpu used beyond baseline     | CPU        | 2.4 | -   | false | RELIEVED     | peak CPU 2.40 cores over the baseline 2 vCPUs
            quota counts as cpu          | CPU_QUOTA  | 2.4 | -   | false | RELIEVED     | over the baseline 2 vCPUs
            one of two resources used    | CPU+MEMORY | 1.1 | 8.5 | false | RELIEVED     | peak memory 8.50 GiB over
            exactly the baseline         | MEMORY     | -   | 8.0 | false | UNNECESSARY  | within the baseline 8.00 GiB
            cpu stayed within            | CPU        | 1.9 | 9.0 | false | UNNECESSARY  | peak CPU 1.90 cores within
            memory not under pressure    | CPU        | 1.0 | 9.9 | false | UNNECESSARY  | peak CPU 1.00 cores within
            nothing measured             | CPU+MEMORY | -   | -   | false | UNJUDGED     | no measure of use
            """)
    void judge(String what, String pressure, String cpu, String memGib, boolean failed, Outcome outcome,
               String evidence) {
        double mem = parse(memGib);
        Episode e = new Episode("web-1", T0, T0.plusSeconds(3600), pressure(pressure == null ? "" : pressure),
                Optional.of("memory_usage_ratio"), Optional.of(new Allocation(2, 8 * GIB)), parse(cpu),
                Double.isNaN(mem) ? mem : mem * GIB, failed ? Optional.of(T0.plusSeconds(1800)) : Optional.empty());

        Judgement j = Outcomes.judge(e);

        assertThat(j.outcome()).as(what).isEqualTo(outcome);
        assertThat(j.evidence()).as(what).contains(evidence);
        assertThat(j.start()).isEqualTo(T0);
        assertThat(j.end()).isEqualTo(T0.plusSeconds(3600));
    }

    @ParameterizedTest(name = "no baseline, pressure {0}")
    @CsvSource({"CPU", "MEMORY"})
    void withoutABaselineNothingIsClaimed(String pressure) {
        Episode e = new Episode("web-1", T0, T0, pressure(pressure), Optional.empty(), Optional.empty(), 3, 9 * GIB,
                Optional.empty());
        assertThat(Outcomes.judge(e).outcome()).isEqualTo(Outcome.UNJUDGED);
    }
}
