#!/usr/bin/env bash
# cli.sh: the command line as users meet it: exit codes, usage errors, -o, stdin, --explain.
# Each check states the exact output or exit code it expects.
set -u
svclint=$(realpath "${1:-build/svclint}")
root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0

expect() {	# expect NAME WANTED-EXIT WANTED-STDOUT-FILE-OR-- COMMAND...
	local name=$1 want=$2 want_out=$3
	shift 3
	local out rc
	out=$("$@" 2>"$tmp/stderr")
	rc=$?
	if [ "$rc" != "$want" ]; then
		echo "FAIL $name: exit $rc, wanted $want"; sed 's/^/  stderr: /' "$tmp/stderr"
		fail=$((fail + 1)); return
	fi
	if [ "$want_out" != "--" ] && ! diff -u <(printf '%s\n' "$want_out") <(printf '%s\n' "$out"); then
		echo "FAIL $name: output differs"; fail=$((fail + 1)); return
	fi
	pass=$((pass + 1))
}

cd "$root/examples"
expect "clean file exits 0" 0 -- "$svclint" -q etcd-prom-slice.yaml
expect "errors exit 1" 1 -- "$svclint" -q broken-typos.yaml
expect "--fail-on never" 0 -- "$svclint" -q --fail-on never broken-typos.yaml
expect "--fail-on info fails on an info" 1 -- "$svclint" -q --fail-on info etcd-prom.yaml
expect "--fail-on warning passes infos" 0 -- "$svclint" -q --fail-on warning etcd-prom.yaml
expect "missing path is a usage error" 2 "" "$svclint" -q no-such-file.yaml
expect "unknown option" 2 "" "$svclint" --no-such-option
expect "unknown rule" 2 "" "$svclint" --disable no-such-rule etcd-prom.yaml
expect "bad --kube-version" 2 "" "$svclint" --kube-version 2.0 etcd-prom.yaml
expect "bad --fail-on" 2 "" "$svclint" --fail-on sometimes etcd-prom.yaml
expect "bad --format" 2 "" "$svclint" --format xml etcd-prom.yaml
expect "--disable silences" 0 "" "$svclint" -q --fail-on info --disable endpoints-deprecated etcd-prom.yaml
expect "--version" 0 "svclint 0.1.0" "$svclint" --version
expect "stdin with a name" 0 "etcd.yaml:19:7: info: v1 Endpoints is deprecated since Kubernetes 1.33 (every apply warns) and kube-proxy reads only EndpointSlices mirrored from it; write a discovery.k8s.io/v1 EndpointSlice labelled kubernetes.io/service-name: etcd-prom instead [endpoints-deprecated]" \
	sh -c "'$svclint' -q --stdin-filename etcd.yaml - < etcd-prom.yaml"
expect "-o writes the report" 1 "" "$svclint" -q -o "$tmp/report.txt" broken-typos.yaml
if grep -q '\[unknown-field\]' "$tmp/report.txt"; then pass=$((pass + 1)); else echo "FAIL -o: report lacks the finding"; fail=$((fail + 1)); fi
expect "--explain" 0 -- "$svclint" --explain service-selectorless-no-backends
"$svclint" --explain service-selectorless-no-backends | grep -q '^Why: ' && pass=$((pass + 1)) || { echo "FAIL --explain has no Why"; fail=$((fail + 1)); }
expect "summary on stderr" 1 -- "$svclint" broken-typos.yaml
if grep -qx 'svclint: 1 file, 2 objects: 4 errors, 1 warning, 1 info' "$tmp/stderr"; then pass=$((pass + 1)); else echo "FAIL summary line: $(cat "$tmp/stderr")"; fail=$((fail + 1)); fi
# No path means the current folder.
(cd "$root/fixtures/io-error" && "$svclint" -q good-readable.yaml >/dev/null) && pass=$((pass + 1)) || { echo "FAIL lint by name"; fail=$((fail + 1)); }
mkdir -p "$tmp/repo/.git" "$tmp/repo/apps" && cp etcd-prom-slice.yaml "$tmp/repo/apps/" && printf 'kind: [\n' > "$tmp/repo/.git/broken.yaml"
expect "no path lints . and skips .git" 0 "" sh -c "cd '$tmp/repo' && '$svclint' -q"
# A file with more findings than RULE_FILE_LIMIT is cut, and says so once.
python3 -c 'print("apiVersion: v1\nkind: Service\nmetadata: {name: many, namespace: x}\nspec:\n  selector: {app: x}\n  ports:"); [print("  - {name: p, port: %d}" % (1000 + i)) for i in range(120000)]' > "$tmp/many.yaml"
"$svclint" -q "$tmp/many.yaml" > "$tmp/many.out"
if [ "$(grep -c '\[service-port-name-duplicate\]' "$tmp/many.out")" = 100000 ] &&
   grep -qx "$tmp/many.yaml:100007:12: error: more than 100000 findings in this file; the rest are not reported: fix these first \[input-limit\]" "$tmp/many.out"; then
	pass=$((pass + 1))
else
	echo "FAIL findings limit"; fail=$((fail + 1))
fi
# The ServiceMonitors' label index grows with the labels it meets: 3,000 Services with a label of
# their own each, ServiceMonitors that each select one of them (most labels met before the index
# grew, and moved when it did) and one that selects none.  Those in namespace monitoring look in
# every namespace (the index adds its keys under any namespace then) and name a port the Services
# lack: each must find its Service to say so.
python3 -c '
for i in range(3000):
    print("---\napiVersion: v1\nkind: Service\nmetadata:\n  name: svc-%d\n  namespace: shop\n  labels:\n"
          "    app.kubernetes.io/name: svc-%d\n    team: t%d\nspec:\n  selector:\n    app: svc-%d\n  ports:\n"
          "  - name: metrics\n    port: 9100" % (i, i, i % 7, i))
for n in (0, 1, 2, 5, 100, 700, 1500, 2999, 3000):
    print("---\napiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata:\n  name: mon-%d\n"
          "  namespace: shop\nspec:\n  selector:\n    matchLabels:\n      app.kubernetes.io/name: svc-%d\n"
          "  endpoints:\n  - port: metrics" % (n, n))
for n in (0, 1499, 2999, 3001):
    print("---\napiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata:\n  name: any-%d\n"
          "  namespace: monitoring\nspec:\n  namespaceSelector:\n    any: true\n  selector:\n    matchLabels:\n"
          "      app.kubernetes.io/name: svc-%d\n  endpoints:\n  - port: web" % (n, n))' > "$tmp/labels.yaml"
"$svclint" -q "$tmp/labels.yaml" > "$tmp/labels.out"
if [ "$(grep -c '\[servicemonitor-' "$tmp/labels.out")" = 4 ] &&
   grep -q "^$tmp/labels.yaml:45104:3: warning: no Service in namespace 'shop' matches the selector app.kubernetes.io/name=svc-3000, " "$tmp/labels.out" &&
   [ "$(grep -c "^$tmp/labels.yaml:\(45122\|45136\|45150\):11: error: port 'web' is not the name of any port on the endpoints of Service shop/svc-\(0\|1499\|2999\) " "$tmp/labels.out")" = 3 ]; then
	pass=$((pass + 1))
else
	echo "FAIL label index of 3,000 Services"; head -5 "$tmp/labels.out"; fail=$((fail + 1))
fi
# One folder on several jobs is linted while it is walked: the same findings and summary as one
# job, with a file met twice through a link read once and excluded files left out.
mkdir -p "$tmp/fed/apps/etcd" "$tmp/fed/vendor" "$tmp/fed/more"
cp etcd-prom.yaml broken-typos.yaml "$tmp/fed/apps/etcd/"
cp broken-typos.yaml "$tmp/fed/vendor/"
ln -s ../apps/etcd/broken-typos.yaml "$tmp/fed/more/again.yaml"
ln -s ../apps "$tmp/fed/more/apps"
ln -s nowhere.yaml "$tmp/fed/more/dangling.yaml"
printf 'exclude:\n- vendor/**\n' >"$tmp/fed/.svclint.yaml"
(cd "$tmp/fed" && "$svclint" -j 1 . >"$tmp/fed-1.out" 2>"$tmp/fed-1.err")
(cd "$tmp/fed" && "$svclint" -j 4 . >"$tmp/fed-4.out" 2>"$tmp/fed-4.err")
if cmp -s "$tmp/fed-1.out" "$tmp/fed-4.out" && cmp -s "$tmp/fed-1.err" "$tmp/fed-4.err" &&
   grep -qx 'svclint: 3 files, 4 objects: 5 errors, 1 warning, 2 infos' "$tmp/fed-4.err" &&
   grep -q '^more/dangling.yaml:1:1: error: cannot lint this file: broken symbolic link' "$tmp/fed-4.out" &&
   ! grep -q '^vendor/\|^more/again\|^more/apps' "$tmp/fed-4.out"; then
	pass=$((pass + 1))
else
	echo "FAIL a folder on several jobs"; diff "$tmp/fed-1.out" "$tmp/fed-4.out"; cat "$tmp/fed-1.err" "$tmp/fed-4.err"
	fail=$((fail + 1))
fi
# What was typed reaches the terminal escaped.
expect "escaped usage error" 2 -- "$svclint" --disable "$(printf 'a\033[31mb')" etcd-prom.yaml
if grep -qF 'unknown rule '"'"'a\x1B[31mb'"'" "$tmp/stderr"; then pass=$((pass + 1)); else echo "FAIL escaped usage error: $(cat -v "$tmp/stderr")"; fail=$((fail + 1)); fi
echo "cli: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
