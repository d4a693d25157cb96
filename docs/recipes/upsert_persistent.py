#!/usr/bin/env python3
"""The common search-then-create upsert as a Python program for `dhis2-harness --exec` (docs/exec.md).

Standard library only. Two ways to run it:

  python3 upsert_persistent.py          persistent: one process serves many operations. Each line on
                                        stdin is {"id", "record", "env"}; each answer is one line on
                                        stdout: {"id", "ok": true, "result": {"uid"}} or
                                        {"id", "ok": false, "error", "outcomeUnknown"}.
  python3 upsert_persistent.py --once   per operation: one record as JSON on stdin, DHIS2_BASE_URL,
                                        DHIS2_USERNAME, DHIS2_PASSWORD in the environment, exit code 0
                                        = success, the UID on stdout.

Logs go to stderr: the harness shows them under the operation. The upsert itself has the classic
race (two runs at once both find nothing and both create); the harness finds it.
"""
import base64
import json
import os
import sys
import urllib.error
import urllib.parse
import urllib.request


class Refused(Exception):
    """DHIS2 said no (an HTTP 4xx answer) or the upsert refused to choose: nothing was written."""


def call(env, method, path, body=None):
    url = env["DHIS2_BASE_URL"].rstrip("/") + "/api/" + path
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method)
    token = base64.b64encode(f'{env["DHIS2_USERNAME"]}:{env["DHIS2_PASSWORD"]}'.encode()).decode()
    request.add_header("Authorization", "Basic " + token)
    request.add_header("Accept", "application/json")
    if data is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.load(response)
    except urllib.error.HTTPError as e:
        text = e.read().decode(errors="replace")[:300]
        if 400 <= e.code < 500:
            raise Refused(f"{method} {path.split('?')[0]} answered {e.code}: {text}") from e
        raise


def upsert(record, env):
    key = next(a["value"] for a in record["attributes"] if a["attribute"] == record["matchAttribute"])
    query = urllib.parse.urlencode({
        "ouMode": "ACCESSIBLE",
        "trackedEntityType": record["trackedEntityType"],
        "filter": f'{record["matchAttribute"]}:EQ:{key}',
    })
    found = call(env, "GET", "trackedEntityInstances?" + query)["trackedEntityInstances"]
    print(f"{key}: {len(found)} match(es)", file=sys.stderr)
    tei = {k: record[k] for k in ("trackedEntityType", "orgUnit", "attributes")}
    if len(found) > 1:
        raise Refused(f"{len(found)} entities carry {key}; refusing to choose")
    if found:
        uid = found[0]["trackedEntityInstance"]
        call(env, "PUT", f"trackedEntityInstances/{uid}", tei)
        return uid
    return call(env, "POST", "trackedEntityInstances", tei)["response"]["importSummaries"][0]["reference"]


def serve():
    # readline, not `for line in sys.stdin`: answer each request as soon as its line arrives
    while True:
        line = sys.stdin.readline()
        if not line:
            return  # EOF: the harness is done
        request = json.loads(line)
        try:
            answer = {"id": request["id"], "ok": True, "result": {"uid": upsert(request["record"], request["env"])}}
        except Refused as e:  # DHIS2 answered 4xx, or the upsert refused to choose: nothing was written
            answer = {"id": request["id"], "ok": False, "error": str(e), "outcomeUnknown": False}
        except Exception as e:  # a dropped connection or a 5xx may have come after a write
            answer = {"id": request["id"], "ok": False, "error": f"{type(e).__name__}: {e}"}
        print(json.dumps(answer), flush=True)


if __name__ == "__main__":
    if sys.argv[1:] == ["--once"]:
        print(upsert(json.load(sys.stdin), os.environ))
    else:
        serve()
