"""Qingyun's CKAN-compatible Action API through the real CKAN client, PyPI `ckanapi`.

Uses `ckanapi.RemoteCKAN` as-is (it POSTs JSON to the unversioned /api/action/<name>, or GETs
with get_only=True, and maps error.__type to exceptions) and the `ckanapi` command line
(`search datasets`, which pages until an empty page, and `dump datasets --all`, which spawns
`ckanapi` workers from PATH).

Environment:
  QY_CKAN_URL      site root, e.g. http://127.0.0.1:8080
  QY_CKAN_FIXTURE  JSON describing the seeded catalog (see crates/testkit/tests/it/ckan.rs)

Prints one line per check and "all checks passed"; exits non-zero with the reason on any
mismatch.
"""
import json
import os
import subprocess
import sys

from ckanapi import NotAuthorized, NotFound, RemoteCKAN, ValidationError
from ckanapi.version import __version__ as CKANAPI_VERSION

URL = os.environ["QY_CKAN_URL"]
F = json.loads(os.environ["QY_CKAN_FIXTURE"])
UA = "ckanapi/%s (qingyun tests)" % CKANAPI_VERSION


def check(cond, what):
    if not cond:
        sys.stderr.write("FAILED: %s\n" % what)
        sys.exit(1)
    print("ok: %s" % what)


def raises(exc, fn, what):
    try:
        fn()
    except exc as e:
        print("ok: %s -> %s %s" % (what, type(e).__name__, e))
        return e
    except Exception as e:  # a wrong exception type is a failed mapping
        sys.stderr.write("FAILED: %s raised %s %r\n" % (what, type(e).__name__, e))
        sys.exit(1)
    sys.stderr.write("FAILED: %s did not raise %s\n" % (what, exc.__name__))
    sys.exit(1)


ck = RemoteCKAN(URL, user_agent=UA)
act = ck.action

status = act.status_show()
check(status["ckan_version"] == "2.10.4" and "datastore" in status["extensions"], "status_show %s" % status["ckan_version"])

# Search in Chinese finds exactly the air-quality dataset.
found = act.package_search(q="空气质量", rows=10)
check(found["count"] == 1 and [d["name"] for d in found["results"]] == [F["air"]["name"]],
      "package_search(q='空气质量') -> %s" % [d["title"] for d in found["results"]])
check(found["results"][0]["title"] == F["air"]["title"], "the published title, not the draft revision's")

# Paging with start/rows walks every open dataset once; past the end is an empty page.
names = []
for start in range(0, 100, 4):
    page = act.package_search(rows=4, start=start, sort="name asc")
    check(page["count"] == F["open_count"], "count %d at start=%d" % (page["count"], start))
    if not page["results"]:
        break
    names += [d["name"] for d in page["results"]]
check(names == sorted(F["open_names"]), "paged names %s" % names)

facets = act.package_search(rows=0, **{"facet.field": ["organization", "groups", "res_format", "tags"]})
check(facets["search_facets"]["organization"]["items"][0]["name"] == "qh-sthjt"
      and facets["facets"]["groups"] == {"201": 3, "203": 2, "204": 1}
      and facets["facets"]["res_format"]["CSV"] == 4,
      "facets %s" % json.dumps(facets["facets"], ensure_ascii=False))
narrowed = act.package_search(fq="organization:qh-whlyt +res_format:CSV tags:旅游", rows=10)
check(sorted(d["name"] for d in narrowed["results"]) == sorted([F["scenic"]["name"], F["stats"]["name"]]),
      "fq organization + res_format + tags -> %d" % narrowed["count"])
since = act.package_search(fq="metadata_modified:[2000-01-01T00:00:00Z TO *]", sort="metadata_modified desc")
check(since["count"] == F["open_count"], "fq metadata_modified:[2000-01-01T00:00:00Z TO *] -> %d" % since["count"])
check(act.package_search(fq="metadata_modified:[2999-01-01T00:00:00Z TO *]")["count"] == 0, "nothing modified in 2999")

# package_show by name and by id; unknown keys (as `ckanapi dump` sends) are ignored.
by_name = act.package_show(id=F["air"]["name"], include_datasets=False, include_password_hash=True)
by_id = act.package_show(id=F["air"]["id"])
check(by_name["id"] == by_id["id"] == F["air"]["id"], "package_show by name and by id")
check([r["format"] for r in by_name["resources"]] == ["CSV", "JSON", "XLSX"]
      and all(r["datastore_active"] for r in by_name["resources"]), "air quality resources CSV/JSON/XLSX")
check({"key": "resource_code", "value": F["air"]["code"]} in by_name["extras"], "extras resource_code %s" % F["air"]["code"])
check(by_name["organization"]["name"] == "qh-sthjt" and by_name["license_id"] == "cc-by-4.0" and by_name["isopen"],
      "organization and licence")
res = act.resource_show(id=F["air"]["resource_id"])
check(res["package_id"] == F["air"]["id"] and res["url"].endswith("/download.csv"), "resource_show %s" % res["url"])

orgs = act.organization_list()
check(orgs == F["org_names_by_title"], "organization_list %s" % orgs)
org = act.organization_show(id="qh-sthjt", include_datasets=True)
check(org["package_count"] == 3 and len(org["packages"]) == 3, "organization_show qh-sthjt package_count 3")
all_orgs = act.organization_list(all_fields=True)
check({o["name"]: o["package_count"] for o in all_orgs} == F["org_counts"], "organization_list all_fields counts")
groups = act.group_list()
check(set(["201", "203", "204"]) <= set(groups), "group_list has 201, 203, 204 (%d groups)" % len(groups))
check(act.group_show(id="201")["package_count"] == 3, "group_show 201 package_count 3")
check("空气质量" in act.tag_list(), "tag_list has 空气质量")

# Errors come back as ckanapi's exceptions.
raises(NotFound, lambda: act.package_show(id="no-such-dataset"), "package_show unknown")
for hidden in F["hidden_names"]:
    raises(NotFound, lambda: act.package_show(id=hidden), "package_show hidden %s" % hidden)
e = raises(ValidationError, lambda: act.package_search(fq="license_id:cc-by-4.0"), "unsupported fq")
check("fq" in e.error_dict, "the validation error names fq")
raises(ValidationError, lambda: act.package_search(sort="views_recent desc"), "unsupported sort")
raises(ValidationError, lambda: act.package_search(rows="many"), "rows not a number")

# get_only=True: the same actions as GET with query parameters.
get = RemoteCKAN(URL, user_agent=UA, get_only=True).action
check(get.package_search(q="空气质量")["count"] == 1, "get_only package_search")
check(get.package_show(id=F["air"]["name"])["id"] == F["air"]["id"], "get_only package_show")
check(get.organization_list() == orgs, "get_only organization_list")

# DataStore: filters and limit; personal items are not there.
rows = act.datastore_search(resource_id=F["air"]["resource_id"], filters={"station": "西宁市第五水厂"}, limit=1)
check(rows["total"] == 2 and len(rows["records"]) == 1 and rows["records"][0]["station"] == "西宁市第五水厂",
      "datastore_search filters+limit -> total %d, %s" % (rows["total"], json.dumps(rows["records"], ensure_ascii=False)))
second = act.datastore_search(resource_id=F["air"]["resource_id"], filters={"station": "西宁市第五水厂"}, limit=1, offset=1)
check(second["records"][0]["aqi"] != rows["records"][0]["aqi"], "datastore_search offset 1 is the next row")
stats = act.datastore_search(resource_id=F["stats"]["resource_id"])
check([f["id"] for f in stats["fields"]] == ["region", "visitors"] and "contact" not in stats["records"][0],
      "personal item hidden: fields %s" % [f["id"] for f in stats["fields"]])
raises(ValidationError, lambda: act.datastore_search(resource_id=F["air"]["resource_id"], q="西宁"), "datastore q refused")

# 有条件开放: metadata for all, rows only with the key of an approved application.
check(act.package_show(id=F["scenic"]["name"])["license_id"] == "other-closed", "conditional dataset metadata is public")
raises(NotAuthorized, lambda: act.datastore_search(resource_id=F["scenic"]["resource_id"]), "conditional rows without key")
pending = RemoteCKAN(URL, apikey=F["pending_key"], user_agent=UA).action
raises(NotAuthorized, lambda: pending.datastore_search(resource_id=F["scenic"]["resource_id"]), "conditional rows, key without approval")
approved = RemoteCKAN(URL, apikey=F["approved_key"], user_agent=UA).action
scenic = approved.datastore_search(resource_id=F["scenic"]["resource_id"], limit=10)
check(scenic["total"] == 4 and len(scenic["records"]) == 4, "conditional rows with the approved key -> %d" % scenic["total"])

# The command line: `search` must terminate (it pages until an empty page), `dump` spawns workers
# named `ckanapi` from PATH.
bin_dir = os.path.dirname(sys.executable)
env = dict(os.environ, PATH=bin_dir + os.pathsep + os.environ.get("PATH", ""))
cli = os.path.join(bin_dir, "ckanapi")


def run(args):
    p = subprocess.run([cli] + args, env=env, capture_output=True, timeout=180)
    if p.returncode != 0:
        sys.stderr.write("FAILED: ckanapi %s\n%s\n" % (" ".join(args), p.stderr.decode("utf-8", "replace")))
        sys.exit(1)
    return [json.loads(line) for line in p.stdout.decode("utf-8").splitlines() if line.strip()]


hits = run(["search", "datasets", "q=空气质量", "-r", URL])
check([d["name"] for d in hits] == [F["air"]["name"]], "ckanapi search datasets q=空气质量 -> %d line(s)" % len(hits))
everything = run(["search", "datasets", "-r", URL])
check(len(everything) == F["open_count"], "ckanapi search datasets (all) -> %d lines" % len(everything))
dumped = run(["dump", "datasets", "--all", "-q", "-r", URL])
check(sorted(d["name"] for d in dumped) == sorted(F["open_names"]), "ckanapi dump datasets --all -> %d datasets" % len(dumped))
orgs_dumped = run(["dump", "organizations", "--all", "-q", "-r", URL])
check(sorted(o["name"] for o in orgs_dumped) == sorted(F["org_names_by_title"]), "ckanapi dump organizations --all -> %d" % len(orgs_dumped))

print("all checks passed")
