#!/usr/bin/env bash
# Quick check that the topic claim keeps token issuance flat: a partner client with 50 grants, one with none and a
# plain confidential client, 200 sequential client_credentials requests each, 3 rounds, one Keycloak (start-dev, H2).
# Needs a prior `mvn -B verify` (the unpacked distribution and the jar in target/), curl and python3. Not a benchmark:
# curl's process start is part of every figure; issue 6 is the real one.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
KC="$ROOT/target/measure/keycloak-26.7.3"
B=http://127.0.0.1:38080
if [ ! -d "$KC" ]; then mkdir -p "$ROOT/target/measure" && cp -r "$ROOT/target/keycloak/keycloak-26.7.3" "$ROOT/target/measure/"; fi
rm -f $KC/providers/*.jar; cp "$ROOT/target/ensync-partner-onboarding.jar" $KC/providers/
rm -rf $KC/data/h2
KC_BOOTSTRAP_ADMIN_USERNAME=admin KC_BOOTSTRAP_ADMIN_PASSWORD=admin $KC/bin/kc.sh start-dev --http-port=38080 --http-management-port=39000 --features=client-secret-rotation --health-enabled=true > "$ROOT/target/measure/kc.log" 2>&1 &
KCPID=$!
trap 'kill $KCPID; wait $KCPID 2>/dev/null' EXIT
until curl -fs -o /dev/null http://127.0.0.1:39000/health/ready; do sleep 1; done
j() { python3 -c "import sys,json; d=json.load(sys.stdin); print(eval(sys.argv[1]))" "$1"; }
AT=$(curl -s -d grant_type=password -d client_id=admin-cli -d username=admin -d password=admin $B/realms/master/protocol/openid-connect/token | j 'd["access_token"]')
curl -s -o /dev/null -X POST $B/admin/realms -H "Authorization: Bearer $AT" -H 'Content-Type: application/json' -d '{"realm":"m","enabled":true}'
KEY=$(curl -s -X POST $B/admin/realms/m/ensync/integrations -H "Authorization: Bearer $AT" -H 'Content-Type: application/json' -d '{"name":"m","topics":[{"pattern":"bulk/*","send":true,"receive":true,"autoApprove":["dev"]}]}' | j 'd["data"]["key"]')
creds() { local url=$(curl -s -X POST $B/realms/m/ensync/api/v1/external/partner -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' -d '{}' | j 'd["data"]["url"]'); curl -s -X POST $B/realms/m/ensync/api/v1/partner/links/${url##*/}/redeem | j '[e for e in d["data"]["environments"] if e["name"]=="dev"][0]["clientId"]+" "+[e for e in d["data"]["environments"] if e["name"]=="dev"][0]["clientSecret"]'; }
read C50 S50 <<<"$(creds)"; read C0 S0 <<<"$(creds)"
T50=$(curl -s -d grant_type=client_credentials -d scope=ensync-partner-api -d client_id=$C50 -d client_secret=$S50 $B/realms/m/protocol/openid-connect/token | j 'd["access_token"]')
for i in $(seq 0 49); do curl -s -o /dev/null -X POST $B/realms/m/ensync/api/v1/partner/me/grants -H "Authorization: Bearer $T50" -H 'Content-Type: application/json' -d "{\"topic\":\"bulk/t$i\",\"scopes\":[\"send\"]}"; done
curl -s -o /dev/null -X POST $B/admin/realms/m/clients -H "Authorization: Bearer $AT" -H 'Content-Type: application/json' -d '{"clientId":"plain","secret":"plain-secret-0123456789abcdef","serviceAccountsEnabled":true,"standardFlowEnabled":false,"publicClient":false,"fullScopeAllowed":false,"defaultClientScopes":["basic","service_account"],"optionalClientScopes":[]}'
echo "claim send count: $(curl -s -d grant_type=client_credentials -d client_id=$C50 -d client_secret=$S50 $B/realms/m/protocol/openid-connect/token | j 'len(__import__("json").loads(__import__("base64").urlsafe_b64decode(d["access_token"].split(".")[1]+"==").decode())["ensync"]["send"])')"
run() { local c=$1 s=$2 n=$3; local t0=$(date +%s%N); for i in $(seq $n); do curl -s -o /dev/null -d grant_type=client_credentials -d client_id=$c -d client_secret=$s $B/realms/m/protocol/openid-connect/token; done; echo $(( ($(date +%s%N)-t0)/n/1000 )); }
run $C50 $S50 50 >/dev/null; run $C0 $S0 50 >/dev/null; run plain plain-secret-0123456789abcdef 50 >/dev/null
for round in 1 2 3; do
  echo "round $round: 50 grants $(run $C50 $S50 200) us/token, 0 grants $(run $C0 $S0 200) us/token, plain client $(run plain plain-secret-0123456789abcdef 200) us/token"
done
