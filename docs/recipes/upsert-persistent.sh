#!/bin/sh
# The common search-then-create upsert as a shell script for `dhis2-harness --exec` (docs/exec.md).
# Needs curl and jq.
#   sh upsert-persistent.sh          persistent: one request per line on stdin ({"id","record","env"}),
#                                    one answer per line on stdout ({"id","ok":true,"result":{"uid"}}
#                                    or {"id","ok":false,"error"}).
#   sh upsert-persistent.sh --once   per operation: the record on stdin, DHIS2_* in the environment,
#                                    exit code 0 = success, the UID on stdout.
# Logs go to stderr (the harness shows them under the operation). No stable UID, no retry: two runs
# at once can both find nothing and both create, and the harness shows it.
set -u

# a record's fields as shell assignments: tet, key_attr, key, body
FIELDS='@sh "tet=\(.trackedEntityType) key_attr=\(.matchAttribute) key=\(.matchAttribute as $m | .attributes[] | select(.attribute == $m) | .value) body=\({trackedEntityType, orgUnit, attributes} | tojson)"'

# upsert (with tet, key_attr, key, body and DHIS2_* set): prints the UID, or fails with the reason on stderr
upsert() {
  auth="$DHIS2_USERNAME:$DHIS2_PASSWORD"
  api="$DHIS2_BASE_URL/api/trackedEntityInstances"
  found=$(curl -sSfG -u "$auth" "$api" --data-urlencode "ouMode=ACCESSIBLE" --data-urlencode "trackedEntityType=$tet" --data-urlencode "filter=$key_attr:EQ:$key") || return 1
  uids=$(printf '%s' "$found" | jq -r '.trackedEntityInstances[].trackedEntityInstance')
  count=$(printf '%s' "$uids" | grep -c . || true)
  echo "$key: $count match(es)" >&2
  if [ "$count" -eq 0 ]; then
    created=$(curl -sSf -u "$auth" -H 'Content-Type: application/json' -d "$body" "$api") || return 1
    printf '%s' "$created" | jq -er '.response.importSummaries[0].reference'
  elif [ "$count" -eq 1 ]; then
    curl -sSf -u "$auth" -X PUT -H 'Content-Type: application/json' -d "$body" "$api/$uids" >/dev/null || return 1
    echo "$uids"
  else
    echo "$count entities carry $key; refusing to choose" >&2
    return 1
  fi
}

if [ "${1:-}" = "--once" ]; then
  eval "$(jq -r "$FIELDS")"
  upsert
  exit $?
fi

errors=$(mktemp)
trap 'rm -f "$errors"' EXIT
while IFS= read -r line; do
  # one request, in a subshell so its environment ends with it; one jq call reads the whole line
  (
    eval "$(printf '%s' "$line" | jq -r "@sh \"id=\\(.id)\", (.record | $FIELDS), (.env | to_entries[] | \"export \\(.key)=\\(.value | @sh)\")")"
    if uid=$(upsert 2>"$errors"); then
      cat "$errors" >&2
      jq -nc --arg id "$id" --arg uid "$uid" '{id: $id, ok: true, result: {uid: $uid}}'
    else
      cat "$errors" >&2
      jq -nc --arg id "$id" --arg error "$(tail -n 1 "$errors")" '{id: $id, ok: false, error: $error}'
    fi
  )
done
