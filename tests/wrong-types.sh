#!/usr/bin/env bash
# wrong-types.sh SVCLINT [FOLDER]: runs tests/wrong_types.py, which gives every field svclint reads
# every wrong type, one at a time, and checks that svclint survives each with located findings.
# FOLDER keeps the generated inputs there (they are removed otherwise, unless a case fails).
set -u
if ! command -v python3 >/dev/null 2>&1; then
	echo "wrong-types: python3 is needed (scripts/install-deps.sh installs it for make hostile)"
	exit 1
fi
exec python3 "$(dirname "$0")/wrong_types.py" "$@"
