#!/usr/bin/env python3
"""A reward plugin for the tests: speaks Arbiter's JSON-lines protocol, and misbehaves on request."""
import json
import os
import sys
import time

for line in sys.stdin:
    req = json.loads(line)
    c = req["completion"]
    if c == "crash":
        sys.exit(3)
    if c == "hang":
        time.sleep(30)
    if c == "bad":
        print("this is not json", flush=True)
        continue
    if c == "err":
        print(json.dumps({"error": "cannot judge"}), flush=True)
        continue
    if c == "number":
        print("0.25", flush=True)
        continue
    # Reward: the completion's length; components carry the pid, so tests can see restarts.
    print(json.dumps({"reward": len(c), "components": {"pid": os.getpid()},
                      "reason": "ref=" + str(req["reference"]) + " id=" + str(req["sample"].get("id"))}), flush=True)
