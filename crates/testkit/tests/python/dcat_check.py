"""What a DCAT-AP document from Qingyun says, read with rdflib (an independent RDF parser).

    dcat_check.py SOURCE turtle|json-ld

Prints one JSON object, keyed by each dcat:Dataset's dct:identifier (the resource code):

    {"datasets": {"201001/000001": {"access_rights": "PUBLIC", "frequency": "DAILY",
                  "publisher_identifier": "<USCC>", "themes": [...], "keywords": [...],
                  "landing_page": "...", "downloads": [...], "issued_datatype": "date"}},
     "catalog_languages": ["BOD", "ENG", "ZHO"], "catalog_titles": {"zh": ..., "en": ..., "bo": ...},
     "total_items": 6, "next": null}

Complements crates/std/dcat/tests/check_with_rdflib.py (counts and identifiers). Exits 1 with
the reason on stderr when the document does not parse.
"""
import json
import sys

from rdflib import Graph, Namespace
from rdflib.namespace import RDF

DCAT = Namespace("http://www.w3.org/ns/dcat#")
DCT = Namespace("http://purl.org/dc/terms/")
HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")


def last(uri):
    return str(uri).rstrip("/").rsplit("/", 1)[-1]


def main(argv):
    if len(argv) != 3 or argv[2] not in ("turtle", "json-ld"):
        sys.stderr.write("usage: dcat_check.py SOURCE turtle|json-ld\n")
        return 2
    g = Graph()
    try:
        g.parse(argv[1], format=argv[2])
    except Exception as e:  # any failure to fetch or parse is the answer
        sys.stderr.write("%s: %s: %s\n" % (argv[1], type(e).__name__, e))
        return 1
    datasets = {}
    for d in g.subjects(RDF.type, DCAT.Dataset):
        ident = str(g.value(d, DCT.identifier))
        publisher = g.value(d, DCT.publisher)
        issued = g.value(d, DCT.issued)
        datasets[ident] = {
            "access_rights": last(g.value(d, DCT.accessRights)),
            "frequency": last(g.value(d, DCT.accrualPeriodicity)),
            "publisher_identifier": str(g.value(publisher, DCT.identifier)) if publisher is not None else None,
            "themes": sorted(str(t) for t in g.objects(d, DCAT.theme)),
            "keywords": sorted(str(k) for k in g.objects(d, DCAT.keyword)),
            "landing_page": str(g.value(d, DCAT.landingPage)),
            "downloads": sorted(str(u) for dist in g.objects(d, DCAT.distribution) for u in g.objects(dist, DCAT.downloadURL)),
            "issued_datatype": last(issued.datatype).rsplit("#", 1)[-1] if issued is not None and issued.datatype else None,
        }
    catalogs = list(g.subjects(RDF.type, DCAT.Catalog))
    paging = next(iter(g.subjects(RDF.type, HYDRA.PagedCollection)), None)
    out = {
        "datasets": datasets,
        "catalog_languages": sorted(last(l) for c in catalogs for l in g.objects(c, DCT.language)),
        "catalog_titles": {t.language: str(t) for c in catalogs for t in g.objects(c, DCT.title)},
        "total_items": int(g.value(paging, HYDRA.totalItems)) if paging is not None else None,
        "next": str(g.value(paging, HYDRA.next)) if paging is not None and g.value(paging, HYDRA.next) else None,
    }
    print(json.dumps(out, ensure_ascii=False, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
