#!/usr/bin/env python3
"""The same per-key count keytrail makes, in plain Python (gzip + json from the standard library).

Used by compare.py as a point of comparison: python3 python-per-key-count.py FILE... prints key counts."""
import collections
import gzip
import json
import sys

counts = collections.Counter()
for path in sys.argv[1:]:
    with gzip.open(path, "rb") as handle:
        for record in json.load(handle).get("Records", []):
            key = (record.get("userIdentity") or {}).get("accessKeyId")
            if key:
                counts[key] += 1
for key, count in counts.most_common():
    print(count, key)
