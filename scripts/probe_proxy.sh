#!/usr/bin/env bash
# Brings up nginx -> gunicorn on loopback, configured as docs/operations.md says
# (the nginx lines are copied from that page), and shows the limits per client:
#
#   scripts/probe_proxy.sh            # nginx on 127.0.0.1:18080, gunicorn on 127.0.0.1:18081
#   NGINX_PORT=18090 GUNICORN_PORT=18091 scripts/probe_proxy.sh
#
# Clients: 127.0.0.2 and 127.0.0.3 (honest), 127.0.0.4 (sends its own
# X-Forwarded-For, a different address on every request, to dodge the limits).
# Each makes 11 wrong tracking look-ups (the limit is 10 per 10 minutes) and
# 6 wrong logins for one staff account (locked after 5); then the account's
# owner logs in from 127.0.0.5. Everything lives in a temporary directory
# (SQLite, static files, nginx's pid, logs and temp files) that is removed at the
# end; nothing runs as root and nothing outside loopback is touched.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PY="${PY:-$ROOT/.venv/bin/python}"
NGINX="${NGINX:-$(command -v nginx || echo /usr/sbin/nginx)}"
NGINX_PORT="${NGINX_PORT:-18080}"
GUNICORN_PORT="${GUNICORN_PORT:-18081}"
HOST=portal.example.gov.cn
[ -x "$PY" ] || { echo "no $PY: run make install first" >&2; exit 1; }
[ -x "$NGINX" ] || { echo "nginx is not installed (apt-get install nginx)" >&2; exit 1; }

WORK="$(mktemp -d -t probe-proxy.XXXXXX)"
PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT

export DJANGO_SETTINGS_MODULE=campaign_portal.settings DEBUG=0 PYTHONDONTWRITEBYTECODE=1
export SECRET_KEY="probe-$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')"
export ALLOWED_HOSTS=$HOST VAR_DIR="$WORK/var" DATABASE_URL="sqlite:///$WORK/db.sqlite3"
export BEHIND_TLS_PROXY=0 SECURE_SSL_REDIRECT=0 SECURE_HSTS_SECONDS=0 SESSION_COOKIE_SECURE=0 CSRF_COOKIE_SECURE=0
# One gunicorn worker, so a per-process cache is shared by every request.
export CACHE_URL=locmemcache:// ALLOW_LOCAL_CACHE=1 EMAIL_BACKEND=django.core.mail.backends.dummy.EmailBackend
export LOG_LEVEL=WARNING TRUSTED_PROXIES="${TRUSTED_PROXIES:-127.0.0.1}"

echo "== setting up in $WORK (TRUSTED_PROXIES=$TRUSTED_PROXIES)"
"$PY" manage.py migrate --no-input -v0
"$PY" manage.py collectstatic --no-input -v0
"$PY" manage.py shell -v 0 -c "from campaigns.models import User; User.objects.create_user('centre-probe', password='Correct-Horse-Battery-9')"

"$PY" -m gunicorn campaign_portal.wsgi:application --bind "127.0.0.1:$GUNICORN_PORT" --workers 1 \
    >"$WORK/gunicorn.log" 2>&1 &
PIDS+=($!)

mkdir -p "$WORK/nginx"
"$PY" - "$WORK/nginx" "$NGINX_PORT" "$GUNICORN_PORT" <<'EOF'
import sys
from pathlib import Path

from tests.live import documented_nginx_lines, nginx_config

lines = documented_nginx_lines()
config = nginx_config(Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), lines)
print("   nginx lines from docs/operations.md:")
for line in lines:
    print("     ", line)
EOF
"$NGINX" -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" >"$WORK/nginx/nginx.out" 2>&1 &
PIDS+=($!)

for _ in $(seq 1 100); do
    curl -s -o /dev/null "http://127.0.0.1:$NGINX_PORT/healthz" -H "Host: $HOST" && break
    sleep 0.2
done

# post_form CLIENT_ADDRESS PATH FORGED_HEADER FIELD=VALUE... -> prints the status
post_form() {
    local address=$1 path=$2 forged=$3
    shift 3
    local jar="$WORK/cookies-$address" extra=()
    [ -n "$forged" ] && extra=(-H "X-Forwarded-For: $forged")
    local token
    token=$(curl -s --interface "$address" -c "$jar" -b "$jar" -H "Host: $HOST" "${extra[@]}" \
        "http://127.0.0.1:$NGINX_PORT$path" | sed -n 's/.*name="csrfmiddlewaretoken" value="\([^"]*\)".*/\1/p' | head -n 1)
    local data=(--data-urlencode "csrfmiddlewaretoken=$token")
    for pair in "$@"; do data+=(--data-urlencode "$pair"); done
    curl -s -o /dev/null -w '%{http_code}' --interface "$address" -c "$jar" -b "$jar" -H "Host: $HOST" \
        "${extra[@]}" "${data[@]}" "http://127.0.0.1:$NGINX_PORT$path"
}

printf '\n== 11 wrong tracking look-ups each (400 = refused, 429 = limit reached)\n'
for client in 127.0.0.2 127.0.0.3 127.0.0.4; do
    statuses=()
    for n in $(seq 1 11); do
        forged=""
        [ "$client" = 127.0.0.4 ] && forged="10.0.$n.1"
        statuses+=("$(post_form "$client" /complaints/track/ "$forged" tracking_number=TS-2026-999999 access_code=WRONGCODE1)")
    done
    label="honest"
    [ "$client" = 127.0.0.4 ] && label="forges X-Forwarded-For"
    printf '   %-10s %-24s %s\n' "$client" "($label)" "${statuses[*]}"
done

printf '\n== 6 wrong passwords for centre-probe from 127.0.0.4 (forging 127.0.0.5), then its owner at 127.0.0.5\n'
statuses=()
for _ in $(seq 1 6); do
    statuses+=("$(post_form 127.0.0.4 /accounts/login/ 127.0.0.5 username=centre-probe password=wrong-password)")
done
printf '   %-10s %-24s %s\n' 127.0.0.4 "(stranger)" "${statuses[*]}"
printf '   %-10s %-24s %s\n' 127.0.0.5 "(owner, right password)" \
    "$(post_form 127.0.0.5 /accounts/login/ "" username=centre-probe password=Correct-Horse-Battery-9)"

printf '\n== what the portal stored\n'
"$PY" manage.py shell -v 0 -c "
from axes.models import AccessAttempt
for a in AccessAttempt.objects.order_by('ip_address'):
    print(f'   login failures: {a.ip_address:<10} {a.username} x{a.failures_since_start}')
"
echo
echo "Expected: every client has its own 10 look-ups (the forger too, whatever it claims);"
echo "the stranger is locked (429) and the owner logs in (302)."
