# upsert.py: the same search-then-create in Python (standard library only), for --exec.
# One record as JSON on stdin; DHIS2_BASE_URL, DHIS2_USERNAME, DHIS2_PASSWORD in the environment.
# Print the UID and exit 0 on success; any other exit is a failure the harness cannot see into.
import base64, json, os, sys, urllib.parse, urllib.request

record = json.load(sys.stdin)
base = os.environ["DHIS2_BASE_URL"] + "/api/"
auth = base64.b64encode(f'{os.environ["DHIS2_USERNAME"]}:{os.environ["DHIS2_PASSWORD"]}'.encode()).decode()


def api(method, path, body=None):
    data = json.dumps(body).encode() if body is not None else None
    headers = {"Authorization": "Basic " + auth, "Content-Type": "application/json"}
    with urllib.request.urlopen(urllib.request.Request(base + path, data, headers, method=method)) as res:
        return json.load(res)


key = next(a["value"] for a in record["attributes"] if a["attribute"] == record["matchAttribute"])
query = urllib.parse.urlencode({"ouMode": "ACCESSIBLE", "trackedEntityType": record["trackedEntityType"],
                                "filter": f'{record["matchAttribute"]}:EQ:{key}'})
found = api("GET", "trackedEntityInstances?" + query)["trackedEntityInstances"]
if len(found) > 1:
    sys.exit(f"{len(found)} patients carry {key}")
entity = {k: record[k] for k in ("trackedEntityType", "orgUnit", "attributes")}
if found:
    uid = found[0]["trackedEntityInstance"]
    api("PUT", "trackedEntityInstances/" + uid, {**entity, "orgUnit": found[0]["orgUnit"]})
else:
    uid = api("POST", "trackedEntityInstances", entity)["response"]["importSummaries"][0]["reference"]
print(uid)
