#!/bin/sh
# Before removal (not upgrade): stop and disable the units, so that the
# daemon flushes and unmounts while its binary is still there.
# deb passes "remove"; rpm passes 0 when the package is erased.
set -e
case "$1" in
remove | 0) ;;
*) exit 0 ;;
esac
if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then
	systemctl stop cairn.service 'cairn-mount@*.service' || true
	systemctl disable cairn.service || true
fi
exit 0
