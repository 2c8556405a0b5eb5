#!/usr/bin/env python3
"""HIF benchmark helper: makes the corpus and runs the peer (python-jsonschema) on it.

  hif-peer.py corpus DATA_DIR OUT_DIR COPIES   write the corpus (see below) into OUT_DIR
  hif-peer.py peer SCHEMA FILE ROUNDS          validate FILE ROUNDS times, print MB/s per round

Corpus, from the largest HIF-standard dataset of DATA_DIR (by size):
  standard.json        the dataset file as it is (validated against the fixtures' hif_schema.json, its own schema)
  standard-xN.json     N copies of its nodes, edges and incidences, ids suffixed (still HIF-standard)
  legacy.json          the dataset converted to the shipped schema's LegacyGraph: one node per node, one
                       incidence per edge with two or more members (weight: the edge's, else 1)
  legacy-xN.json       N copies of that
"""
import glob
import json
import os
import shutil
import sys
import time


def largest(data_dir):
    return max(glob.glob(os.path.join(data_dir, "*.json")), key=os.path.getsize)


def copies(doc, n):
    out = {k: v for k, v in doc.items() if k not in ("nodes", "edges", "incidences")}
    for key, ids in (("nodes", ("node",)), ("edges", ("edge",)), ("incidences", ("edge", "node"))):
        if key not in doc:
            continue
        items = []
        for c in range(n):
            for item in doc[key]:
                item = dict(item)
                for i in ids:
                    item[i] = f"{item[i]}#{c}"
                items.append(item)
        out[key] = items
    return out


def legacy(doc, name):
    weights = {str(e["edge"]): e.get("weight", 1) for e in doc.get("edges", [])}
    members = {}
    for inc in doc["incidences"]:
        members.setdefault(str(inc["edge"]), []).append(str(inc["node"]))
    nodes = []
    for n in doc.get("nodes", []):
        node = {"id": str(n["node"]), "type": "sae_feature"}
        label = n.get("attrs", {}).get("name")
        if isinstance(label, str):
            node["label"] = label
        nodes.append(node)
    incidences = [{"id": e, "node_ids": m, "weight": weights.get(e, 1)}
                  for e, m in members.items() if len(set(m)) >= 2]
    return {"network-type": "directed", "meta": {"version": "hif-1", "model_name": name, "granularity": "token"},
            "nodes": nodes, "incidences": incidences}


def legacy_copies(doc, n):
    out = dict(doc)
    out["nodes"] = [dict(x, id=f"{x['id']}#{c}") for c in range(n) for x in doc["nodes"]]
    out["incidences"] = [dict(x, id=f"{x['id']}#{c}", node_ids=[f"{i}#{c}" for i in x["node_ids"]])
                         for c in range(n) for x in doc["incidences"]]
    return out


def write(path, doc):
    with open(path, "w") as f:
        json.dump(doc, f, separators=(",", ":"))
    return os.path.getsize(path)


def corpus(data_dir, out_dir, n):
    src = largest(data_dir)
    with open(src) as f:
        doc = json.load(f)
    name = os.path.basename(src).split(".")[0]
    os.makedirs(out_dir, exist_ok=True)
    conv = legacy(doc, name)
    shutil.copyfile(src, os.path.join(out_dir, "standard.json"))
    print(f"standard.json\t{os.path.getsize(src)}\t{src}")
    for file, d in ((f"standard-x{n}.json", copies(doc, n)), ("legacy.json", conv),
                    (f"legacy-x{n}.json", legacy_copies(conv, n))):
        print(f"{file}\t{write(os.path.join(out_dir, file), d)}\t{src}")


def peer(schema_path, file, rounds):
    import jsonschema
    with open(schema_path) as f:
        schema = json.load(f)
    cls = jsonschema.validators.validator_for(schema)
    validator = cls(schema, format_checker=cls.FORMAT_CHECKER)
    with open(file, "rb") as f:
        data = f.read()
    for _ in range(rounds):
        n, start = 0, time.perf_counter()
        while True:
            errors = list(validator.iter_errors(json.loads(data)))
            n += 1
            elapsed = time.perf_counter() - start
            if elapsed >= 1.0:
                break
        print(f"{len(data) * n / elapsed / 1e6:.2f}\t{len(errors)}")


if __name__ == "__main__":
    if sys.argv[1] == "corpus":
        corpus(sys.argv[2], sys.argv[3], int(sys.argv[4]))
    elif sys.argv[1] == "peer":
        peer(sys.argv[2], sys.argv[3], int(sys.argv[4]))
    else:
        sys.exit(__doc__)
