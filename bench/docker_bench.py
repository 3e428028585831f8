#!/usr/bin/env python3
"""Docker benchmarks through ephemerad vs the Docker Engine API directly.

1. Overhead: N x (create + start + destroy), sequential.
   direct:    POST /containers/create (the very body ephemerad submits, read back
              from a container it made), POST /containers/{id}/start (dockerd answers
              once the process runs), DELETE /containers/{id}?force=true.
   ephemerad: POST /v1/workers, wait until the worker is Ready (backend running),
              DELETE /v1/workers/{id}?force=true, wait until cleanup is done.
   The ephemerad figure includes the polling granularity (2 ms) of this client.
2. Exit-to-removed latency of a container that exits by itself after 1 s:
   ephemerad with ttl_after_completion = 0 vs dockerd's own AutoRemove, both read
   from dockerd's event stream (die -> destroy timeNano) on the same workload.

usage: docker_bench.py EPHEMERAD_SOCKET DOCKER_SOCKET IMAGE [N]
Prints one line per figure; nothing is asserted.
"""
import http.client
import json
import socket
import statistics
import sys
import threading
import time
import urllib.parse


class UnixHTTP(http.client.HTTPConnection):
    def __init__(self, path, timeout=60):
        super().__init__("localhost", timeout=timeout)
        self.path = path

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(self.timeout)
        self.sock.connect(self.path)


def call(conn, method, path, body=None):
    headers = {"Content-Type": "application/json"} if body is not None else {}
    conn.request(method, path, json.dumps(body) if body is not None else None, headers)
    r = conn.getresponse()
    data = r.read()
    if r.status >= 300 and r.status != 304:
        raise RuntimeError(f"{method} {path}: {r.status} {data[:300]!r}")
    return json.loads(data) if data else None


def wait(conn, path, pred, timeout=60.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        doc = call(conn, "GET", path)
        if pred(doc):
            return doc
        time.sleep(0.002)
    raise RuntimeError(f"timed out waiting on {path}")


def pct(values, p):
    s = sorted(values)
    return s[min(len(s) - 1, int(round(p / 100.0 * (len(s) - 1))))]


def summary(values):
    return (f"mean {statistics.mean(values):.1f} ms, p50 {pct(values, 50):.1f}, "
            f"p99 {pct(values, 99):.1f}, max {max(values):.1f}")


def hardened_body(e, d, image):
    """The create body ephemerad submits, read back from a container it made:
    the direct path then asks dockerd for exactly the same container."""
    w = call(e, "POST", "/v1/workers", {"provider": "dock", "spec": {"image": image, "command": ["sleep", "3600"]}})
    doc = wait(e, f"/v1/workers/{w['id']}", lambda doc: doc["state"] == "Ready")
    info = call(d, "GET", f"/containers/{doc['resource_name']}/json")
    call(e, "DELETE", f"/v1/workers/{w['id']}?force=true")
    wait(e, f"/v1/workers/{w['id']}", lambda doc: doc["cleanup"] == "done")
    body = {k: v for k, v in info["Config"].items() if k not in ("Hostname", "Domainname")}
    # Not this instance's labels: its orphan scan must not race the benchmark.
    body["Labels"] = {"bench": "direct"}
    body["HostConfig"] = info["HostConfig"]
    return body


def direct_cycle(d, body, i):
    c = call(d, "POST", f"/containers/create?name=bench-direct-{i}", body)
    call(d, "POST", f"/containers/{c['Id']}/start")
    call(d, "DELETE", f"/containers/{c['Id']}?force=true")


def ephemerad_cycle(e, image):
    spec = {"image": image, "command": ["sleep", "3600"]}
    w = call(e, "POST", "/v1/workers", {"provider": "dock", "spec": spec})
    wid = w["id"]
    wait(e, f"/v1/workers/{wid}", lambda doc: doc["state"] == "Ready")
    call(e, "DELETE", f"/v1/workers/{wid}?force=true")
    wait(e, f"/v1/workers/{wid}", lambda doc: doc["cleanup"] == "done")


def overhead(e, d, image, n):
    body = hardened_body(e, d, image)
    times = {"direct": [], "ephemerad": []}
    for i in range(n):  # interleaved, so drift hits both alike
        t0 = time.monotonic()
        direct_cycle(d, body, i)
        times["direct"].append((time.monotonic() - t0) * 1000)
        t0 = time.monotonic()
        ephemerad_cycle(e, image)
        times["ephemerad"].append((time.monotonic() - t0) * 1000)
    for k, v in times.items():
        print(f"overhead {k:9s} {n} x create+start+destroy: total {sum(v) / 1000:.2f} s; per cycle {summary(v)}")
    print(f"overhead ratio ephemerad/direct (total): {sum(times['ephemerad']) / sum(times['direct']):.3f}")


class DockerEvents(threading.Thread):
    """Collects die/destroy timeNano per container name from /events."""

    def __init__(self, docker_sock):
        super().__init__(daemon=True)
        self.sock_path = docker_sock
        self.die, self.destroy = {}, {}
        self.lock = threading.Lock()
        self.ready = threading.Event()

    def run(self):
        filters = urllib.parse.quote(json.dumps({"type": ["container"], "event": ["die", "destroy"]}))
        conn = UnixHTTP(self.sock_path, timeout=None)
        conn.request("GET", f"/events?filters={filters}")
        r = conn.getresponse()
        self.ready.set()
        buf = b""
        while True:
            chunk = r.read1(65536)
            if not chunk:
                return
            buf += chunk
            while b"\n" in buf:
                line, buf = buf.split(b"\n", 1)
                ev = json.loads(line)
                name = ev["Actor"]["Attributes"].get("name", "")
                with self.lock:
                    (self.die if ev["Action"] == "die" else self.destroy)[name] = ev["timeNano"]

    def latency_ms(self, name):
        with self.lock:
            if name in self.die and name in self.destroy:
                return (self.destroy[name] - self.die[name]) / 1e6
        return None


def removal_latency(e, d, docker_sock, image, n):
    ev = DockerEvents(docker_sock)
    ev.start()
    ev.ready.wait(10)
    names = {"ephemerad": [], "autoremove": []}
    cmd = ["sh", "-c", "sleep 1; exit 0"]
    for i in range(n):
        w = call(e, "POST", "/v1/workers", {"provider": "dock", "spec": {"image": image, "command": cmd},
                                            "policy": {"ttl_after_completion": "0s"}})
        names["ephemerad"].append(w["resource_name"])
        body = {"Image": image, "Cmd": cmd, "HostConfig": {"NetworkMode": "none", "Init": True, "AutoRemove": True}}
        c = call(d, "POST", f"/containers/create?name=bench-autoremove-{i}", body)
        call(d, "POST", f"/containers/{c['Id']}/start")
        names["autoremove"].append(f"bench-autoremove-{i}")
        time.sleep(0.1)  # spread the exits a little
    end = time.monotonic() + 120
    for kind, list_ in names.items():
        lat = []
        for name in list_:
            while (v := ev.latency_ms(name)) is None and time.monotonic() < end:
                time.sleep(0.02)
            if v is None:
                raise RuntimeError(f"{kind} container {name} was not removed within 120 s")
            lat.append(v)
        names[kind] = lat
        print(f"exit-to-removed {kind:10s} n={n}: {summary(lat)}")
    print(f"exit-to-removed p99 ratio ephemerad/autoremove: {pct(names['ephemerad'], 99) / pct(names['autoremove'], 99):.2f}")


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    esock, dsock, image = sys.argv[1:4]
    n = int(sys.argv[4]) if len(sys.argv) > 4 else 50
    e, d = UnixHTTP(esock), UnixHTTP(dsock)
    overhead(e, d, image, n)
    removal_latency(e, d, dsock, image, min(n, 30))


if __name__ == "__main__":
    main()
