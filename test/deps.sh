#!/usr/bin/env bash
# Installs the Debian packages listed in test/deps.txt that are missing.
# As root it installs them with apt-get (refreshing the package lists
# only when a first try fails); otherwise it names them and fails.
set -euo pipefail

list="$(dirname "$0")/deps.txt"
missing=()
while read -r pkg; do
	if ! dpkg -s "$pkg" >/dev/null 2>&1; then
		missing+=("$pkg")
	fi
done < <(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$list" | tr -s ' \t' '\n' | sed '/^$/d')

if [ ${#missing[@]} -eq 0 ]; then
	exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
	echo "deps: missing Debian packages needed by the tests: ${missing[*]}" >&2
	echo "deps: install them with: sudo apt-get install --no-install-recommends ${missing[*]}" >&2
	exit 1
fi
echo "deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
install() { apt-get install -y -q --no-install-recommends "${missing[@]}"; }
if ! install; then
	apt-get update -q
	install
fi
