#!/usr/bin/env bash
# orphans.sh: the near-miss search on its worst realistic ground.  One namespace holds N selectorless
# Services and N Endpoints, none of them paired: every Endpoints is searched for a Service of a close
# name, and every Service for close Endpoints and EndpointSlices, in the whole namespace.  Prints the
# libyaml floor's time on the same two files, svclint's with -j 1 and with its default jobs, and their
# ratios to the floor.
#
# Usage: bench/orphans.sh BUILD_DIR
#   BUILD_DIR holds svclint and bench-floor (make build/svclint build/bench-floor).
# Environment:
#   ORPHANS      Services, and Endpoints, in the namespace (default 8000)
#   ORPHANS_DIR  where the two files are written (default /tmp/svclint-orphans)
set -euo pipefail

die() {
	echo "orphans.sh: $*" >&2
	exit 2
}

[ $# -eq 1 ] || die "usage: bench/orphans.sh BUILD_DIR"
BUILD=$1
N=${ORPHANS:-8000}
DIR=${ORPHANS_DIR:-/tmp/svclint-orphans}
[[ $N =~ ^[1-9][0-9]*$ ]] || die "ORPHANS: '$N' is not a positive number"
for tool in "$BUILD/svclint" "$BUILD/bench-floor"; do
	[ -x "$tool" ] || die "'$tool' is missing; build it first"
done
mkdir -p "$DIR"

# Names as a generator would make them: a number and six letters, unlike from one object to the next.
awk -v n="$N" -v dir="$DIR" 'BEGIN {
	srand(3)
	for (i = 0; i < 2 * n; i++) {
		tag = ""
		for (k = 0; k < 6; k++)
			tag = tag substr("abcdefghij", int(rand() * 10) + 1, 1)
		name[i] = sprintf("svc-%05d-%s", i, tag)
	}
	for (i = 0; i < n; i++)
		printf "---\napiVersion: v1\nkind: Service\nmetadata:\n  name: %s\n  namespace: big\nspec:\n  ports:\n  - name: http\n    port: 80\n", name[i] > (dir "/services.yaml")
	for (i = n; i < 2 * n; i++)
		printf "---\napiVersion: v1\nkind: Endpoints\nmetadata:\n  name: ep-%s\n  namespace: big\nsubsets:\n- addresses:\n  - ip: 10.0.0.1\n  ports:\n  - name: http\n    port: 80\n", name[i] > (dir "/endpoints.yaml")
}'

# seconds CMD...: the wall time of the fastest of three runs.
seconds() {
	local best='' t0 t1 s i
	for i in 1 2 3; do
		t0=$(date +%s.%N)
		"$@" >/dev/null 2>&1 || [ $? -eq 1 ]
		t1=$(date +%s.%N)
		s=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
		if [ -z "$best" ] || awk -v a="$s" -v b="$best" 'BEGIN { exit !(a < b) }'; then
			best=$s
		fi
	done
	echo "$best"
}

floor=$(seconds "$BUILD/bench-floor" "$DIR")
j1=$(seconds "$BUILD/svclint" -q --fail-on never -j 1 "$DIR")
jobs=$(seconds "$BUILD/svclint" -q --fail-on never "$DIR")
echo "orphans: $N Services and $N Endpoints in one namespace, none paired ($(du -sh "$DIR" | cut -f1) of YAML)"
awk -v f="$floor" -v a="$j1" -v b="$jobs" 'BEGIN {
	printf "floor (libyaml)       %7.3f s\n", f
	printf "svclint -j 1          %7.3f s  %6.1f x floor\n", a, a / f
	printf "svclint (default -j)  %7.3f s  %6.1f x floor\n", b, b / f
}'
