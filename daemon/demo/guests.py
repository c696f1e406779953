#!/usr/bin/python3
"""Demo guests: libvirt-exporter style metrics for N fake domains, as history or live.

  guests.py backfill --domains 20 --hours 48 --end UNIX --out FILE   OpenMetrics history for promtool
  guests.py serve --domains 20 --port PORT                           live /metrics for Prometheus to scrape

Both modes compute every value from the same closed-form functions of (domain, time), so live data
continues the backfilled history without a jump. Counters are integrals of smooth daily-seasonal rates.
"""
import argparse
import http.server
import math
import time

DAY = 86400.0


def domains(n):
    return [f"web-{i}" for i in range(1, n + 1)]


def jitter(i, t, salt=0):
    """Deterministic noise in [-1, 1) from (domain, time): live values repeat the backfilled ones exactly."""
    h = (i * 2654435761 + int(t) * 40503 + salt * 97) & 0xFFFFFFFF
    h = (h ^ (h >> 13)) * 0x5BD1E995 & 0xFFFFFFFF
    return ((h ^ (h >> 15)) & 0xFFFF) / 32768.0 - 1.0


def phase(i):
    return (i * 0.37) % 1.0


def cpu_seconds(i, t):
    # rate(t) = vcpus * (0.35 + 0.25 sin(2 pi (t/DAY + phase)))  -> integral in closed form
    v = vcpus(i)
    w = 2 * math.pi / DAY
    # Up to 5 s of CPU time early or late: noise in the rate that never makes the counter go backwards.
    return v * (0.35 * t - 0.25 / w * math.cos(w * t + 2 * math.pi * phase(i))) + 2.5 * (1 + jitter(i, t, 1))


def vcpus(i):
    return 2 + (i % 3) * 2


def max_memory(i):
    return (4 + (i % 2) * 4) * 1024 ** 3


def memory_usage(i, t):
    return max_memory(i) * (0.55 + 0.1 * math.sin(2 * math.pi * (t / DAY + phase(i))) + 0.01 * jitter(i, t))


def bytes_counter(i, t, base):
    w = 2 * math.pi / DAY
    return base * (1 + i % 4) * (t - 0.5 / w * math.cos(w * t + 2 * math.pi * phase(i)) + 2 * (1 + jitter(i, t, 2)))


def families(n):
    """Returns [(name, type, help, samples(t) -> [(labels, value)])] for every family."""
    ds = list(enumerate(domains(n), start=1))
    fams = [
        ("libvirt_domain_info_cpu_time_seconds", "counter", "CPU time used by the domain.",
         lambda t: [({"domain": d}, cpu_seconds(i, t)) for i, d in ds]),
        ("libvirt_domain_info_virtual_cpus", "gauge", "Virtual CPUs of the domain.",
         lambda t: [({"domain": d}, vcpus(i)) for i, d in ds]),
        ("libvirt_domain_info_memory_usage_bytes", "gauge", "Memory of the domain.",
         lambda t: [({"domain": d}, memory_usage(i, t)) for i, d in ds]),
        ("libvirt_domain_info_maximum_memory_bytes", "gauge", "Maximum memory of the domain.",
         lambda t: [({"domain": d}, max_memory(i)) for i, d in ds]),
    ]

    def counters(prefix, what, labels, specs):
        for name, base in specs:
            fams.append((f"{prefix}_{name}", "counter", f"{what} {name}.",
                         lambda t, base=base: [({"domain": d, **labels}, bytes_counter(i, t, base)) for i, d in ds]))

    counters("libvirt_domain_block_stats", "Block", {"target_device": "vda"},
             (("read_bytes", 2e5), ("write_bytes", 4e5), ("read_requests", 50), ("write_requests", 80),
              ("read_time_seconds", 0.05), ("write_time_seconds", 0.1)))
    counters("libvirt_domain_interface_stats", "Interface", {"target_device": "vnet0"},
             (("receive_bytes", 1e6), ("transmit_bytes", 5e5), ("receive_drops", 0.01),
              ("transmit_drops", 0.01), ("receive_errors", 0.001), ("transmit_errors", 0.001)))
    return fams


EXTRA = {}


def fmt_labels(labels):
    return ",".join(f'{k}="{v}"' for k, v in {**labels, **EXTRA}.items())


def backfill(args):
    step = args.step
    end = int(args.end) // step * step
    start = end - int(args.hours * 3600) // step * step
    times = range(start, end + 1, step)
    with open(args.out, "w") as f:
        for name, typ, help_, samples in families(args.domains):
            f.write(f"# HELP {name} {help_}\n# TYPE {name} {typ}\n")
            suffix = "_total" if typ == "counter" else ""
            for t in times:
                for labels, value in samples(t):
                    f.write(f"{name}{suffix}{{{fmt_labels(labels)}}} {value:.6f} {t}\n")
        f.write("# EOF\n")


def serve(args):
    n = args.domains

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            if self.path != "/metrics":
                self.send_error(404)
                return
            t = time.time()
            out = []
            for name, typ, help_, samples in families(n):
                out.append(f"# HELP {name}{'_total' if typ == 'counter' else ''} {help_}")
                out.append(f"# TYPE {name}{'_total' if typ == 'counter' else ''} {typ}")
                for labels, value in samples(t):
                    out.append(f"{name}{'_total' if typ == 'counter' else ''}{{{fmt_labels(labels)}}} {value:.6f}")
            body = ("\n".join(out) + "\n").encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/plain; version=0.0.4")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *a):
            pass

    http.server.ThreadingHTTPServer(("127.0.0.1", args.port), Handler).serve_forever()


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    b = sub.add_parser("backfill")
    b.add_argument("--domains", type=int, default=20)
    b.add_argument("--hours", type=float, default=48)
    b.add_argument("--step", type=int, default=30)
    b.add_argument("--end", type=float, default=time.time())
    b.add_argument("--out", required=True)
    b.add_argument("--labels", default="", help="extra labels k=v,k=v: those the scrape will add (job, instance), "
                   "so that history and live samples are one series")
    s = sub.add_parser("serve")
    s.add_argument("--domains", type=int, default=20)
    s.add_argument("--port", type=int, required=True)
    args = p.parse_args()
    if args.cmd == "backfill":
        EXTRA.update(kv.split("=", 1) for kv in args.labels.split(",") if kv)
        backfill(args)
    else:
        serve(args)


if __name__ == "__main__":
    main()
