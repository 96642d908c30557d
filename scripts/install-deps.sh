#!/bin/sh
# install-deps.sh: install what svclint needs to build and test: pkg-config, libyaml, PCRE2, check,
# and the tools the integration tests run (git, pre-commit, vim, python3-jsonschema, groff, script).
# Called by the Makefile when pkg-config cannot find the libraries, or `make check` a tool.  Debian
# and Ubuntu only; elsewhere it names the packages to install by hand.
set -eu

packages="pkg-config libyaml-dev libpcre2-dev check"
# tests/precommit.sh, editors.sh, formats.sh, people.sh
packages="$packages git pre-commit vim python3 python3-jsonschema groff-base bsdutils"

# Set by the Makefile's sanitize, fuzz and valgrind targets when their probe fails (e.g. clang,
# libclang-rt-14-dev, valgrind).
if [ -n "${SVCLINT_EXTRA_PACKAGES:-}" ]; then
	packages="$packages $SVCLINT_EXTRA_PACKAGES"
fi

# Only what is missing: a package dpkg already reports installed is left alone.
if command -v dpkg-query >/dev/null 2>&1; then
	missing=""
	for p in $packages; do
		if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
			missing="$missing $p"
		fi
	done
	packages=${missing# }
	if [ -z "$packages" ]; then
		exit 0
	fi
fi

if ! command -v apt-get >/dev/null 2>&1; then
	echo "svclint: cannot install build dependencies on this system." >&2
	echo "svclint: install pkg-config, libyaml (yaml-0.1), PCRE2 (libpcre2-8) and check, then run make again." >&2
	echo "svclint: make check also runs git, pre-commit, vim, groff, script and python3 with jsonschema." >&2
	exit 1
fi

if [ "$(id -u)" -eq 0 ]; then
	sudo=""
elif command -v sudo >/dev/null 2>&1; then
	sudo="sudo"
else
	echo "svclint: run as root, or install sudo, to install: $packages" >&2
	exit 1
fi

echo "svclint: installing $packages" >&2
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq >&2
# shellcheck disable=SC2086
$sudo apt-get install -y -qq --no-install-recommends $packages >&2
