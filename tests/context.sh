#!/usr/bin/env bash
# context.sh SVCLINT: --context loads manifests only to resolve references; findings are reported
# only for the PATH arguments, once even when a file is given both ways; --stdin-filename names
# standard input and stands in for that file's copy on disk in the context.
set -u
svclint=$(realpath "${1:-build/svclint}")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0

# expect NAME WANTED-EXIT WANTED-STDOUT COMMAND...: runs in $tmp/repo.
expect() {
	local name=$1 want=$2 want_out=$3 out rc
	shift 3
	out=$(cd "$tmp/repo" && "$@" 2>"$tmp/stderr")
	rc=$?
	if [ "$rc" != "$want" ]; then
		echo "FAIL $name: exit $rc, wanted $want"; sed 's/^/  /' "$tmp/stderr"; printf '%s\n' "$out" | sed 's/^/  stdout: /'
		fail=$((fail + 1)); return
	fi
	if ! diff -u --label wanted --label actual <(printf '%s\n' "$want_out") <(printf '%s\n' "$out"); then
		echo "FAIL $name: output differs"; fail=$((fail + 1)); return
	fi
	pass=$((pass + 1))
}

mkdir -p "$tmp/repo/services" "$tmp/repo/backends" "$tmp/repo/.git"
cat >"$tmp/repo/services/etcd.yaml" <<'YAML'
apiVersion: v1
kind: Service
metadata:
  name: etcd
  namespace: kube-system
spec:
  ports:
  - name: metrics
    port: 2379
YAML
cat >"$tmp/repo/backends/etcd.yaml" <<'YAML'
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: etcd-1
  namespace: kube-system
  labels:
    kubernetes.io/service-name: etcd
    endpointslice.kubernetes.io/managed-by: cluster-admins
addressType: IPv4
endpoints:
- addresses: ["10.0.0.1"]
ports:
- name: metrics
  port: 2379
YAML
sed 's/- name: metrics/- name: metric/' "$tmp/repo/backends/etcd.yaml" >"$tmp/wrong.yaml"

unmatched='backends/etcd.yaml:4:9: error: Service port '"'"'metrics'"'"' (2379/TCP) has no TCP port named '"'"'metrics'"'"' in EndpointSlice kube-system/etcd-1 (addressType IPv4): kube-proxy pairs ports by name and protocol over all of a Service'"'"'s slices of one address family, never by number, so IPv4 connections to port 2379 get no endpoint; rename EndpointSlice port '"'"'metric'"'"' to '"'"'metrics'"'"' [endpointslice-port-unmatched]
    services/etcd.yaml:8:5: note: Service port '"'"'metrics'"'"' (2379/TCP) of Service kube-system/etcd
    backends/etcd.yaml:13:3: note: this port is named '"'"'metric'"'"', one edit from '"'"'metrics'"'"''

# Alone, the slice's Service is unknown; with the repository as context it is found.
expect "without context the Service is missing" 0 "backends/etcd.yaml:7:33: warning: EndpointSlice 'etcd-1' is labelled for Service 'etcd', which does not exist in namespace 'kube-system': its endpoints serve nothing; create the Service or fix the label or namespace [endpointslice-no-service]" \
	"$svclint" -q backends/etcd.yaml
expect "a right slice passes with the repository as context" 0 "" "$svclint" -q --context . backends/etcd.yaml
# Context files report nothing of their own: the Service alone would have no backends.
expect "context files report nothing" 0 "" "$svclint" -q --context services backends/etcd.yaml
expect "context given as a file" 0 "" "$svclint" -q --context services/etcd.yaml backends/etcd.yaml

# A wrong slice fails, located in it, with a note in the context file.
cp "$tmp/repo/backends/etcd.yaml" "$tmp/right.yaml"
cp "$tmp/wrong.yaml" "$tmp/repo/backends/etcd.yaml"
expect "a wrong slice fails with the repository as context" 1 "$unmatched" "$svclint" -q --context . backends/etcd.yaml
# Given both ways (and spelled three ways), a file is read once and reported once.
expect "a file given both ways is reported once" 1 "$unmatched" \
	"$svclint" -q --context . backends/etcd.yaml ./backends/etcd.yaml services/../backends/etcd.yaml
run_json() { (cd "$tmp/repo" && "$svclint" -q -f json --context . "$@" | grep -o '"summary":{[^}]*}'); }
if [ "$(run_json backends/etcd.yaml)" = '"summary":{"files":1,"documents":1,"objects":1,"errors":1,"warnings":0,"infos":0}' ]; then
	pass=$((pass + 1))
else
	echo "FAIL summary counts only the reported file: $(run_json backends/etcd.yaml)"; fail=$((fail + 1))
fi

# --stdin-filename: an editor sends the buffer; the copy on disk is right, the buffer is wrong.
cp "$tmp/right.yaml" "$tmp/repo/backends/etcd.yaml"
expect "standard input stands in for its file in the context" 1 "$unmatched" \
	sh -c "'$svclint' -q --context . --stdin-filename backends/etcd.yaml - <'$tmp/wrong.yaml'"
# ...and the other way round: the file on disk is wrong, the buffer right.
cp "$tmp/wrong.yaml" "$tmp/repo/backends/etcd.yaml"
expect "the buffer, not the disk, is linted" 0 "" \
	sh -c "'$svclint' -q --context . --stdin-filename backends/etcd.yaml - <'$tmp/right.yaml'"
# A name that is not on disk works too (a new, unsaved file).
expect "stdin named for a file not yet on disk" 0 "" \
	sh -c "'$svclint' -q --context services --stdin-filename backends/new.yaml - <'$tmp/right.yaml'"
cp "$tmp/right.yaml" "$tmp/repo/backends/etcd.yaml"

# Identical for any -j.
one=$(cd "$tmp/repo" && "$svclint" -q -j 1 --context . backends services 2>&1)
many=$(cd "$tmp/repo" && "$svclint" -q -j 8 --context . backends services 2>&1)
if [ "$one" = "$many" ]; then pass=$((pass + 1)); else echo "FAIL -j changes the output"; fail=$((fail + 1)); fi

echo "context: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
