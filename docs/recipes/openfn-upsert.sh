#!/bin/sh
# openfn-upsert.sh — an OpenFn job under `dhis2-harness --exec` through the OpenFn CLI (docs/openfn.md).
# stdin: one record; env: DHIS2_BASE_URL, DHIS2_USERNAME, DHIS2_PASSWORD, DHIS2_VERSION (when known).
# Runs $OPENFN_JOB (default: upsert-job.js next to this file) with `openfn … -a dhis2` ($OPENFN
# overrides the command) and prints the UID from where adaptor 8.x leaves it in the final state.
set -eu
here=$(dirname "$0")
job=${OPENFN_JOB:-$here/upsert-job.js}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
# the record becomes state.data; the harness's URL, user and version become the configuration
jq '{
  configuration: ({hostUrl: env.DHIS2_BASE_URL, username: env.DHIS2_USERNAME, password: env.DHIS2_PASSWORD}
    + (if (env.DHIS2_VERSION // "") != "" then {apiVersion: (env.DHIS2_VERSION | split(".")[1])} else {} end)),
  data: .
}' > "$dir/state.json"
# the CLI's own logs stay off stdout (stdout is for the UID); the harness keeps them as the operation's log
${OPENFN:-openfn} "$job" -a dhis2 -s "$dir/state.json" -o "$dir/out.json" >&2
# adaptor 8.x: POST → response.importSummaries[0].reference, PUT → response.reference,
# tracker → bundleReport.typeReportMap.TRACKED_ENTITY.objectReports[0].uid
jq -er '.data | .response.importSummaries[0].reference // .importSummaries[0].reference // .response.reference
  // .bundleReport.typeReportMap.TRACKED_ENTITY.objectReports[0].uid' "$dir/out.json"
