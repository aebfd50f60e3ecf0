#!/usr/bin/env bash
# One command for a local demo: builds the extension, starts Keycloak with it on the embedded H2 store, provisions
# the realm "demo" with a demo integration, and prints the Integration Key with ready-to-paste curl commands.
# Keycloak stays in the foreground; Ctrl-C stops it. Data persists in .demo/ between runs.
#
#   bin/demo.sh                                  # http://localhost:8080, management port 9000
#   ENSYNC_DEMO_PORT=8081 ENSYNC_DEMO_MANAGEMENT_PORT=9001 bin/demo.sh
set -euo pipefail

KC_VERSION=26.7.3
PORT="${ENSYNC_DEMO_PORT:-8080}"
MANAGEMENT_PORT="${ENSYNC_DEMO_MANAGEMENT_PORT:-9000}"
REALM=demo
ADMIN_USER="admin"
ADMIN_PASSWORD="admin"
START_TIMEOUT_SECONDS=300

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DEMO_DIR="$ROOT/.demo"
KC_HOME="$DEMO_DIR/keycloak-$KC_VERSION"
KC_LOG="$DEMO_DIR/keycloak.log"
KCADM_CONFIG="$DEMO_DIR/kcadm.config"     # keeps kcadm's session out of ~/.keycloak
INTEGRATION_ID_FILE="$DEMO_DIR/integration-id"
JAR="$ROOT/target/ensync-partner-onboarding.jar"
BASE="http://localhost:$PORT"
ADMIN_API="$BASE/admin/realms/$REALM/ensync"

say() { printf '==> %s\n' "$*"; }
fail() { printf 'demo: %s\n' "$*" >&2; exit 1; }

for tool in java mvn curl; do
  command -v "$tool" >/dev/null || fail "'$tool' is required but not installed"
done

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for port in "$PORT" "$MANAGEMENT_PORT"; do
  if port_in_use "$port"; then
    fail "port $port is already in use (set ENSYNC_DEMO_PORT / ENSYNC_DEMO_MANAGEMENT_PORT)"
  fi
done

# Value of a string field of a JSON answer. jq when present; otherwise the first "field":"value" in the text,
# which is enough for the flat answers read here (a fresh machine need not have jq or python).
json_string() {
  local field=$1 path=$2 body=$3
  if command -v jq >/dev/null; then
    jq -r "$path // empty" <<<"$body" 2>/dev/null || true
  else
    grep -o "\"$field\" *: *\"[^\"]*\"" <<<"$body" | head -n 1 | sed 's/.*: *"\(.*\)"$/\1/' || true
  fi
}

cd "$ROOT"
say "Building the extension"
mvn -B -q -DskipTests -Dit.skip=true package
[ -f "$JAR" ] || fail "the build did not produce $JAR"

if [ ! -d "$KC_HOME" ]; then
  say "Fetching Keycloak $KC_VERSION"
  rm -rf "$DEMO_DIR/download" "$DEMO_DIR/unpack.tmp"
  mvn -B -q dependency:copy -Dartifact="org.keycloak:keycloak-quarkus-dist:$KC_VERSION:zip" \
    -DoutputDirectory="$DEMO_DIR/download"
  ZIP="$DEMO_DIR/download/keycloak-quarkus-dist-$KC_VERSION.zip"
  # Unpack aside and move into place, so an interrupted run never leaves a half distribution that looks complete.
  mkdir -p "$DEMO_DIR/unpack.tmp"
  if command -v unzip >/dev/null; then
    unzip -q "$ZIP" -d "$DEMO_DIR/unpack.tmp"
  else
    (cd "$DEMO_DIR/unpack.tmp" && jar xf "$ZIP")   # the JDK's jar tool reads zips but drops the exec bits
    chmod +x "$DEMO_DIR/unpack.tmp/keycloak-$KC_VERSION"/bin/*.sh
  fi
  mv "$DEMO_DIR/unpack.tmp/keycloak-$KC_VERSION" "$KC_HOME"
  rm -rf "$DEMO_DIR/download" "$DEMO_DIR/unpack.tmp"
fi

say "Installing $(basename "$JAR") into $KC_HOME/providers"
rm -f "$KC_HOME"/providers/ensync*.jar
cp "$JAR" "$KC_HOME/providers/"

KC_PID=""
stop_keycloak() {
  trap - INT TERM EXIT
  if [ -n "$KC_PID" ] && kill -0 "$KC_PID" 2>/dev/null; then
    say "Stopping Keycloak"
    kill -TERM "$KC_PID" 2>/dev/null || true   # kc.sh forwards SIGTERM to the Keycloak JVM
    wait "$KC_PID" 2>/dev/null || true
  fi
}
trap 'stop_keycloak; exit 130' INT
trap 'stop_keycloak; exit 143' TERM
trap 'stop_keycloak' EXIT   # any failure below must not leave Keycloak running

say "Starting Keycloak on $BASE (log: $KC_LOG)"
# A background job of this script: Ctrl-C reaches the script, whose trap asks Keycloak to stop and waits for it.
KC_BOOTSTRAP_ADMIN_USERNAME="$ADMIN_USER" KC_BOOTSTRAP_ADMIN_PASSWORD="$ADMIN_PASSWORD" \
  "$KC_HOME/bin/kc.sh" start-dev --http-port="$PORT" --http-management-port="$MANAGEMENT_PORT" \
  --health-enabled=true --metrics-enabled=true --features=client-secret-rotation >>"$KC_LOG" 2>&1 </dev/null &
KC_PID=$!

deadline=$((SECONDS + START_TIMEOUT_SECONDS))
until curl -fsS -o /dev/null "http://localhost:$MANAGEMENT_PORT/health/ready" 2>/dev/null; do
  if ! kill -0 "$KC_PID" 2>/dev/null; then
    tail -n 40 "$KC_LOG" >&2
    fail "Keycloak exited while starting; see $KC_LOG"
  fi
  [ "$SECONDS" -lt "$deadline" ] || fail "Keycloak was not ready within $START_TIMEOUT_SECONDS s; see $KC_LOG"
  sleep 1
done
say "Keycloak is ready"

# Realm, with admin events stored with details: the extension's audit trail lives there.
KCADM=("$KC_HOME/bin/kcadm.sh")
"${KCADM[@]}" config credentials --config "$KCADM_CONFIG" --server "$BASE" --realm master \
  --user "$ADMIN_USER" --password "$ADMIN_PASSWORD" >/dev/null
# The admin console with the EnSync pages is the admin theme "ensync": master's console serves every realm.
"${KCADM[@]}" update realms/master --config "$KCADM_CONFIG" -s adminTheme=ensync
if "${KCADM[@]}" get "realms/$REALM" --config "$KCADM_CONFIG" >/dev/null 2>&1; then
  say "Realm '$REALM' exists; keeping it"
  "${KCADM[@]}" update "realms/$REALM" --config "$KCADM_CONFIG" \
    -s adminEventsEnabled=true -s adminEventsDetailsEnabled=true -s adminTheme=ensync
else
  say "Creating realm '$REALM'"
  "${KCADM[@]}" create realms --config "$KCADM_CONFIG" -s realm="$REALM" -s enabled=true \
    -s adminEventsEnabled=true -s adminEventsDetailsEnabled=true -s adminTheme=ensync
fi

TOKEN_ANSWER="$(curl -fsS "$BASE/realms/master/protocol/openid-connect/token" \
  -d grant_type=password -d client_id=admin-cli \
  --data-urlencode "username=$ADMIN_USER" --data-urlencode "password=$ADMIN_PASSWORD")"
ADMIN_TOKEN="$(json_string access_token .access_token "$TOKEN_ANSWER")"
[ -n "$ADMIN_TOKEN" ] || fail "could not get an admin token"

# POST with the admin token; prints the body, fails unless the status is the expected one.
admin_post() {
  local expected=$1 url=$2 body=$3 answer status
  answer="$(curl -sS -w '\n%{http_code}' -X POST "$url" -H "Authorization: Bearer $ADMIN_TOKEN" \
    -H 'Content-Type: application/json' --data-binary "$body")"
  status="${answer##*$'\n'}"
  answer="${answer%$'\n'*}"
  [ "$status" = "$expected" ] || fail "POST $url answered HTTP $status: $answer"
  printf '%s' "$answer"
}

# The key is shown only when created: reuse the integration of an earlier run, but give it a fresh key.
INTEGRATION_ID=""
if [ -s "$INTEGRATION_ID_FILE" ]; then
  INTEGRATION_ID="$(cat "$INTEGRATION_ID_FILE")"
  status="$(curl -sS -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $ADMIN_TOKEN" \
    "$ADMIN_API/integrations/$INTEGRATION_ID")"
  [ "$status" = 200 ] || INTEGRATION_ID=""
fi
if [ -n "$INTEGRATION_ID" ]; then
  say "Integration $INTEGRATION_ID exists; creating a fresh Integration Key for it"
  ANSWER="$(admin_post 201 "$ADMIN_API/integrations/$INTEGRATION_ID/keys" '{}')"
else
  say "Creating the demo integration"
  ANSWER="$(admin_post 201 "$ADMIN_API/integrations" \
    '{"name":"Demo integration","description":"Created by bin/demo.sh","allowedEmbedOrigins":["http://localhost:3000"],"topics":[{"pattern":"app/order/*","send":true,"receive":true,"autoApprove":["dev"]},{"pattern":"app/payment/*","send":false,"receive":true,"autoApprove":[]}]}')"
  INTEGRATION_ID="$(json_string id .data.id "$ANSWER")"
  [ -n "$INTEGRATION_ID" ] || fail "no data.id in the answer of POST $ADMIN_API/integrations"
  printf '%s\n' "$INTEGRATION_ID" >"$INTEGRATION_ID_FILE"
  NEW_INTEGRATION=1
fi
INTEGRATION_KEY="$(json_string key .data.key "$ANSWER")"
[ -n "$INTEGRATION_KEY" ] || fail "no data.key in the answer for integration $INTEGRATION_ID"

# A first partner so that the console's pages are not empty: onboarded through the APIs, with one grant approved
# automatically and one waiting for an admin on the Approvals page. Its secrets are used here and not printed.
if [ -n "${NEW_INTEGRATION:-}" ]; then
  say "Onboarding the demo partner 'Acme Orders' with a pending permission request"
  PARTNER_API="$BASE/realms/$REALM/ensync/api/v1/partner"
  ANSWER="$(curl -fsS -X POST "$BASE/realms/$REALM/ensync/api/v1/external/partner" \
    -H "Authorization: Bearer $INTEGRATION_KEY" -H 'Content-Type: application/json' \
    -d '{"appName":"Acme Orders","appDescription":"Order sync for Acme shops","metadata":{"color":"#0b7a75","tags":["retail","eu"]}}')"
  LINK_URL="$(json_string url .data.url "$ANSWER")"
  [ -n "$LINK_URL" ] || fail "no data.url in the answer of the partner endpoint"
  # The first environment of the answer is dev.
  ANSWER="$(curl -fsS -X POST "$PARTNER_API/links/${LINK_URL##*/}/redeem")"
  DEV_CLIENT="$(json_string clientId '.data.environments[0].clientId' "$ANSWER")"
  DEV_SECRET="$(json_string clientSecret '.data.environments[0].clientSecret' "$ANSWER")"
  # The partner API takes a token asked for with scope=ensync-partner-api (the default token is the broker's).
  ANSWER="$(curl -fsS "$BASE/realms/$REALM/protocol/openid-connect/token" -d grant_type=client_credentials \
    -d scope=ensync-partner-api --data-urlencode "client_id=$DEV_CLIENT" --data-urlencode "client_secret=$DEV_SECRET")"
  PARTNER_TOKEN="$(json_string access_token .access_token "$ANSWER")"
  for grant in '{"topic":"app/order/created","scopes":["send"]}' '{"topic":"app/payment/refunded","scopes":["receive"]}'; do
    curl -fsS -o /dev/null -X POST "$PARTNER_API/me/grants" -H "Authorization: Bearer $PARTNER_TOKEN" \
      -H 'Content-Type: application/json' -d "$grant"
  done
  unset DEV_SECRET PARTNER_TOKEN
fi

cat <<EOF

EnSync Partner Onboarding demo is running (Keycloak $KC_VERSION, embedded H2 store in $KC_HOME/data).

  Admin console:    $BASE/admin/master/console/#/$REALM/ensync/integrations
                    (EnSync partners: Integrations, Partners, Approvals)
  Admin user:       $ADMIN_USER / $ADMIN_PASSWORD
  Realm:            $REALM
  Integration:      $INTEGRATION_ID
  Integration Key:  $INTEGRATION_KEY
                    (shown only now; run bin/demo.sh again for a fresh one)

1. Create a partner (answers data.id and data.url, a one-time link):

curl -sS -X POST $BASE/realms/$REALM/ensync/api/v1/external/partner \\
  -H "Authorization: Bearer $INTEGRATION_KEY" -H "Content-Type: application/json" \\
  -d '{"appName":"Acme Orders","metadata":{"color":"#0055ff"}}'

2. Open data.url in a browser, or redeem it once as a machine for client credentials per environment
   (replace LINK_ID by the last path segment of data.url):

curl -sS -X POST $BASE/realms/$REALM/ensync/api/v1/partner/links/LINK_ID/redeem

Keycloak log: $KC_LOG. Press Ctrl-C to stop Keycloak.
EOF

# Keycloak's own exit (crash, or stopped from elsewhere) ends the demo with its status.
set +e
wait "$KC_PID"
status=$?
trap - EXIT
say "Keycloak exited with status $status"
exit "$status"
