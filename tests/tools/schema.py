#!/usr/bin/env python3
"""Validates plan files against a JSON Schema, as yaml-language-server does.

usage: schema.py SCHEMA.json FILE.yaml...

Prints each rejected file with the first errors (path in the data and the
validator's message) and a last line `schema: N of M files rejected`.
Needs the Python packages jsonschema and PyYAML.
"""
import json, sys, yaml, jsonschema
class Loader(yaml.SafeLoader):
    pass
# Dates stay strings, as yaml-language-server reads them (YAML 1.2 core schema).
Loader.yaml_implicit_resolvers = {k: [(t, r) for t, r in v if t != 'tag:yaml.org,2002:timestamp'] for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()}
s = json.load(open(sys.argv[1]))
v = jsonschema.Draft202012Validator(s)
bad = 0
for f in sys.argv[2:]:
    d = yaml.load(open(f, encoding='utf-8-sig'), Loader=Loader)
    errs = sorted(v.iter_errors(d), key=lambda e: list(e.path))
    for e in errs[:3]:
        print(f"{f}: {'/'.join(map(str, e.absolute_path))}: {e.message[:160]}")
    bad += bool(errs)
print(f"schema: {bad} of {len(sys.argv) - 2} files rejected")
