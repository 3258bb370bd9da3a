"""Tiny, server-agnostic SensorThings 1.1 workload (stdlib only).

The workload of shared/reference/peers.md (Appendix A), run against Qingyun and against
django-ogc-sensorthings side by side (docs/benchmarks.md §6). Additions for Qingyun, whose
Things are registered stations and whose writes need a token: `--header` (sent with every
request), `seed-registry` (the same 10 Things × 10 Datastreams, registered through
`/api/v1/eco/stations` and given one observation per datastream), and `--server-pid`
(prints the server's CPU seconds used during the step, from /proc).

  python3 sta_bench.py BASE seed  [--things 10 --per-thing 10]
  python3 sta_bench.py BASE seed-registry --header 'Authorization: Bearer T' [--things 10 --per-thing 10]
  python3 sta_bench.py BASE post  [--seconds 60 --max 1000000 --clients 1]
  python3 sta_bench.py BASE get   [--n 200]
  python3 sta_bench.py BASE dataarray [--seconds 30 --batch 100]

BASE is the service root, e.g. http://127.0.0.1:8001/sensorthings/v1.1
Only @iot.id values read back from the server are used, so integer (FROST)
and UUID ids both work. Every loop is bounded by count and by time.
"""
import argparse, http.client, json, os, statistics, threading, time, urllib.parse
from datetime import datetime, timedelta, timezone

OM = "http://www.opengis.net/def/observationType/OGC-OM/2.0/OM_Measurement"


HEADERS = {}


class Conn:
    def __init__(self, base):
        u = urllib.parse.urlsplit(base)
        self.host, self.port, self.prefix = u.hostname, u.port or 80, u.path.rstrip("/")
        self.c = http.client.HTTPConnection(self.host, self.port, timeout=30)

    def req(self, method, path, body=None):
        hdr = {"Accept": "application/json", **HEADERS}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            hdr["Content-Type"] = "application/json"
        try:
            self.c.request(method, self.prefix + path, body=data, headers=hdr)
            r = self.c.getresponse()
        except (http.client.HTTPException, OSError):
            self.c.close()
            self.c = http.client.HTTPConnection(self.host, self.port, timeout=30)
            self.c.request(method, self.prefix + path, body=data, headers=hdr)
            r = self.c.getresponse()
        raw = r.read()
        return r.status, r.getheader("Location"), raw


def take_offsets(base, n):
    """Reserve n fresh timestamp slots for this server so reruns never repeat a (datastream, time) pair."""
    import os, re
    f = "/tmp/sta_bench_offset_" + re.sub(r"[^A-Za-z0-9]", "_", base)
    start = int(open(f).read()) if os.path.exists(f) else 0
    open(f, "w").write(str(start + n))
    return datetime(2020, 1, 1, tzinfo=timezone.utc) + timedelta(seconds=start)


def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))] if xs else float("nan")


def all_ids(c, coll):
    ids, path = [], f"/{coll}?$select=id&$top=100"
    for _ in range(1000):
        st, _, raw = c.req("GET", path)
        assert st == 200, (st, raw[:300])
        j = json.loads(raw)
        ids += [v["@iot.id"] for v in j["value"]]
        nxt = j.get("@iot.nextLink")
        if not nxt:
            break
        path = nxt[nxt.index(c.prefix) + len(c.prefix):] if c.prefix in nxt else urllib.parse.urlsplit(nxt).path
    return ids


def seed(a):
    c = Conn(a.base)
    st, loc, raw = c.req("POST", "/Sensors", {"name": "analyser", "description": "gas analyser",
        "encodingType": "text/html", "metadata": "http://example.org/analyser"})
    assert st == 201, raw
    sid = json.loads(raw)["@iot.id"] if raw.strip() else loc.rsplit("(", 1)[1].strip(")'\"")
    st, loc, raw = c.req("POST", "/ObservedProperties", {"name": "PM2.5",
        "definition": "http://example.org/pm25", "description": "fine particles"})
    assert st == 201, raw
    oid = json.loads(raw)["@iot.id"] if raw.strip() else loc.rsplit("(", 1)[1].strip(")'\"")
    if isinstance(sid, str) and sid.isdigit():
        sid, oid = int(sid), int(oid)
    t0 = time.time()
    for t in range(a.things):
        body = {"name": f"station-{t}", "description": "monitoring station",
            "properties": {"region": "630100"},
            "Locations": [{"name": f"site-{t}", "description": "site", "encodingType": "application/geo+json",
                           "location": {"type": "Point", "coordinates": [101.7 + t / 100, 36.6]}}],
            "Datastreams": [{"name": f"st{t}-ds{d}", "description": "hourly PM2.5",
                "unitOfMeasurement": {"name": "microgram per cubic metre", "symbol": "ug/m3",
                                      "definition": "http://unitsofmeasure.org/ucum.html#ug/m3"},
                "observationType": OM, "Sensor": {"@iot.id": sid}, "ObservedProperty": {"@iot.id": oid}}
                for d in range(a.per_thing)]}
        st, _, raw = c.req("POST", "/Things", body)
        assert st == 201, (st, raw[:400])
    print(json.dumps({"seeded_things": a.things, "datastreams": a.things * a.per_thing,
                      "seconds": round(time.time() - t0, 2)}))


def seed_registry(a):
    """Qingyun: Things are stations of the registry (with HJ 212 credentials), Datastreams exist
    once a value arrives, so register the stations through the platform's API and POST one
    real-time observation to each (station, factor) datastream. Same shape as `seed`."""
    c = Conn(a.base)
    api = a.base.rsplit("/sta/", 1)[0] + "/api/v1/eco/stations"
    api_path = urllib.parse.urlsplit(api).path
    factors = ["a34004", "a34002", "a21026", "a21004", "a21005", "a05024", "a01001", "a01002", "a01006", "a01007",
               "a01008", "a34001"][: a.per_thing]
    start = take_offsets(a.base, a.things * a.per_thing)
    t0, i = time.time(), 0
    for t in range(a.things):
        body = {"mn": f"QHSTABENCH{t:04d}{int(t0) % 100000:05d}", "name": f"station-{t}", "kind": "air",
                "region_code": "630102", "latitude": 36.6, "longitude": 101.7 + t / 100, "password": "123456"}
        c.prefix, saved = "", c.prefix
        st, _, raw = c.req("POST", api_path, body)
        c.prefix = saved
        assert st == 201, (st, raw[:400])
        sid = json.loads(raw)["id"]
        for f in factors:
            ds = f"{sid}~{f}~rtd"
            obs = {"phenomenonTime": (start + timedelta(seconds=i)).isoformat().replace("+00:00", "Z"), "result": 20,
                   "Datastream": {"@iot.id": ds}}
            st, _, raw = c.req("POST", "/Observations", obs)
            assert st == 201, (st, raw[:400])
            i += 1
    print(json.dumps({"seeded_things": a.things, "datastreams": a.things * len(factors),
                      "seconds": round(time.time() - t0, 2)}))


def post(a):
    ds = all_ids(Conn(a.base), "Datastreams")
    assert ds, "no datastreams: run seed first"
    deadline = time.time() + a.seconds
    lat, errs, lock = [], [0], threading.Lock()
    base_t = take_offsets(a.base, min(a.max, 2_000_000))
    counter = [0]

    def worker(w):
        c, mine = Conn(a.base), []
        while time.time() < deadline:
            with lock:
                i = counter[0]
                if i >= a.max:
                    break
                counter[0] += 1
            body = {"phenomenonTime": (base_t + timedelta(seconds=i)).isoformat().replace("+00:00", "Z"),
                    "result": round(20 + (i % 97) / 3, 2), "Datastream": {"@iot.id": ds[i % len(ds)]}}
            t = time.perf_counter()
            st, _, raw = c.req("POST", "/Observations", body)
            mine.append(time.perf_counter() - t)
            if st != 201:
                mine.pop()
                with lock:
                    errs[0] += 1
                    if errs[0] < 3:
                        print("error", st, raw[:300])
        with lock:
            lat.extend(mine)

    t0 = time.time()
    th = [threading.Thread(target=worker, args=(w,)) for w in range(a.clients)]
    [x.start() for x in th]
    [x.join() for x in th]
    el = time.time() - t0
    print(json.dumps({"op": "POST /Observations", "clients": a.clients, "sent": len(lat), "errors": errs[0],
        "seconds": round(el, 1), "per_s": round(len(lat) / el, 1),
        "p50_ms": round(pct(lat, 50) * 1e3, 2), "p99_ms": round(pct(lat, 99) * 1e3, 2)}))


def get(a):
    c = Conn(a.base)
    q = "/Datastreams?$top=100&$expand=" + urllib.parse.quote("Observations($top=1;$orderby=phenomenonTime desc)", safe="()=;$,")
    st, _, raw = c.req("GET", q)
    assert st == 200, (st, raw[:400])
    j = json.loads(raw)
    n_ds = len(j["value"])
    with_obs = sum(1 for v in j["value"] if v.get("Observations"))
    lat, deadline = [], time.time() + 60
    for _ in range(a.n):
        if time.time() > deadline:
            break
        t = time.perf_counter()
        st, _, raw = c.req("GET", q)
        lat.append(time.perf_counter() - t)
        assert st == 200
    print(json.dumps({"op": "GET Datastreams?$expand=Observations($top=1;$orderby=phenomenonTime desc)",
        "datastreams_in_page": n_ds, "with_latest_obs": with_obs, "bytes": len(raw), "n": len(lat),
        "p50_ms": round(pct(lat, 50) * 1e3, 2), "p90_ms": round(pct(lat, 90) * 1e3, 2),
        "p99_ms": round(pct(lat, 99) * 1e3, 2), "mean_ms": round(statistics.mean(lat) * 1e3, 2)}))


def dataarray(a):
    """SensorThings 1.1 data-array extension: POST /CreateObservations."""
    c = Conn(a.base)
    ds = all_ids(c, "Datastreams")
    deadline, sent, lat, i = time.time() + a.seconds, 0, [], 0
    base_t = take_offsets(a.base, min(a.max, 2_000_000))
    while time.time() < deadline and sent < a.max:
        rows = []
        for _ in range(a.batch):
            rows.append([(base_t + timedelta(seconds=i)).isoformat().replace("+00:00", "Z"), 20 + i % 7])
            i += 1
        body = [{"Datastream": {"@iot.id": ds[(i // a.batch) % len(ds)]},
                 "components": ["phenomenonTime", "result"], "dataArray@iot.count": len(rows), "dataArray": rows}]
        t = time.perf_counter()
        st, _, raw = c.req("POST", "/CreateObservations", body)
        lat.append(time.perf_counter() - t)
        assert st == 201, (st, raw[:300])
        sent += len(rows)
    el = sum(lat)
    print(json.dumps({"op": "POST /CreateObservations", "batch": a.batch, "observations": sent,
        "per_s": round(sent / el, 1), "p50_ms_per_batch": round(pct(lat, 50) * 1e3, 1)}))


if __name__ == "__main__":
    p = argparse.ArgumentParser()
    p.add_argument("base")
    p.add_argument("cmd", choices=["seed", "seed-registry", "post", "get", "dataarray"])
    p.add_argument("--header", action="append", default=[], help="'Name: value', sent with every request")
    p.add_argument("--server-pid", type=int, help="report this process's CPU seconds for the step")
    p.add_argument("--things", type=int, default=10)
    p.add_argument("--per-thing", type=int, default=10)
    p.add_argument("--seconds", type=float, default=60)
    p.add_argument("--max", type=int, default=1_000_000)
    p.add_argument("--clients", type=int, default=1)
    p.add_argument("--n", type=int, default=200)
    p.add_argument("--batch", type=int, default=100)
    a = p.parse_args()
    a.seconds = min(a.seconds, 60)
    for h in a.header:
        k, v = h.split(":", 1)
        HEADERS[k.strip()] = v.strip()

    def cpu():
        if not a.server_pid:
            return 0.0
        with open(f"/proc/{a.server_pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    before, wall = cpu(), time.time()
    globals()[a.cmd.replace("-", "_")](a)
    if a.server_pid:
        print(json.dumps({"server_cpu_s": round(cpu() - before, 2), "wall_s": round(time.time() - wall, 2)}))
