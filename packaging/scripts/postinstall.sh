#!/bin/sh
# After install or upgrade: let systemd see the new units, when it runs.
# The service is never started or enabled here: the admin does it.
set -e
if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then
	systemctl daemon-reload || true
fi
exit 0
