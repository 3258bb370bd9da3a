#!/usr/bin/env python3
"""Parse a DCAT document with rdflib and print what it holds, as JSON.

    check_with_rdflib.py SOURCE FORMAT

SOURCE is a URL (http:// or https://) or a file path; FORMAT is `turtle` or `json-ld`.
Prints one JSON object:

    {"catalogs": 1, "datasets": 3, "distributions": 4,
     "distributions_without_access_url": 0, "identifiers": ["101002/000003", ...]}

`identifiers` are the dct:identifier values of the dcat:Dataset nodes, sorted. Exits 1 with a
message on stderr when the document does not parse. Needs rdflib >= 7 (JSON-LD built in).
The integration suite runs it against the live server; it is an independent reader of what
qy-dcat writes.
"""

import json
import sys

from rdflib import Graph, Namespace
from rdflib.namespace import RDF

DCAT = Namespace("http://www.w3.org/ns/dcat#")
DCT = Namespace("http://purl.org/dc/terms/")

FORMATS = {"turtle": "turtle", "ttl": "turtle", "json-ld": "json-ld", "jsonld": "json-ld"}


def counts(graph):
    datasets = set(graph.subjects(RDF.type, DCAT.Dataset))
    distributions = set(graph.subjects(RDF.type, DCAT.Distribution))
    return {
        "catalogs": len(set(graph.subjects(RDF.type, DCAT.Catalog))),
        "datasets": len(datasets),
        "distributions": len(distributions),
        "distributions_without_access_url": sum(
            1 for d in distributions if graph.value(d, DCAT.accessURL) is None
        ),
        "identifiers": sorted(str(i) for d in datasets for i in graph.objects(d, DCT.identifier)),
    }


def main(argv):
    if len(argv) != 3 or argv[2] not in FORMATS:
        sys.stderr.write("usage: check_with_rdflib.py SOURCE turtle|json-ld\n")
        return 2
    source, fmt = argv[1], FORMATS[argv[2]]
    graph = Graph()
    try:
        graph.parse(source, format=fmt)
    except Exception as e:  # any parse or fetch failure is the answer "does not parse"
        sys.stderr.write(f"{source}: {type(e).__name__}: {e}\n")
        return 1
    print(json.dumps(counts(graph), ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
