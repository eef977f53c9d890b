#!/usr/bin/env bash
# The WordPress that tests/browser/wordpress.test.mjs posts a lesson's link in (oEmbed discovery),
# from Debian's packages: wordpress (6.1 in bookworm) and its default theme, php-cli (the test
# serves WordPress with `php -S`), php-mysql, php-xml (WordPress's XML-RPC, which the test posts
# through) and mariadb-server-core (mariadbd alone: no system service, no /var/lib/mysql; the test
# starts its own in a temporary data dir). Under a minute once; nothing when all is there.
# Also /etc/wordpress/config-speedup-lab-test.php, the one file the test needs outside its
# temporary folder: Debian's wp-config.php reads its settings only from /etc/wordpress/, and this
# one reads them from the file the test names (tests/hosts/wordpress/prepend.php says how).
# `wordpress` depends on `apache2 | httpd`: where no /usr/sbin/policy-rc.d exists, one that
# refuses every service start is put there for the install alone, so that no Apache is started.
# When the packages cannot be had, the reason goes to tests/sites/.unavailable/wordpress, the test
# skips with it, and this script still exits 0.
set -uo pipefail
cd "$(dirname "$0")/.."
PACKAGES=(wordpress wordpress-theme-twentytwentythree php-cli php-mysql php-xml mariadb-server-core)
BRIDGE=/etc/wordpress/config-speedup-lab-test.php
UNAVAILABLE=tests/sites/.unavailable
unavailable() { mkdir -p "$UNAVAILABLE" && printf '%s\n' "$1" >"$UNAVAILABLE/wordpress" && echo "note: $1" >&2; }
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"

want=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f '${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || want+=("$p")
done
if [ ${#want[@]} -gt 0 ]; then
  if ! command -v apt-get >/dev/null; then
    unavailable "WordPress was not installed: the test installs Debian's ${want[*]}, and this machine has no apt-get."
    exit 0
  fi
  printf '\033[1m==> %s\033[0m\n' "installing Debian's ${want[*]} for the WordPress test (apt-get, under a minute once)"
  started=$SECONDS
  guard=false
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\n# scripts/setup-wordpress.sh: no service is started while it installs\nexit 101\n' |
      $SUDO tee /usr/sbin/policy-rc.d >/dev/null && $SUDO chmod 755 /usr/sbin/policy-rc.d && guard=true
  fi
  log=$(mktemp)
  if $SUDO apt-get update -qq >"$log" 2>&1 &&
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${want[@]}" >>"$log" 2>&1; then
    echo "WordPress's packages installed in $((SECONDS - started)) s"
  else
    unavailable "WordPress was not installed: apt-get could not install Debian's ${want[*]} ($(grep -E '^E:' "$log" | tail -n 1))."
    tail -n 5 "$log" | cut -c1-300 >&2
    $guard && $SUDO rm -f /usr/sbin/policy-rc.d
    rm -f "$log"
    exit 0
  fi
  $guard && $SUDO rm -f /usr/sbin/policy-rc.d
  rm -f "$log"
fi

bridge="<?php
// Written by Speedup Lab's scripts/setup-wordpress.sh for its test (tests/hosts/wordpress.mjs):
// read only when WORDPRESS_CONFIG is speedup-lab-test, which only that test's php -S sets.
require getenv('SPEEDUP_LAB_WP_CONFIG');"
if [ "$(cat "$BRIDGE" 2>/dev/null)" != "$bridge" ]; then
  printf '%s\n' "$bridge" | $SUDO tee "$BRIDGE" >/dev/null
fi
rm -f "$UNAVAILABLE/wordpress"
exit 0
