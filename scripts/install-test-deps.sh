#!/usr/bin/env bash
# Installs the Debian packages the test suite and benchmarks use as real peers and independent checkers:
# DNS servers and clients (NSD, Knot, BIND named as a dynamic-update primary, Unbound as a loopback resolver,
# dig, kdig, named-checkzone, dnsperf), DKIM verifiers (dkimpy, Mail::DKIM),
# SMTP tools (swaks; Postfix for smtp-source/smtp-sink, with no daemon started), Postfix and OpenDKIM as the
# gateway benchmark's reference (started by the benchmark itself), Dovecot (IMAP), PostgreSQL, Chromium, the
# Public Suffix List, Pebble (an RFC 8555 test CA) with curl and openssl to check what the edge serves, and nginx
# with h2load for the edge benchmark, and postfix-mta-sts-resolver (mta-sts-query) as an independent MTA-STS
# client. Idempotent: does nothing when everything is present.
set -euo pipefail

packages=(
  nsd knot knot-dnsutils knot-dnssecutils bind9 bind9-utils bind9-dnsutils dnsperf unbound
  python3-dkim python3-dnspython libmail-dkim-perl libmail-dmarc-perl
  swaks postfix opendkim opendkim-tools dovecot-imapd postgresql chromium publicsuffix
  pebble curl openssl nginx nghttp2-client postfix-mta-sts-resolver
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "install-test-deps: installing ${missing[*]}" >&2
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "install-test-deps: need root (or sudo) to install: ${missing[*]}" >&2; exit 1; }
  sudo="sudo"
fi
# Keep package scripts from starting daemons (NSD on port 53, PostgreSQL, Dovecot, OpenDKIM, nginx): tests start their own.
policy=/usr/sbin/policy-rc.d
created_policy=0
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' | $sudo tee "$policy" >/dev/null && $sudo chmod +x "$policy" && created_policy=1
fi
trap '[ $created_policy -eq 1 ] && $sudo rm -f "$policy"' EXIT
echo "postfix postfix/main_mailer_type select No configuration" | $sudo debconf-set-selections
$sudo apt-get update -q
$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
