#!/usr/bin/env python3
"""Test-run benchmark: the control plane's built-in load runner beside wrk, and WebSocket fan-out.

Starts, on loopback: a bare Helidon target (BenchTarget.java) and the real control plane (server Main with the
testruns plugin from its build output). Then, per round, wrk and the built-in runner load the same URL with the
same connections for the same duration, one after the other; the order alternates between rounds. Prints each
round and the medians: requests/s, the ratio runner/wrk, and the p99 latency of each. Finally 500 WebSocket
subscribers follow one run and the delivery lag is measured (FanOutBench.java).

Usage (from the repository root, after `mvn -B -o -pl plugins/testruns -am package -DskipTests` or a verify):
    python3 bench/testruns/bench.py [--rounds 3] [--duration 10] [--connections 64] [--subscribers 500]
"""
import argparse
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
HERE = os.path.join(ROOT, "bench", "testruns")
JAVA_HOME = os.environ.get("JAVA_HOME", "/usr/lib/jvm/temurin-25-jdk-amd64")
JAVA = os.path.join(JAVA_HOME, "bin", "java")

SCENARIO = """name: bench
description: One GET, as wrk sends it.
steps:
  - name: hello
    path: /hello
    expect: {status: 200}
load:
  steps:
    - step: hello
"""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def classpath():
    out = os.path.join(ROOT, "plugins", "testruns", "target", "bench-classpath.txt")
    subprocess.run(["mvn", "-B", "-o", "-q", "-pl", "plugins/testruns", "dependency:build-classpath",
                    "-Dmdep.includeScope=test", "-Dmdep.outputFile=" + out],
                   cwd=ROOT, check=True, env=dict(os.environ, JAVA_HOME=JAVA_HOME))
    with open(out) as f:
        deps = f.read().strip()
    return os.path.join(ROOT, "plugins", "testruns", "target", "classes") + os.pathsep + deps


def wait_http(url, timeout=60):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status < 500:
                    return
        except Exception:
            time.sleep(0.2)
    raise SystemExit("not answering: " + url)


def http_json(method, url, body=None):
    req = urllib.request.Request(url, method=method, data=None if body is None else json.dumps(body).encode(),
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.loads(r.read())


def to_ms(text):
    m = re.match(r"([\d.]+)(us|ms|s)", text)
    value, unit = float(m.group(1)), m.group(2)
    return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value


def run_wrk(url, connections, duration):
    out = subprocess.run(["wrk", "-t2", "-c%d" % connections, "-d%ds" % duration, "--latency", url],
                         capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p99 = to_ms(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1))
    p50 = to_ms(re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1))
    mean = to_ms(re.search(r"Latency\s+(\S+)", out).group(1))
    return {"rps": rps, "mean_ms": mean, "p50_ms": p50, "p99_ms": p99}


def run_builtin(cp_url, target, connections, duration):
    created = http_json("POST", cp_url + "/api/testruns", {
        "base_url": target, "load_duration": duration, "concurrency": connections,
        "scenario": "tests/e2e/scenarios/bench.yaml"})
    run_id = created["id"]
    while True:
        run = http_json("GET", cp_url + "/api/testruns/" + run_id)
        if run["status"] not in ("queued", "running"):
            break
        time.sleep(0.2)
    if run["status"] != "passed":
        raise SystemExit("built-in run ended " + run["status"] + ": " + str(run.get("error")))
    total = http_json("GET", cp_url + "/api/testruns/" + run_id + "/report.json")["load"]["total"]
    return {"rps": total["rps"], "mean_ms": total["latency_ms"]["mean"], "p50_ms": total["latency_ms"]["p50"],
            "p99_ms": total["latency_ms"]["p99"], "errors": total["errors"]}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--duration", type=int, default=10)
    ap.add_argument("--connections", type=int, default=64)
    ap.add_argument("--subscribers", type=int, default=500)
    ap.add_argument("--fanout-seconds", type=int, default=10)
    ap.add_argument("--fanout-users", type=int, default=8)
    ap.add_argument("--fanout-rate", type=int, default=2000, help="requests/s of the run the subscribers follow")
    ap.add_argument("--skip-load", action="store_true", help="only the fan-out measurement")
    ap.add_argument("--verbose", action="store_true", help="fan-out lag per event")
    ap.add_argument("--jvm-arg", action="append", default=[], help="extra JVM option of the control plane")
    args = ap.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed")

    cp = classpath()
    work = tempfile.mkdtemp(prefix="cp-bench-")
    os.makedirs(os.path.join(work, "workspace", "tests", "e2e", "scenarios"))
    with open(os.path.join(work, "workspace", "tests", "e2e", "scenarios", "bench.yaml"), "w") as f:
        f.write(SCENARIO)
    target_port, cp_port = free_port(), free_port()
    target = "http://127.0.0.1:%d" % target_port
    cp_url = "http://127.0.0.1:%d" % cp_port
    procs = []
    try:
        procs.append(subprocess.Popen([JAVA, "-cp", cp, os.path.join(HERE, "BenchTarget.java"), str(target_port)],
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        env = dict(os.environ, CP_PORT=str(cp_port), CP_WORKSPACE=os.path.join(work, "workspace"),
                   CP_DATA_DIR=os.path.join(work, "data"), CP_PLUGINS_DIR=os.path.join(work, "no-plugins"),
                   AUTH_MODE="none")
        with open(os.path.join(work, "control-plane.log"), "w") as log:
            procs.append(subprocess.Popen([JAVA, "-Dcp.home=" + ROOT] + args.jvm_arg + ["-cp", cp,
                                           "io.asyncsidecar.controlplane.server.Main"],
                                          env=env, stdout=log, stderr=subprocess.STDOUT))
        wait_http(target + "/hello")
        wait_http(cp_url + "/health/ready")

        if args.skip_load:
            args.rounds = 0
        print("warm-up (JIT) ...", file=sys.stderr)
        if not args.skip_load:
            run_wrk(target + "/hello", args.connections, 5)
        run_builtin(cp_url, target, args.connections, 5)

        rounds = []
        for i in range(args.rounds):
            if i % 2 == 0:
                w = run_wrk(target + "/hello", args.connections, args.duration)
                b = run_builtin(cp_url, target, args.connections, args.duration)
            else:
                b = run_builtin(cp_url, target, args.connections, args.duration)
                w = run_wrk(target + "/hello", args.connections, args.duration)
            rounds.append((w, b))
            # mean latency x requests/s ~ connections (Little's law) checks that no waiting went unmeasured
            print("round %d: wrk %.0f req/s mean %.2f p50 %.2f p99 %.2f ms | built-in %.0f req/s mean %.2f p50 %.2f"
                  " p99 %.2f ms (errors %d) | ratio %.2f"
                  % (i + 1, w["rps"], w["mean_ms"], w["p50_ms"], w["p99_ms"], b["rps"], b["mean_ms"], b["p50_ms"],
                     b["p99_ms"], b["errors"], b["rps"] / w["rps"]))
        if rounds:
            med = statistics.median
            w_rps, b_rps = med(r[0]["rps"] for r in rounds), med(r[1]["rps"] for r in rounds)
            w_p99, b_p99 = med(r[0]["p99_ms"] for r in rounds), med(r[1]["p99_ms"] for r in rounds)
            print("median of %d rounds (%d connections, %d s, GET %s/hello):"
                  % (args.rounds, args.connections, args.duration, target))
            print("  wrk      %.0f req/s, p99 %.2f ms" % (w_rps, w_p99))
            print("  built-in %.0f req/s, p99 %.2f ms" % (b_rps, b_p99))
            print("  ratio requests/s built-in/wrk = %.2f (goal >= 0.5); p99 built-in/wrk = %.2f (goal <= 1.2)"
                  % (b_rps / w_rps, b_p99 / w_p99))

        if args.subscribers > 0:
            out = subprocess.run([JAVA, "-Dverbose=%s" % args.verbose, "-cp", cp,
                                  os.path.join(HERE, "FanOutBench.java"), cp_url, target,
                                  str(args.subscribers), str(args.fanout_seconds), str(args.fanout_users),
                                  str(args.fanout_rate)],
                                 capture_output=True, text=True, check=True, cwd=ROOT).stdout
            if args.verbose:
                print("\n".join(out.strip().splitlines()[:-1]))
            fan = json.loads(out.strip().splitlines()[-1])
            print("fan-out: %(subscribers)d subscribers on run %(run)s (%(run_status)s): %(events_delivered)d events"
                  " delivered, lag p50 %(lag_ms_p50)d ms, p99 %(lag_ms_p99)d ms, max %(lag_ms_max)d ms; closed"
                  " normally %(closed_normally)d, otherwise %(closed_otherwise)d; connect %(connect_s)s s" % fan)
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            try:
                p.wait(15)
            except subprocess.TimeoutExpired:
                p.kill()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
