#!/usr/bin/env bash
# profile.sh: where svclint -j 1 spends time that the libyaml floor does not.  Samples both on one
# generated repository with `perf record -e cpu-clock` (hardware counters are often missing on
# virtual machines; the CPU clock is not), then prints, per function, svclint's samples, the
# floor's and the difference, largest first, and the totals split into user space and kernel.
#
# Usage: bench/profile.sh BUILD_DIR [TREE]
#   BUILD_DIR holds svclint and bench-floor; TREE is a folder of manifests (default: the 20,000-app
#   repository `make bench` generates, /tmp/svclint-bench/20000; BENCH_APPS=20000 make bench makes it).
# Environment:
#   PROFILE_TOP   functions to list (default 30)
#   PROFILE_FREQ  samples per second (default 10000)
# Samples are CPU time of every thread.  With -j 1 svclint runs in one thread: it walks the folder
# first, then lints; with more jobs a walk thread feeds the workers.
set -euo pipefail

die() {
	echo "profile.sh: $*" >&2
	exit 2
}

if [ $# -lt 1 ] || [ $# -gt 2 ]; then
	die "usage: bench/profile.sh BUILD_DIR [TREE]"
fi
BUILD=$1
TREE=${2:-/tmp/svclint-bench/20000}
TOP=${PROFILE_TOP:-30}
FREQ=${PROFILE_FREQ:-10000}
[[ $TOP =~ ^[1-9][0-9]*$ ]] || die "PROFILE_TOP: '$TOP' is not a positive number"
[[ $FREQ =~ ^[1-9][0-9]*$ ]] || die "PROFILE_FREQ: '$FREQ' is not a positive number"
for tool in "$BUILD/svclint" "$BUILD/bench-floor"; do
	[ -x "$tool" ] || die "'$tool' is missing; build it first (make $BUILD/svclint $BUILD/bench-floor)"
done
[ -d "$TREE" ] || die "'$TREE' is not a folder; BENCH_APPS=20000 make bench generates the default one"
command -v perf >/dev/null 2>&1 || die "perf is not installed (Debian: apt-get install linux-perf)"
command -v awk >/dev/null 2>&1 || die "awk is not installed"

WORK=$(mktemp -d)
trap 'rm -rf -- "$WORK"' EXIT

# samples NAME CMD...: perf samples of CMD per function, as "count<TAB>function" in $WORK/NAME.
samples() {
	local name=$1
	shift
	"$@" >/dev/null 2>&1 || true	# warms the page cache, as bench/run.sh does before each run
	perf record -q -e cpu-clock -F "$FREQ" -o "$WORK/$name.data" -- "$@" >/dev/null 2>"$WORK/$name.err" ||
		die "perf record failed: $(head -n 3 "$WORK/$name.err")"
	perf report -i "$WORK/$name.data" --no-children --sort symbol -g none -F sample,sym --stdio 2>/dev/null |
		awk '/^#/ || NF < 3 { next }
			{ n = $1; $1 = ""; sub(/^ +/, ""); sub(/( +-)+ *$/, ""); print n "\t" $0 }' >"$WORK/$name"
}

samples floor "$BUILD/bench-floor" "$TREE"
samples svclint "$BUILD/svclint" -q --fail-on never -j 1 "$TREE"

awk -F '\t' -v top="$TOP" '
	FNR == 1 { file++ }
	{
		k = $2
		if (file == 1) floor[k] += $1; else svc[k] += $1
		seen[k] = 1
		kernel = (k ~ /^\[k\]/)
		if (file == 1) { ft += $1; if (kernel) fk += $1 } else { st += $1; if (kernel) sk += $1 }
	}
	END {
		if (!ft || !st) { print "profile.sh: no samples" > "/dev/stderr"; exit 2 }
		printf "samples: floor %d (user %d, kernel %d), svclint -j 1 %d (user %d, kernel %d): %.2f times the floor\n",
			ft, ft - fk, fk, st, st - sk, sk, st / ft
		printf "user space alone: %.2f times the floor; kernel alone: %.2f\n\n", (st - sk) / (ft - fk), fk ? sk / fk : 0
		printf "%8s %8s %8s %7s  %s\n", "svclint", "floor", "extra", "% floor", "function"
		n = 0
		for (k in seen) { d[k] = svc[k] - floor[k]; order[++n] = k }
		for (i = 1; i <= n; i++)	# insertion sort by extra samples, largest first
			for (j = i; j > 1 && d[order[j]] > d[order[j - 1]]; j--) { t = order[j]; order[j] = order[j - 1]; order[j - 1] = t }
		for (i = 1; i <= n && i <= top; i++) {
			k = order[i]
			printf "%8d %8d %8d %7.1f  %s\n", svc[k], floor[k], d[k], 100 * d[k] / ft, k
		}
	}' "$WORK/floor" "$WORK/svclint"
