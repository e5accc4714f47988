#!/usr/bin/env python3
"""bench/clips/globals.py AS-OF HORIZON EFFECTIVE CAL.csv - CLIPS globals for subset.clp."""
import datetime as dt, sys
epoch = dt.date(1970, 1, 1)
day = lambda s: (dt.date.fromisoformat(s) - epoch).days
a, h, eff = day(sys.argv[1]), int(sys.argv[2]), day(sys.argv[3])
rows = [l.strip().split(",") for l in open(sys.argv[4]).read().splitlines()[1:]]
print(f"(defglobal ?*as-of* = {a} ?*horizon-day* = {a + h} ?*effective* = {eff})")
print(f"(defglobal ?*cal-base* = {day(rows[0][0])})")
print("(defglobal ?*cal* = (create$ " + " ".join(r[1] for r in rows) + "))")
