# Installs what Register needs from Debian's packages when it is missing: PostgreSQL's server binaries
# (initdb, pg_ctl, postgres), the time zone database, and Node.js with npm (the build fetches the pinned
# govuk-frontend from the npm registry). Sourced by scripts/run.sh and scripts/test.sh; the tests also ask for
# Chromium (ensure_prerequisites chromium).

have_postgres() {
  compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || command -v initdb >/dev/null 2>&1
}

ensure_prerequisites() {
  local missing=()
  have_postgres || missing+=(postgresql)
  [ -e /usr/share/zoneinfo/Europe/London ] || missing+=(tzdata)
  command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
  if [ "${1:-}" = chromium ] && ! command -v chromium >/dev/null 2>&1; then missing+=(chromium); fi
  if [ "$(id -u)" = 0 ] && ! id postgres >/dev/null 2>&1; then missing+=(postgresql); fi
  [ ${#missing[@]} -eq 0 ] && return 0

  echo "Installing from Debian's packages: ${missing[*]}"
  local sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
  # Debian's package starts its own cluster on port 5432; Register runs its own, so leave that one alone.
}
