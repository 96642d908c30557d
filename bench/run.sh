#!/usr/bin/env bash
# run.sh: svclint's benchmark.  Generates seeded manifest repositories (bench/gen.c), then times the
# libyaml floor (bench/floor.c), svclint single-threaded and svclint with its default jobs on each,
# the on-save latency on one small file, and yamllint when it is installed.  The table goes to stdout,
# progress to stderr.
#
# Usage: bench/run.sh BUILD_DIR
#   BUILD_DIR holds bench-gen, bench-floor and svclint (and bench-rss; without it run.sh compiles
#   bench/rss.c with $CC, or falls back to GNU time).  When it also holds bench-floor-pooled (the
#   floor with libyaml on svclint's parse pool, linter/parse_pool.h), that runs beside the floor: the
#   goals are against the floor, and the pooled floor shows how much of svclint's time the pool saves.
# Environment:
#   BENCH_APPS  repository sizes in apps (default "2000 20000 100000")
#   BENCH_DIR   cache of generated repositories, BENCH_DIR/N (default /tmp/svclint-bench)
#   BENCH_SEED  generator seed (default 1)
#   BENCH_REPS  runs per measurement (default 15 up to 5,000 apps, 7 up to 50,000, else 5); the
#               median wall time is reported, the ratio of the fastest runs beside the ratio of
#               the medians, and the highest peak RSS
set -euo pipefail

die() {
	echo "run.sh: $*" >&2
	exit 2
}

note() {
	echo "run.sh: $*" >&2
}

[ $# -eq 1 ] || die "usage: bench/run.sh BUILD_DIR"
[ -d "$1" ] || die "'$1' is not a folder"
BUILD=$(cd "$1" && pwd)
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
GEN=$BUILD/bench-gen
FLOOR=$BUILD/bench-floor
FLOOR_POOLED=$BUILD/bench-floor-pooled
[ -x "$FLOOR_POOLED" ] || FLOOR_POOLED=''
SVCLINT=$BUILD/svclint
for tool in "$GEN" "$FLOOR" "$SVCLINT"; do
	[ -x "$tool" ] || die "'$tool' is missing or not executable; build it first"
done

APPS=${BENCH_APPS:-2000 20000 100000}
DIR=${BENCH_DIR:-/tmp/svclint-bench}
SEED=${BENCH_SEED:-1}
for n in $APPS; do
	[[ $n =~ ^[1-9][0-9]*$ ]] || die "BENCH_APPS: '$n' is not a positive number of apps"
done
[[ $SEED =~ ^[0-9]+$ ]] || die "BENCH_SEED: '$SEED' is not a number"
if [ -n "${BENCH_REPS:-}" ]; then
	[[ $BENCH_REPS =~ ^[1-9][0-9]*$ ]] || die "BENCH_REPS: '$BENCH_REPS' is not a positive number"
fi
mkdir -p "$DIR"
DIR=$(cd "$DIR" && pwd)
CPUS=$(nproc 2>/dev/null || getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1)
REPORT=$DIR/.measure
ERRORS=$DIR/.stderr

# ---- the timer: bench-rss, else rss.c compiled here, else GNU time ----
if [ -x "$BUILD/bench-rss" ]; then
	TIMER=rss
	RSS=$BUILD/bench-rss
elif command -v "${CC:-cc}" >/dev/null 2>&1 && [ -f "$HERE/rss.c" ]; then
	TIMER=rss
	RSS=$DIR/bench-rss
	if [ ! -x "$RSS" ] || [ "$HERE/rss.c" -nt "$RSS" ]; then
		"${CC:-cc}" -std=c11 -D_GNU_SOURCE -O2 -o "$RSS" "$HERE/rss.c" || die "cannot compile $HERE/rss.c"
	fi
elif [ -x /usr/bin/time ] && /usr/bin/time --version 2>&1 | grep -q GNU; then
	TIMER=gnu
else
	die "no way to measure peak memory: build bench-rss (bench/rss.c), or install a C compiler or GNU time"
fi

# measure CMD...: runs CMD once with stdout discarded and stderr kept in $ERRORS.
# Sets M_WALL, M_CPU (user + sys), M_RSS (KB) and M_STATUS.
measure() {
	local line kv
	rm -f "$REPORT"
	if [ "$TIMER" = rss ]; then
		"$RSS" -o "$REPORT" "$@" >/dev/null 2>"$ERRORS" </dev/null
	else
		/usr/bin/time -o "$REPORT" -f 'wall=%e user=%U sys=%S maxrss_kb=%M status=%x' \
			"$@" >/dev/null 2>"$ERRORS" </dev/null || true
	fi
	[ -s "$REPORT" ] || die "no measurement for: $*"
	# GNU time puts "Command exited with non-zero status" on a line of its own before ours
	line=$(tail -n 1 "$REPORT")
	M_WALL='' M_RSS='' M_STATUS='' M_CPU=0
	for kv in $line; do
		case $kv in
		wall=*) M_WALL=${kv#wall=} ;;
		user=* | sys=*) M_CPU=$(awk -v a="$M_CPU" -v b="${kv#*=}" 'BEGIN { print a + b }') ;;
		maxrss_kb=*) M_RSS=${kv#maxrss_kb=} ;;
		status=*) M_STATUS=${kv#status=} ;;
		esac
	done
	if [ -z "$M_WALL" ] || [ -z "$M_RSS" ] || [ -z "$M_STATUS" ]; then
		die "cannot read measurement: $line"
	fi
}

least() {
	sort -g | head -n 1
}

median() {
	sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

reps_for() {
	if [ -n "${BENCH_REPS:-}" ]; then
		echo "$BENCH_REPS"
	elif [ "$1" -le 5000 ]; then
		# Short runs are the noisiest: 21 alternating rounds on 2,000 apps gave per-round ratios from
		# 1.01 to 2.09, and the median of any 5 of them ranged from 1.11 to 1.88 (90% of draws), of
		# 15 from 1.32 to 1.69.  Fifteen rounds cost 15 seconds here.
		echo 15
	elif [ "$1" -le 50000 ]; then
		echo 7
	else
		# With three rounds, one run put the median ratio at 20,000 apps at 1.66, and the next, with
		# five, at 1.30 for the same code on the same shared machine.
		echo 5
	fi
}

# run_many REPS OK_STATUSES CMD...: median wall and CPU, highest RSS over REPS runs, in R_WALL,
# R_CPU, R_RSS; R_BAD is set when a run ended with a status outside OK_STATUSES ("0" or "0 1").
run_many() {
	local reps=$1 ok=$2 i walls='' cpus='' rss=0
	shift 2
	R_BAD=''
	for ((i = 0; i < reps; i++)); do
		measure "$@"
		if [[ " $ok " != *" $M_STATUS "* ]]; then
			R_BAD=$M_STATUS
			note "'$*' exited with status $M_STATUS:"
			head -n 5 "$ERRORS" >&2
		fi
		walls+="$M_WALL"$'\n'
		cpus+="$M_CPU"$'\n'
		if [ "$M_RSS" -gt "$rss" ]; then
			rss=$M_RSS
		fi
	done
	R_WALL=$(printf '%s' "$walls" | median)
	R_CPU=$(printf '%s' "$cpus" | median)
	R_RSS=$rss
}

# record KEY OK_STATUSES CMD...: one measure of CMD, added to the runs of KEY (see results_of).
declare -A WALLS CPU_TIMES PEAK BAD
record() {
	local key=$1 ok=$2
	shift 2
	measure "$@"
	if [[ " $ok " != *" $M_STATUS "* ]]; then
		BAD[$key]=$M_STATUS
		note "'$*' exited with status $M_STATUS:"
		head -n 5 "$ERRORS" >&2
	fi
	WALLS[$key]+="$M_WALL"$'\n'
	CPU_TIMES[$key]+="$M_CPU"$'\n'
	if [ "$M_RSS" -gt "${PEAK[$key]:-0}" ]; then
		PEAK[$key]=$M_RSS
	fi
}

# results_of KEY: the median wall and CPU, the least wall and the highest RSS of KEY's runs, in
# R_WALL, R_CPU, R_LEAST, R_RSS and R_BAD; forgets them.
results_of() {
	R_WALL=$(printf '%s' "${WALLS[$1]}" | median)
	R_LEAST=$(printf '%s' "${WALLS[$1]}" | least)
	R_CPU=$(printf '%s' "${CPU_TIMES[$1]}" | median)
	R_RSS=${PEAK[$1]}
	R_BAD=${BAD[$1]:-}
	unset "WALLS[$1]" "CPU_TIMES[$1]" "PEAK[$1]" "BAD[$1]"
}

# ---- repositories, cached in $DIR/N ----

# tree N: makes sure $DIR/N holds the repository of N apps for $SEED; sets T_FILES and T_BYTES.
tree() {
	local n=$1 t=$DIR/$1 summary
	summary=$t/.summary
	if [ ! -f "$summary" ] || [ "$GEN" -nt "$summary" ] || ! grep -q "^seed $SEED " "$summary"; then
		note "generating $n apps into $t"
		rm -rf -- "$t" "$t.tmp"
		"$GEN" -s "$SEED" "$n" "$t.tmp" >"$DIR/.gen"
		mv -- "$t.tmp" "$t"
		echo "seed $SEED $(cat "$DIR/.gen")" >"$summary"
	fi
	# summary: seed S apps N files F bytes B faults X
	read -r _ _ _ _ _ T_FILES _ T_BYTES _ <"$summary"
	[[ $T_FILES =~ ^[0-9]+$ && $T_BYTES =~ ^[0-9]+$ ]] || die "bad summary in $summary"
}

warm_up() {
	find "$1" -type f -print0 | xargs -0 cat >/dev/null
}

# ---- the table ----

header() {
	local version libyaml
	version=$("$SVCLINT" --version </dev/null 2>/dev/null | head -n 1 || true)
	libyaml=$(pkg-config --modversion yaml-0.1 2>/dev/null || echo unknown)
	echo "svclint benchmark: ${CPUS} CPUs, $(uname -sr), libyaml ${libyaml}, svclint ${version:-(no --version)}, seed ${SEED}"
	echo "wall and cpu: median of the runs; RSS: highest peak resident set in MiB (2^20 bytes); MB = 10^6 bytes of input; x floor = wall / floor wall"
	echo "fastest x: the fastest run's wall / the floor's fastest (a shared machine only ever adds time)"
	echo
	printf '%8s %8s %8s  %-20s %8s %8s %8s %8s %9s %10s %8s %5s\n' \
		apps files MB run 'wall s' 'cpu s' 'RSS MiB' 'x floor' 'fastest x' files/s MB/s runs
	printf '%8s %8s %8s  %-20s %8s %8s %8s %8s %9s %10s %8s %5s\n' \
		-------- -------- -------- -------------------- -------- -------- -------- -------- --------- ---------- -------- -----
}

# row APPS LABEL REPS FLOOR_WALL FLOOR_LEAST: prints the R_* results
row() {
	awk -v apps="$1" -v label="$2" -v reps="$3" -v floor="$4" -v floor_least="$5" -v files="$T_FILES" \
		-v bytes="$T_BYTES" -v wall="$R_WALL" -v least="$R_LEAST" -v cpu="$R_CPU" -v rss="$R_RSS" \
		-v bad="$R_BAD" 'BEGIN {
		if (wall <= 0) wall = 0.000001
		if (floor <= 0) floor = 0.000001
		if (floor_least <= 0) floor_least = 0.000001
		printf "%8d %8d %8.1f  %-20s %8.3f %8.3f %8.1f %8.2f %9.2f %10.0f %8.1f %5d%s\n",
			apps, files, bytes / 1e6, label, wall, cpu, rss / 1024, wall / floor, least / floor_least,
			files / wall, bytes / 1e6 / wall, reps, bad == "" ? "" : "  (exit " bad ")"
	}'
}

header
SVCLINT_AT_2000_J1='' SVCLINT_AT_2000=''
declare -A S_FLOOR S_J1 S_JOBS S_RSS_J1 S_RSS_JOBS S_BYTES S_FLOOR_LEAST S_J1_LEAST S_JOBS_LEAST
SIZES=()
for n in $APPS; do
	tree "$n"
	t=$DIR/$n
	reps=$(reps_for "$n")
	note "warming the page cache for $n apps"
	warm_up "$t"

	# The three take turns, round after round: on a shared machine the page cache and the neighbours
	# change from one minute to the next, and the ratios should compare runs that met the same ones.
	# The page cache is warmed before each run: these machines give back pages left unread for a
	# while, and the first run of a round would otherwise read part of a large tree from disk.
	note "floor, ${FLOOR_POOLED:+pooled floor, }svclint -j 1 and svclint (default jobs) in turn on $n apps, $reps round(s)"
	for ((i = 0; i < reps; i++)); do
		warm_up "$t"
		record floor 0 "$FLOOR" "$t"
		if [ -n "$FLOOR_POOLED" ]; then
			warm_up "$t"
			record pooled 0 "$FLOOR_POOLED" "$t"
		fi
		warm_up "$t"
		record j1 "0 1" "$SVCLINT" -q --fail-on never -j 1 "$t"
		warm_up "$t"
		record jobs "0 1" "$SVCLINT" -q --fail-on never "$t"
	done
	results_of floor
	floor_wall=$R_WALL floor_least=$R_LEAST
	row "$n" "floor (libyaml)" "$reps" "$floor_wall" "$floor_least"
	S_FLOOR[$n]=$R_WALL S_BYTES[$n]=$T_BYTES S_FLOOR_LEAST[$n]=$R_LEAST
	if [ -n "$FLOOR_POOLED" ]; then
		results_of pooled
		row "$n" "floor, parse pool" "$reps" "$floor_wall" "$floor_least"
	fi
	results_of j1
	row "$n" "svclint -j 1" "$reps" "$floor_wall" "$floor_least"
	S_J1[$n]=$R_WALL S_RSS_J1[$n]=$R_RSS S_J1_LEAST[$n]=$R_LEAST
	if [ "$n" = 2000 ]; then
		SVCLINT_AT_2000_J1=$R_WALL
	fi
	results_of jobs
	row "$n" "svclint (default -j)" "$reps" "$floor_wall" "$floor_least"
	S_JOBS[$n]=$R_WALL S_RSS_JOBS[$n]=$R_RSS S_JOBS_LEAST[$n]=$R_LEAST
	if [ "$n" = 2000 ]; then
		SVCLINT_AT_2000=$R_WALL
	fi
	SIZES+=("$n")
done

# ---- scaling: from each size to the next, time against the floor's and memory against the input ----
if [ "${#SIZES[@]}" -gt 1 ]; then
	echo
	echo "scaling from each size to the next: how many times as long (medians; fastest runs in brackets); peak RSS added per app beside input added per app"
	for ((i = 1; i < ${#SIZES[@]}; i++)); do
		a=${SIZES[i - 1]} b=${SIZES[i]}
		awk -v a="$a" -v b="$b" -v fa="${S_FLOOR[$a]}" -v fb="${S_FLOOR[$b]}" -v ja="${S_J1[$a]}" \
			-v jb="${S_J1[$b]}" -v da="${S_JOBS[$a]}" -v db="${S_JOBS[$b]}" -v ra="${S_RSS_J1[$a]}" \
			-v rb="${S_RSS_J1[$b]}" -v qa="${S_RSS_JOBS[$a]}" -v qb="${S_RSS_JOBS[$b]}" \
			-v ba="${S_BYTES[$a]}" -v bb="${S_BYTES[$b]}" -v la="${S_FLOOR_LEAST[$a]}" \
			-v lb="${S_FLOOR_LEAST[$b]}" -v ka="${S_J1_LEAST[$a]}" -v kb="${S_J1_LEAST[$b]}" \
			-v ea="${S_JOBS_LEAST[$a]}" -v eb="${S_JOBS_LEAST[$b]}" 'BEGIN {
			if (fa <= 0) fa = 0.000001
			if (ja <= 0) ja = 0.000001
			if (da <= 0) da = 0.000001
			if (la <= 0) la = 0.000001
			if (ka <= 0) ka = 0.000001
			if (ea <= 0) ea = 0.000001
			apps = b - a
			input = (bb - ba) / 1024 / apps
			share = input > 0 ? (rb - ra) / apps / input : 0
			printf "  %d -> %d apps (%.2fx the apps): time floor %.2fx (%.2fx), svclint -j 1 %.2fx (%.2fx), default %.2fx (%.2fx)\n",
				a, b, b / a, fb / fa, lb / la, jb / ja, kb / ka, db / da, eb / ea
			printf "  %d -> %d apps: peak RSS +%.2f KiB per app with -j 1, +%.2f with default jobs; input +%.2f KiB per app (RSS/input %.2f)\n",
				a, b, (rb - ra) / apps, (qb - qa) / apps, input, share
		}'
	done
fi

# ---- on-save latency: one small file, as an editor would lint it ----
ONSAVE=$DIR/onsave/orders-db.yaml
mkdir -p "$DIR/onsave"
cat >"$ONSAVE" <<'EOF'
# orders-db: the managed PostgreSQL cluster outside Kubernetes, reached through a selectorless
# Service and hand-written Endpoints.
apiVersion: v1
kind: Service
metadata:
  name: orders-db
  namespace: payments
  labels:
    app.kubernetes.io/name: orders-db
    app.kubernetes.io/part-of: payments
    app.kubernetes.io/component: postgres
  annotations:
    description: primary and replica of the orders database
spec:
  type: ClusterIP
  ports:
    - name: postgres
      port: 5432
      targetPort: 5432
      protocol: TCP
    - name: metrics
      port: 9187
      targetPort: 9187
      protocol: TCP
---
apiVersion: v1
kind: Endpoints
metadata:
  name: orders-db
  namespace: payments
  labels:
    app.kubernetes.io/name: orders-db
subsets:
  - addresses:
      - ip: 10.20.31.4
        hostname: orders-db-0
      - ip: 10.20.31.5
        hostname: orders-db-1
    notReadyAddresses:
      - ip: 10.20.31.6
        hostname: orders-db-2
    ports:
      - name: postgres
        port: 5432
        protocol: TCP
      - name: metrics
        port: 9187
        protocol: TCP
EOF
note "on-save latency, 20 runs each"
on_save() {
	local i walls=''
	for ((i = 0; i < 20; i++)); do
		measure "$@"
		if [ "$M_STATUS" -gt 1 ]; then
			note "'$*' exited with status $M_STATUS:"
			head -n 5 "$ERRORS" >&2
		fi
		walls+="$M_WALL"$'\n'
	done
	printf '%s' "$walls" | median
}
onsave_svclint=$(on_save "$SVCLINT" -q --fail-on never "$ONSAVE")
onsave_floor=$(on_save "$FLOOR" "$ONSAVE")
echo
echo "on-save latency: one $(wc -l <"$ONSAVE")-line Service + Endpoints file, median of 20 runs"
awk -v s="$onsave_svclint" -v f="$onsave_floor" 'BEGIN {
	printf "  %-24s %8.2f ms\n  %-24s %8.2f ms\n", "svclint", s * 1000, "floor (libyaml)", f * 1000
}'

# ---- yamllint, the tool people run today, on the 2,000-app tree ----
if command -v yamllint >/dev/null 2>&1; then
	tree 2000
	t=$DIR/2000
	warm_up "$t"
	# relaxed, without line-length, and made to read .json too so both tools read the same files
	config="{extends: relaxed, yaml-files: ['*.yaml', '*.yml', '*.json'], rules: {line-length: disable}}"
	note "yamllint on 2000 apps, 1 run"
	run_many 1 "0 1 2" yamllint -d "$config" "$t"
	yamllint_wall=$R_WALL yamllint_rss=$R_RSS
	if [ -z "$SVCLINT_AT_2000_J1" ]; then
		note "svclint on 2000 apps for the comparison"
		run_many 3 "0 1" "$SVCLINT" -q --fail-on never -j 1 "$t"
		SVCLINT_AT_2000_J1=$R_WALL
		run_many 3 "0 1" "$SVCLINT" -q --fail-on never "$t"
		SVCLINT_AT_2000=$R_WALL
	fi
	echo
	echo "$(yamllint --version 2>/dev/null || echo yamllint) -d relaxed (line-length off, *.json included), 2000 apps, $T_FILES files, 1 run"
	awk -v y="$yamllint_wall" -v yr="$yamllint_rss" -v s1="$SVCLINT_AT_2000_J1" -v sn="$SVCLINT_AT_2000" 'BEGIN {
		printf "  %-24s %8.3f s  RSS %.1f MiB\n", "yamllint", y, yr / 1024
		printf "  %-24s %8.4f  (%.0fx faster)\n", "svclint -j 1 / yamllint", s1 / y, y / s1
		printf "  %-24s %8.4f  (%.0fx faster)\n", "svclint / yamllint", sn / y, y / sn
	}'
else
	echo
	echo "yamllint: not installed, skipped"
fi
# ---- instructions, which a shared machine does not move: when valgrind is installed ----
# Wall times here move by 10 to 30% from one minute to the next; instruction counts repeat exactly,
# so they show what a change did to svclint against the floor.  They are not the goal (time is:
# cache misses cost svclint more than the floor, see docs/DEVELOPING.md), only its steadiest part.
if command -v valgrind >/dev/null 2>&1; then
	tree 2000
	t=$DIR/2000
	note "instruction counts on 2000 apps (valgrind --tool=callgrind)"
	instructions() {
		valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null </dev/null |
			awk '/Collected :/ { print $NF }' || true
	}
	ir_floor=$(instructions "$FLOOR" "$t")
	ir_pooled=''
	if [ -n "$FLOOR_POOLED" ]; then
		ir_pooled=$(instructions "$FLOOR_POOLED" "$t")
	fi
	ir_svclint=$(instructions "$SVCLINT" -q --fail-on never -j 1 "$t")
	if [ -n "$ir_floor" ] && [ -n "$ir_svclint" ]; then
		echo
		echo "instructions (valgrind --tool=callgrind), 2000 apps"
		awk -v f="$ir_floor" -v p="$ir_pooled" -v s="$ir_svclint" 'BEGIN {
			printf "  %-24s %14.0f\n", "floor (libyaml)", f
			if (p != "")
				printf "  %-24s %14.0f  (%.3f x floor)\n", "floor, parse pool", p, p / f
			printf "  %-24s %14.0f  (%.3f x floor", "svclint -j 1", s, s / f
			if (p != "")
				printf ", %.3f x the pooled floor", s / p
			printf ")\n"
		}'
	fi
	# The part of the time instructions do not show: cache misses, simulated (so they repeat exactly)
	# for fixed caches, a 32 KiB 8-way L1 for code and one for data and a 512 KiB 8-way L2.
	note "simulated cache misses on 2000 apps (valgrind --tool=cachegrind)"
	misses() {
		valgrind --tool=cachegrind --cache-sim=yes --I1=32768,8,64 --D1=32768,8,64 --LL=524288,8,64 \
			--cachegrind-out-file=/dev/null "$@" 2>&1 >/dev/null </dev/null |
			awk '/I1  misses:/ { i = $NF } /D1  misses:/ { d = $4 } /LLd misses:/ { l = $4 }
			     END { gsub(",", "", i); gsub(",", "", d); gsub(",", "", l); if (i != "") print i, d, l }' || true
	}
	mi_floor=$(misses "$FLOOR" "$t")
	mi_svclint=$(misses "$SVCLINT" -q --fail-on never -j 1 "$t")
	if [ -n "$mi_floor" ] && [ -n "$mi_svclint" ]; then
		echo
		echo "cache misses (valgrind --tool=cachegrind; 32 KiB L1 code and data, 512 KiB L2), 2000 apps"
		printf "  %-24s %12s %12s %12s\n" "" "L1 code" "L1 data" "L2 data"
		printf "  %-24s %12s %12s %12s\n" "floor (libyaml)" $mi_floor
		printf "  %-24s %12s %12s %12s\n" "svclint -j 1" $mi_svclint
	fi
else
	echo
	echo "instructions: valgrind not installed, skipped"
fi
rm -f "$REPORT" "$ERRORS" "$DIR/.gen"
