#!/bin/sh
# Prints the version of the packages: the newest vX.Y.Z tag, with
# +N.gHASH when commits follow it; else 0.0.0+git.HASH.
if d=$(git describe --tags --match 'v[0-9]*' 2>/dev/null); then
	echo "$d" | sed -e 's/^v//' -e 's/-\([0-9]*\)-g\([0-9a-f]*\)$/+\1.g\2/' -e 's/-/./g'
else
	echo "0.0.0+git.$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
fi
