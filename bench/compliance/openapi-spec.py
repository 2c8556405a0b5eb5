#!/usr/bin/env python3
"""Builds the OpenAPI benchmark's input: a Kubernetes-style Swagger 2.0 spec of about 3.9 MB.

    openapi-spec.py SOURCE OUT [TARGET_BYTES=3900000]

SOURCE is kube-openapi's v2_batch.v1.json (the shared fixtures' openapi/kube-openapi/). Its batch/v1 API group is
repeated under new group names (batch, batch1, batch2, ...: paths, definitions, operationIds and tags renamed, the
core definitions they reference kept once) until the minified JSON reaches TARGET_BYTES, the size of a full
cluster's /openapi/v2 document. Prints groups, bytes, paths and definitions.
"""
import json
import sys


def main():
    source, out = sys.argv[1], sys.argv[2]
    target = int(sys.argv[3]) if len(sys.argv) > 3 else 3_900_000
    with open(source) as f:
        src = json.load(f)
    spec = {k: v for k, v in src.items() if k not in ("paths", "definitions")}
    spec["paths"], spec["definitions"] = {}, {}
    paths, definitions = json.dumps(src["paths"]), json.dumps(src["definitions"])
    groups = 0
    while True:
        g = "batch" if groups == 0 else "batch%d" % groups
        G = "Batch" if groups == 0 else "Batch%d" % groups

        def rename(text):
            return (text.replace("/apis/batch/v1", "/apis/%s/v1" % g)
                    .replace("io.k8s.api.batch.v1.", "io.k8s.api.%s.v1." % g)
                    .replace("BatchV1", "%sV1" % G)
                    .replace('"batch_v1"', '"%s_v1"' % g))

        spec["paths"].update(json.loads(rename(paths)))
        spec["definitions"].update(json.loads(rename(definitions)))
        groups += 1
        text = json.dumps(spec, separators=(",", ":"))
        if len(text) >= target:
            break
    with open(out, "w") as f:
        f.write(text)
    print("%d groups, %d bytes, %d paths, %d definitions" % (groups, len(text), len(spec["paths"]),
                                                             len(spec["definitions"])))


if __name__ == "__main__":
    main()
