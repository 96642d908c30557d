#!/usr/bin/env bash
# orphans.sh: the index rules on two layouts that once made them quadratic.
#  - orphans: one namespace holds N selectorless Services and N Endpoints, none of them paired: every
#    Endpoints is searched for a Service of a close name, and every Service for close Endpoints and
#    EndpointSlices, in the whole namespace (the near-miss search).
#  - monitors: M Services named web in M namespaces, M Endpoints named web in M others (unpaired), and
#    M ServiceMonitors that each select every Service: M * M monitor and Service pairs, for which the
#    ServiceMonitor rules ask the Services' target ports.
#  - ports: a selectorless Service of P ports (a media server's port range), its Endpoints of two
#    subsets of those ports (in opposite orders) and its EndpointSlice of as many: the rules that pair
#    ports or look for a name used twice once compared every pair.
#  - alike: A selectorless Services db-00000, db-00001... and A Endpoints db-00000x, db-00001x... in
#    one namespace: names from one template, which the near-miss search cannot rule out without
#    comparing them, each within two edits of many others.
#  - values: V/5 Services in as many namespaces, and a ServiceMonitor whose namespaceSelector names V
#    namespaces and whose selector is `app In` V values: each Service was once compared with every
#    value.
#  - comments: one file of C selectorless Services without backends, each under two svclint:ignore
#    comments and with the svclint.io/ignore annotation: each finding once read every suppression of
#    its file, and each comment every comment line after it.
# For each, prints the libyaml floor's time on the same files, svclint's with -j 1 and with its
# default jobs (the fastest of three runs each), and their ratios to the floor.
#
# Usage: bench/orphans.sh BUILD_DIR
#   BUILD_DIR holds svclint and bench-floor (make build/svclint build/bench-floor).
# Environment:
#   ORPHANS      Services, and Endpoints, in the namespace (default 8000)
#   MONITORS     Services, Endpoints and ServiceMonitors of the second layout (default 2000)
#   PORTS        ports of the third layout's Service, Endpoints subsets and slice (default 10000)
#   ALIKE        Services, and Endpoints, of the fourth layout (default 20000)
#   VALUES       values of the fifth layout's selector (default 50000)
#   COMMENTS     Services of the sixth layout (default 20000)
#   ORPHANS_DIR  where the files are written, in orphans/, monitors/ and ports/ (default
#                /tmp/svclint-orphans)
set -euo pipefail

die() {
	echo "orphans.sh: $*" >&2
	exit 2
}

[ $# -eq 1 ] || die "usage: bench/orphans.sh BUILD_DIR"
BUILD=$1
N=${ORPHANS:-8000}
M=${MONITORS:-2000}
P=${PORTS:-10000}
A=${ALIKE:-20000}
V=${VALUES:-50000}
C=${COMMENTS:-20000}
ROOT=${ORPHANS_DIR:-/tmp/svclint-orphans}
[[ $N =~ ^[1-9][0-9]*$ ]] || die "ORPHANS: '$N' is not a positive number"
[[ $M =~ ^[1-9][0-9]*$ ]] || die "MONITORS: '$M' is not a positive number"
[[ $P =~ ^[1-9][0-9]*$ ]] || die "PORTS: '$P' is not a positive number"
[[ $A =~ ^[1-9][0-9]*$ ]] || die "ALIKE: '$A' is not a positive number"
[[ $V =~ ^[1-9][0-9]*$ ]] || die "VALUES: '$V' is not a positive number"
[[ $C =~ ^[1-9][0-9]*$ ]] || die "COMMENTS: '$C' is not a positive number"
for tool in "$BUILD/svclint" "$BUILD/bench-floor"; do
	[ -x "$tool" ] || die "'$tool' is missing; build it first"
done
DIR=$ROOT/orphans
MDIR=$ROOT/monitors
PDIR=$ROOT/ports
ADIR=$ROOT/alike
VDIR=$ROOT/values
CDIR=$ROOT/comments
mkdir -p "$DIR" "$MDIR" "$PDIR" "$ADIR" "$VDIR" "$CDIR"
rm -f "$DIR"/*.yaml "$MDIR"/*.yaml "$PDIR"/*.yaml "$ADIR"/*.yaml "$VDIR"/*.yaml "$CDIR"/*.yaml

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
	local best="" t0 t1 s
	for _ in 1 2 3; do
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

awk -v m="$M" -v dir="$MDIR" 'BEGIN {
	for (i = 0; i < m; i++) {
		printf "---\napiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace: t%05d\n  labels: {app: web}\nspec:\n  ports:\n  - name: http\n    port: 80\n", i > (dir "/services.yaml")
		printf "---\napiVersion: v1\nkind: Endpoints\nmetadata:\n  name: web\n  namespace: u%05d\nsubsets:\n- addresses:\n  - ip: 10.0.0.1\n  ports:\n  - name: http\n    port: 80\n", i > (dir "/endpoints.yaml")
		printf "---\napiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata:\n  name: web\n  namespace: t%05d\nspec:\n  selector: {matchLabels: {app: web}}\n  namespaceSelector: {any: true}\n  endpoints:\n  - port: http\n", i > (dir "/monitors.yaml")
	}
}'

awk -v n="$P" -v dir="$PDIR" 'BEGIN {
	f = dir "/ports.yaml"
	printf "apiVersion: v1\nkind: Service\nmetadata:\n  name: media\n  namespace: voice\nspec:\n  ports:\n" > f
	for (i = 0; i < n; i++)
		printf "  - {name: rtp-%d, port: %d, protocol: UDP}\n", i, 10000 + i > f
	printf "---\napiVersion: v1\nkind: Endpoints\nmetadata:\n  name: media\n  namespace: voice\nsubsets:\n" > f
	for (s = 0; s < 2; s++) {
		printf "- addresses:\n  - ip: 10.0.%d.1\n  ports:\n", s > f
		for (k = 0; k < n; k++) {
			i = s ? n - 1 - k : k
			printf "  - {name: rtp-%d, port: %d, protocol: UDP}\n", i, 10000 + i > f
		}
	}
	printf "---\napiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata:\n  name: media-1\n  namespace: voice\n  labels:\n    kubernetes.io/service-name: media\naddressType: IPv4\nendpoints:\n- addresses: [10.0.9.1]\nports:\n" > f
	for (i = 0; i < n; i++)
		printf "- {name: rtp-%d, port: %d, protocol: UDP}\n", i, 10000 + i > f
}'

awk -v n="$A" -v dir="$ADIR" 'BEGIN {
	for (i = 0; i < n; i++) {
		printf "---\napiVersion: v1\nkind: Service\nmetadata:\n  name: db-%05d\n  namespace: apps\nspec:\n  ports:\n  - name: pg\n    port: 5432\n", i > (dir "/services.yaml")
		printf "---\napiVersion: v1\nkind: Endpoints\nmetadata:\n  name: db-%05dx\n  namespace: apps\nsubsets:\n- addresses:\n  - ip: 10.0.0.1\n  ports:\n  - name: pg\n    port: 5432\n", i > (dir "/endpoints.yaml")
	}
}'

awk -v n="$V" -v dir="$VDIR" 'BEGIN {
	f = dir "/monitor.yaml"
	printf "apiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata:\n  name: fleet\n  namespace: monitoring\nspec:\n  namespaceSelector:\n    matchNames:\n" > f
	for (i = 0; i < n; i++)
		printf "    - team-%05d\n", i > f
	printf "  selector:\n    matchExpressions:\n    - key: app\n      operator: In\n      values:\n" > f
	for (i = 0; i < n; i++)
		printf "      - app-%05d\n", i > f
	printf "  endpoints:\n  - port: web\n" > f
	for (i = 0; i < n; i += 5)
		printf "---\napiVersion: v1\nkind: Service\nmetadata:\n  name: app\n  namespace: team-%05d\n  labels: {app: app-%05d}\nspec:\n  selector: {app: app-%05d}\n  ports:\n  - name: web\n    port: 80\n", i, i, i > (dir "/services.yaml")
}'

awk -v n="$C" -v dir="$CDIR" 'BEGIN {
	for (i = 0; i < n; i++)
		printf "---\n# svclint:ignore service-selectorless-no-backends -- backends in another repository\n# svclint:ignore endpoints-no-service\napiVersion: v1\nkind: Service\nmetadata:\n  name: ext-%05d\n  namespace: apps\n  annotations:\n    svclint.io/ignore: service-selectorless-no-backends\nspec:\n  ports:\n  - name: pg\n    port: 5432\n", i > (dir "/services.yaml")
}'

# table TITLE FOLDER: the floor, -j 1 and default jobs on FOLDER.
table() {
	local floor j1 jobs
	floor=$(seconds "$BUILD/bench-floor" "$2")
	j1=$(seconds "$BUILD/svclint" -q --fail-on never -j 1 "$2")
	jobs=$(seconds "$BUILD/svclint" -q --fail-on never "$2")
	echo "$1 ($(du -sh "$2" | cut -f1) of YAML)"
	awk -v f="$floor" -v a="$j1" -v b="$jobs" 'BEGIN {
		printf "  floor (libyaml)       %7.3f s\n", f
		printf "  svclint -j 1          %7.3f s  %6.1f x floor\n", a, a / f
		printf "  svclint (default -j)  %7.3f s  %6.1f x floor\n", b, b / f
	}'
}

table "orphans: $N Services and $N Endpoints in one namespace, none paired" "$DIR"
table "monitors: $M ServiceMonitors that each select the same $M Services, $M unpaired Endpoints" "$MDIR"
table "ports: a Service, its Endpoints (two subsets) and its EndpointSlice, each of $P ports" "$PDIR"
table "alike: $A Services and $A Endpoints in one namespace, names one edit apart, none paired" "$ADIR"
table "values: a ServiceMonitor selecting app In $V values in $V namespaces, $((V / 5)) Services" "$VDIR"
table "comments: $C Services in one file, each with two svclint:ignore comments and the annotation" "$CDIR"
