#!/usr/bin/env python3
"""make bench, side by side: ofnotify.exe next to the minimal tray programs (tests/bench/baseline.c)
under the same Wine prefix, virtual desktop and fake Offline Files service, in one run.

tests/bench/run sets up the prefix, the fake service and the environment (WINEPREFIX, DISPLAY) and
then runs this; it writes build/bench/results.json and prints the table. The figures:

  start-up     process start -> "ofnotify: tray icon added" (the debug line both programs say once the
               shell has taken their icon). Wine stamps each debug line with its tick count, which is
               CLOCK_MONOTONIC_RAW; the start is read from the same clock just before wine is started.
               ofnotify with an empty history and with 100,000 records. Median of REPS runs.
  memory       Private_Clean + Private_Dirty of the Windows process (/proc/PID/smaps_rollup), 5 s after
               start (median of REPS) and 10 s after (once), after 10,000 passes played by the fake service through
               cross-process COM, and after the history window was opened and closed with 1,000,000
               records.
  event cost   PASSES passes played by the fake, which calls ofnotify and the e2e tests' testsink (a
               subscriber that writes a line per event) side by side; p50/p99 of each call as the fake
               timed it, cross-process COM included.
  idle         after start-up has settled, IDLE_QUIET_S quiet and then IDLE_S with the fake pinging every 10 s:
               system calls of all the process's threads (strace -f), CPU time (/proc/PID/stat), and
               wake-ups (bursts of system calls more than 100 ms apart).
  sizes        the exe, the baselines, both MSIs.

The Windows programs' own figures (the history window at scale, the export; one pass through the
app in process) come from build/bench/bench_historywnd.txt and bench_eventpath.txt, parsed into the
same results; the history window's first paint has its floor beside it, bench_listfloor.txt (a window
with one list view of the same columns and nothing else, timed the same way). With --history-window
only the history window's figures are read (tests/bench/run --history-window). Nothing passes or fails on speed;
this exits non-zero only when a step could not be carried out.
"""
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
B = os.path.join(ROOT, "build")
OUT = os.path.join(B, "bench")
RUN = os.path.join(OUT, "run")
E2E = os.path.join(B, "e2e")
APP = os.path.join(B, "ofnotify.exe")
BASELINE = os.path.join(B, "win", "bench", "baseline.exe")
BASELINE_COM = os.path.join(B, "win", "bench", "baseline_com.exe")
TOOL = os.path.join(B, "win", "bench", "benchtool.exe")
FAKECTL = os.path.join(E2E, "fakectl.exe")
TESTSINK = os.path.join(E2E, "testsink.exe")
FAKE_LOG = os.path.join(E2E, "fakecsc.log")

REPS = int(os.environ.get("OFN_BENCH_REPS", "5"))
IDLE_S = int(os.environ.get("OFN_BENCH_IDLE_S", "60"))
# The quiet window before it, only to show that nothing happens without the fake: shorter, so that the
# whole of make bench stays within ten minutes from a fresh clone.
IDLE_QUIET_S = int(os.environ.get("OFN_BENCH_IDLE_QUIET_S", "30"))
PASSES = int(os.environ.get("OFN_BENCH_PASSES", "10000"))
SETTLE_S = 5.0
ADDED = "ofnotify: tray icon added"
APP_CLASS = "ofnotify.AppWindow"
HISTORY_CLASS = "ofnotify.HistoryWindow"
BASELINE_CLASS = "ofnotify.bench.baseline"


def say(*a):
    print("bench:", *a, file=sys.stderr, flush=True)


def raw_now():
    return time.clock_gettime(time.CLOCK_MONOTONIC_RAW)


def winpath(p):
    return "Z:" + os.path.abspath(p).replace("/", "\\")


def wine(args, out, secs=60, env=None):
    """A Windows program to its end, its output to a file (never a pipe: toolchain.md)."""
    with open(out, "w") as f:
        try:
            return subprocess.run(["wine"] + args, stdout=f, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                  timeout=secs, env=env).returncode
        except subprocess.TimeoutExpired:
            return 124


class Program:
    """One running Windows program: started, timed to its tray icon, measured, stopped."""

    def __init__(self, name, exe, args=(), cls=BASELINE_CLASS):
        self.name, self.exe, self.args, self.cls = name, exe, list(args), cls
        self.proc = None
        self.log = os.path.join(RUN, name + ".log")

    def start(self):
        env = dict(os.environ, WINEDEBUG="-all,+timestamp,+debugstr")
        self.t0 = raw_now()
        self.proc = subprocess.Popen(["wine", self.exe] + self.args, stdout=open(self.log, "w"),
                                     stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env)
        self.started = time.monotonic()
        return self

    def startup_ms(self, secs=60):
        """ms from the start to the tray icon's debug line, by Wine's own time stamp on the line."""
        pat = re.compile(r"^(\d+\.\d+):[0-9a-f]+:\w+:debugstr:\S+ \"" + re.escape(ADDED))
        end = time.monotonic() + secs
        while time.monotonic() < end:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} exited (code {self.proc.returncode}) before adding its icon")
            with open(self.log, errors="replace") as f:
                for line in f:
                    m = pat.match(line)
                    if m:
                        return (float(m.group(1)) - self.t0) * 1000.0
            time.sleep(0.005)
        raise RuntimeError(f"{self.name}: no tray icon within {secs} s (see {self.log})")

    def private_kb(self):
        kb = 0
        with open(f"/proc/{self.proc.pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith(("Private_Clean:", "Private_Dirty:")):
                    kb += int(line.split()[1])
        return kb

    def cpu_ms(self):
        with open(f"/proc/{self.proc.pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) * 1000.0 / os.sysconf("SC_CLK_TCK")

    def tids(self):
        return sorted(int(t) for t in os.listdir(f"/proc/{self.proc.pid}/task"))

    def stop(self):
        if not self.proc or self.proc.poll() is not None:
            return
        if self.exe == APP:
            wine([APP, "--exit"], os.path.join(RUN, "exit.out"), 30)
        else:
            wine([TOOL, "close", self.cls, "10"], os.path.join(RUN, "close.out"), 30)
        try:
            self.proc.wait(15)
        except subprocess.TimeoutExpired:
            say(f"{self.name} did not end when asked; killing it")
            self.proc.kill()
            self.proc.wait(10)


def ofnotify(name, data):
    return Program(name, APP, ["--data-dir=" + winpath(data)], APP_CLASS)


def data_dir(name, records):
    d = os.path.join(RUN, name)
    os.makedirs(d, exist_ok=True)
    for f in os.listdir(d):
        os.remove(os.path.join(d, f))
    if records and wine([TOOL, "history", winpath(os.path.join(d, "history.dat")), str(records)],
                        os.path.join(RUN, "history.out"), 120) != 0:
        raise RuntimeError(f"benchtool could not write a history of {records} records")
    return d


def wait_advised(secs=30):
    end = time.monotonic() + secs
    while time.monotonic() < end:
        if os.path.exists(FAKE_LOG) and re.search(r"advise cookie=\d+ level=", open(FAKE_LOG, errors="replace").read()):
            return
        time.sleep(0.05)
    raise RuntimeError("ofnotify did not advise the fake service")


def settle(p, secs=SETTLE_S):
    left = p.started + secs - time.monotonic()
    if left > 0:
        time.sleep(left)


def play(lines, name, secs):
    """fakectl plays the script lines to every subscriber; the seconds it took."""
    scn = os.path.join(RUN, name + ".scn")
    with open(scn, "w") as f:
        f.write("\n".join(lines) + "\n")
    t0 = time.monotonic()
    rc = wine([FAKECTL, "play", winpath(scn), winpath(APP)], os.path.join(RUN, name + ".out"), secs)
    if rc != 0:
        raise RuntimeError(f"fakectl could not play {scn} (exit {rc})")
    return time.monotonic() - t0


# ---- the measurements ---------------------------------------------------------------------------

def startup_and_memory(results):
    """REPS rounds: the baselines and ofnotify (empty) started one after the other, measured 5 s after
    each start; then ofnotify again with 100,000 records (one instance per session, so not at once)."""
    empty, big = data_dir("empty", 0), data_dir("h100k", 100000)
    t = {k: [] for k in ("baseline", "baseline_com", "ofnotify", "ofnotify_100k")}
    m = {k: [] for k in t}
    for rep in range(REPS):
        progs = [Program("baseline", BASELINE), Program("baseline_com", BASELINE_COM, cls=BASELINE_CLASS + "_com"), ofnotify("ofnotify", empty)]
        try:
            for p in progs:
                p.start()
                t[p.name].append(p.startup_ms())
            settle(progs[-1])
            for p in progs:
                m[p.name].append(p.private_kb())
            progs[2].stop()
            big_p = ofnotify("ofnotify_100k", big).start()
            progs.append(big_p)
            t[big_p.name].append(big_p.startup_ms())
            settle(big_p)
            m[big_p.name].append(big_p.private_kb())
        finally:
            for p in progs:
                p.stop()
        say(f"round {rep + 1}/{REPS}: " + ", ".join(f"{k} {t[k][-1]:.0f} ms {m[k][-1] / 1024:.1f} MB" for k in t))
    med = {k: statistics.median(v) for k, v in t.items()}
    mem = {k: statistics.median(v) / 1024 for k, v in m.items()}
    results["startup_ms"] = figure(med["baseline"], med["ofnotify"], runs=t)
    results["startup_ms_100k_records"] = figure(med["baseline"], med["ofnotify_100k"])
    results["startup_ms_com_baseline"] = figure(med["baseline_com"], med["ofnotify"])
    results["private_mb_after_start"] = figure(mem["baseline"], mem["ofnotify"], runs=m)
    results["private_mb_after_start_vs_com_baseline"] = figure(mem["baseline_com"], mem["ofnotify"])
    results["private_mb_after_start_100k_records"] = figure(mem["baseline_com"], mem["ofnotify_100k"])


def strace_window(progs, secs, pings):
    """Every thread of each program under strace -f for secs while the fake pings; per program the
    system calls, their time stamps, and CPU ms."""
    traces, cpu0 = {}, {}
    for p in progs:
        out = os.path.join(RUN, f"strace.{p.name}")
        args = ["strace", "-f", "-ttt", "-qq", "-o", out]
        for tid in p.tids():
            args += ["-p", str(tid)]
        traces[p.name] = (subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL), out)
        cpu0[p.name] = p.cpu_ms()
    time.sleep(0.5)  # strace attached to every thread
    player = None
    if pings:
        scn = os.path.join(RUN, "ping.scn")
        with open(scn, "w") as f:
            half = secs * 1000 // pings // 2
            f.write("".join("sleep %d\nping\nsleep %d\n" % (half, half - 20) for _ in range(pings)))
        player = subprocess.Popen(["wine", FAKECTL, "play", winpath(scn), winpath(APP)],
                                  stdout=open(os.path.join(RUN, "ping.out"), "w"), stderr=subprocess.STDOUT,
                                  stdin=subprocess.DEVNULL)
    t0 = time.time()
    time.sleep(secs)
    t1 = time.time()
    out = {}
    for p in progs:
        tr, path = traces[p.name]
        tr.send_signal(signal.SIGINT)
        tr.wait(30)
        out[p.name] = {"cpu_ms": p.cpu_ms() - cpu0[p.name], "calls": syscall_times(path, t0, t1)}
    if player:
        player.wait(120)
    return out, t0, t1


def syscall_times(path, t0, t1):
    """Time stamps of the system calls strace saw between t0 and t1 (resumed halves not counted twice)."""
    times = []
    with open(path, errors="replace") as f:
        for line in f:
            m = re.match(r"^(?:\d+\s+)?(\d+\.\d+) (?!<\.\.\.|\+\+\+|---)", line)
            if m and t0 <= float(m.group(1)) <= t1:
                times.append(float(m.group(1)))
    return times


def start_testsink():
    """The e2e tests' small subscriber (one line to a file per event), the limit of the transport; the
    process and its cookie, once it has advised."""
    out = os.path.join(RUN, "testsink.out")
    if os.path.exists(out):
        os.remove(out)
    proc = subprocess.Popen(["wine", TESTSINK, "--out=" + winpath(out), "--name=bench", "--level=4",
                             "--timeout=1800000"], stdout=open(os.path.join(RUN, "testsink.log"), "w"),
                            stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    end = time.monotonic() + 60
    while time.monotonic() < end:
        m = os.path.exists(out) and re.search(r"advised cookie=(\d+)", open(out, errors="replace").read())
        if m:
            return proc, m.group(1)
        time.sleep(0.05)
    proc.kill()
    raise RuntimeError("testsink did not advise")


def call_us(sink_cookie):
    """Per subscriber, the µs each BackgroundSync call took as the fake timed it (its log)."""
    out = {"ofnotify": [], "testsink": []}
    for line in open(FAKE_LOG, errors="replace"):
        m = re.search(r"call cookie=(\d+) BackgroundSync\w+\(\S+\) hr=0x00000000 us=(\d+)", line)
        if m:
            out["testsink" if m.group(1) == sink_cookie else "ofnotify"].append(int(m.group(2)))
    return out


def percentile(v, q):
    v = sorted(v)
    return v[min(len(v) - 1, int(len(v) * q / 100))] if v else 0


def ping_times(t0, t1):
    """Wall-clock times (epoch s) of the Ping calls the fake made between t0 and t1 (its log is UTC)."""
    day = time.strftime("%Y-%m-%d", time.gmtime(t0))
    out = []
    for line in open(FAKE_LOG, errors="replace"):
        m = re.match(r"^(\d\d):(\d\d):(\d\d\.\d+) \[\w+\] call cookie=\d+ Ping\(\)", line)
        if m:
            ts = time.mktime(time.strptime(day, "%Y-%m-%d")) - time.timezone
            ts += int(m.group(1)) * 3600 + int(m.group(2)) * 60 + float(m.group(3))
            if t0 - 1 <= ts <= t1:
                out.append(ts)
    return out


def wakeups(times):
    """Bursts of system calls: a gap of more than 100 ms starts a new one."""
    bursts, last = 0, None
    for t in sorted(times):
        if last is None or t - last > 0.1:
            bursts += 1
        last = t
    return bursts


def idle_passes_and_big_history(results):
    base, com = Program("baseline", BASELINE).start(), Program("baseline_com", BASELINE_COM, cls=BASELINE_CLASS + "_com").start()
    app = ofnotify("ofnotify", data_dir("idle", 0))
    progs = [base, com, app]
    try:
        base.startup_ms(), com.startup_ms()
        app.start().startup_ms()
        wait_advised()
        settle(app, 10)
        # 10 s: after Wine's COM has let the two thread-pool workers it starts for the subscription go
        # (they end after 5 s without work, so the 5 s figure above still holds them).
        results["private_mb_settled_10s_vs_com_baseline"] = figure(com.private_kb() / 1024, app.private_kb() / 1024)
        say(f"idle: {IDLE_QUIET_S} s under strace, quiet")
        idle, _, _ = strace_window(progs, IDLE_QUIET_S, 0)
        for p in progs:
            idle[p.name]["wakeups"] = wakeups(idle[p.name]["calls"])
        results["idle_syscalls"] = figure(len(idle["baseline"]["calls"]), len(idle["ofnotify"]["calls"]))
        results["idle_cpu_ms"] = figure(idle["baseline"]["cpu_ms"], idle["ofnotify"]["cpu_ms"])
        results["idle_wakeups"] = figure(idle["baseline"]["wakeups"], idle["ofnotify"]["wakeups"])
        results["idle_syscalls_com_baseline"] = figure(len(idle["baseline_com"]["calls"]),
                                                       len(idle["ofnotify"]["calls"]))
        npings = max(1, IDLE_S // 10)
        say(f"idle: {IDLE_S} s under strace, the fake pinging every 10 s")
        idle, t0, t1 = strace_window(progs, IDLE_S, npings)
        for p in progs:
            idle[p.name]["wakeups"] = wakeups(idle[p.name]["calls"])
        results["pinged_syscalls"] = figure(len(idle["baseline"]["calls"]), len(idle["ofnotify"]["calls"]))
        results["pinged_cpu_ms"] = figure(idle["baseline"]["cpu_ms"], idle["ofnotify"]["cpu_ms"])
        results["pinged_wakeups"] = figure(idle["baseline"]["wakeups"], idle["ofnotify"]["wakeups"])
        results["pinged_pings"] = {"ofnotify": len(ping_times(t0, t1))}

        say(f"{PASSES} passes through the fake service, to ofnotify and to testsink")
        sink = start_testsink()
        try:
            lines = ["pass 0x%08X" % (0x00010006 | ((i % 1024) << 18)) for i in range(PASSES)]
            secs = play(lines, "passes", 1800)
        finally:
            wine([TESTSINK, "--quit=bench"], os.path.join(RUN, "testsink.quit"), 30)
            sink[0].wait(30)
        results["passes_played_s"] = {"ofnotify": secs}
        calls = call_us(sink[1])
        for q in (50, 99):
            results[f"com_call_us_p{q}"] = figure(percentile(calls["testsink"], q), percentile(calls["ofnotify"], q))
        time.sleep(2)
        results["private_mb_after_passes"] = figure(com.private_kb() / 1024, app.private_kb() / 1024)
        app.stop()

        say("1,000,000 records: start, open and close the history window")
        big = ofnotify("ofnotify_1m", data_dir("h1m", 1000000))
        progs.append(big)
        big.start()
        results["startup_ms_1m_records"] = {"ofnotify": big.startup_ms()}
        settle(big)
        results["private_mb_after_start_1m_records"] = figure(com.private_kb() / 1024, big.private_kb() / 1024)
        # A second start opens the running instance's history window.
        wine([APP, "--data-dir=" + winpath(os.path.join(RUN, "h1m"))], os.path.join(RUN, "second.out"), 60)
        if wine([TOOL, "wait", HISTORY_CLASS, "60"], os.path.join(RUN, "wait.out"), 90) != 0:
            raise RuntimeError("the history window did not open and paint")
        results["private_mb_history_open_1m_records"] = figure(com.private_kb() / 1024, big.private_kb() / 1024)
        if wine([TOOL, "close", HISTORY_CLASS, "30"], os.path.join(RUN, "close.out"), 60) != 0:
            raise RuntimeError("the history window did not close")
        time.sleep(3)
        results["private_mb_after_history_1m_records"] = figure(com.private_kb() / 1024, big.private_kb() / 1024)
    finally:
        for p in progs:
            p.stop()


def sizes(results):
    kb = lambda p: os.path.getsize(p) / 1024.0
    results["size_kb_exe"] = figure(kb(BASELINE), kb(APP))
    results["size_kb_exe_com_baseline"] = figure(kb(BASELINE_COM), kb(APP))
    for msi in sorted(f for f in os.listdir(B) if f.endswith(".msi")):
        key = "size_kb_msi_machine" if "machine" in msi else "size_kb_msi_user"
        results[key] = {"ofnotify": kb(os.path.join(B, msi))}


def first_paint_lines(path):
    """"open -> first painted list, ...  MS" lines of a window benchmark: {"first window": ms, ...}."""
    out = {}
    if os.path.exists(path):
        for line in open(path, errors="replace"):
            m = re.match(r"^open -> first painted list, (.*?)\s+(-?[\d.]+)\s*$", line)
            if m:
                out[m.group(1)] = float(m.group(2))
    return out


def historywnd(results):
    """The history window's own benchmark (bench_historywnd.txt): the 1,000,000 column, ms. Its first
    paint beside the floor's (bench_listfloor.txt: a window with nothing but the list), timed the same
    way: the median of the later windows, and the first window of each process on its own."""
    path = os.path.join(OUT, "bench_historywnd.txt")
    if not os.path.exists(path):
        return
    floor = first_paint_lines(os.path.join(OUT, "bench_listfloor.txt"))
    floor_median = next((v for k, v in floor.items() if k.startswith("median")), None)
    for line in open(path, errors="replace"):
        m = re.match(r"^(.*?)\s{2,}(-?[\d.]+)\s+(-?[\d.]+)\s+(-?[\d.]+)\s*$", line)
        if m:
            key = "history_1m_ms_" + re.sub(r"[^a-z0-9]+", "_", m.group(1).lower()).strip("_")
            results[key] = {"ofnotify": float(m.group(3))}
            if m.group(1).startswith("open -> first painted list"):
                results["history_1k_ms_open_first_painted_list"] = {"ofnotify": float(m.group(2))}
                if floor_median is not None:
                    results[key] = figure(floor_median, float(m.group(3)))
                    results["history_1k_ms_open_first_painted_list"] = figure(floor_median, float(m.group(2)))
    first = first_paint_lines(path).get("first window")
    if first is not None:
        results["history_ms_open_first_painted_list_first_window"] = (
            figure(floor["first window"], first) if "first window" in floor else {"ofnotify": first})


def eventpath(results):
    """The in-process event path (bench_eventpath.txt): p50, p99 and max of each step, µs."""
    path = os.path.join(OUT, "bench_eventpath.txt")
    if not os.path.exists(path):
        return
    keys = {"BackgroundSyncBegin": "event_path_us_begin", "BackgroundSyncEnd": "event_path_us_end",
            "End, then the app's loop": "event_path_us_end_to_loop",
            "a marker alone": "event_path_us_queue_alone", "of_history_append alone": "event_path_us_append_alone"}
    for line in open(path, errors="replace"):
        m = re.match(r"^(.*?)\s{2,}([\d.]+)\s+([\d.]+)\s+([\d.]+)\s*$", line)
        key = m and next((v for k, v in keys.items() if m.group(1).startswith(k)), None)
        if key:
            for i, q in enumerate(("p50", "p99", "max")):
                results[f"{key}_{q}"] = {"ofnotify": float(m.group(2 + i))}


def figure(baseline, ofn, runs=None):
    f = {"baseline": round(baseline, 3), "ofnotify": round(ofn, 3),
         "ratio": round(ofn / baseline, 3) if baseline else None}
    if runs:
        f["runs"] = {k: [round(x, 3) for x in v] for k, v in runs.items()}
    return f


def table(results):
    rows = [("figure", "baseline", "ofnotify", "ratio")]
    for k, v in results.items():
        if k.startswith("_"):
            continue
        b = "" if v.get("baseline") is None else f"{v['baseline']:.1f}"
        r = "" if v.get("ratio") is None else f"{v['ratio']:.2f}x"
        rows.append((k, b, f"{v['ofnotify']:.1f}", r))
    w = [max(len(r[i]) for r in rows) for i in range(4)]
    return "\n".join(f"{r[0]:<{w[0]}}  {r[1]:>{w[1]}}  {r[2]:>{w[2]}}  {r[3]:>{w[3]}}" for r in rows)


def main():
    # --history-window: only the history window's figures (tests/bench/run --history-window).
    steps = (historywnd,) if sys.argv[1:] == ["--history-window"] else (
        sizes, startup_and_memory, idle_passes_and_big_history, historywnd, eventpath)
    os.makedirs(RUN, exist_ok=True)
    results = {"_about": {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "machine": f"{os.cpu_count()} cores, " + open("/proc/cpuinfo").read().split("model name")[1].split(":")[1]
        .split("\n")[0].strip(),
        "wine": subprocess.run(["wine", "--version"], capture_output=True, text=True).stdout.strip(),
        "reps": REPS, "baseline": "tests/bench/baseline.c (the history window's first paint: "
        "bench_listfloor.c); ratios are ofnotify / baseline", "steps": [step.__name__ for step in steps],
    }}
    status = 0
    for step in steps:
        try:
            step(results)
        except (RuntimeError, OSError, subprocess.SubprocessError) as e:
            say(f"{step.__name__} failed: {e}")
            status = 1
    with open(os.path.join(OUT, "results.json"), "w") as f:
        json.dump(results, f, indent=1)
    print(f"side by side, {results['_about']['date']}, {results['_about']['machine']}, "
          f"{results['_about']['wine']}; medians of {REPS} where a figure has runs")
    print(table(results))
    return status


if __name__ == "__main__":
    sys.exit(main())
