#!/bin/sh
# After removal: let systemd forget the removed units, when it runs.
set -e
if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then
	systemctl daemon-reload || true
fi
exit 0
