#!/usr/bin/env bash
# hostile.sh SVCLINT: inputs too large or too odd to commit as fixtures, generated at test time in a
# temporary folder: the size limits (20 MB scalar, a million documents, 300,000-key maps, 100,000-deep
# nesting, files over 64 MiB), binary input, folders that loop or cannot be read, FIFOs and devices,
# very long paths, names that need escaping, manifest strings with terminal escapes, and what svclint
# touches on the system (strace).  Each check states the exact output and exit code it expects; every
# run has `timeout 60` as a guard against hangs, never a timing assertion.
set -u
svclint=$(realpath "${1:-build/svclint}")
root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'chmod -R u+rwx "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
chmod 755 "$tmp"	# the permission checks run svclint as nobody
pass=0
fail=0

ok() { pass=$((pass + 1)); }
bad() { echo "FAIL $1"; fail=$((fail + 1)); }

# run ARGS...: svclint -q -j 2 ARGS inside $tmp; sets $out, $rc and $tmp/.stderr.
run() {
	out=$(cd "$tmp" && timeout 60 "$svclint" -q -j 2 "$@" 2>"$tmp/.stderr")
	rc=$?
}

# expect NAME EXIT OUTPUT ARGS...: exact standard output and exit code.
expect() {
	local name=$1 want_rc=$2 want_out=$3
	shift 3
	run "$@"
	if [ "$rc" != "$want_rc" ]; then
		bad "$name: exit $rc, wanted $want_rc"
		head -c 2000 "$tmp/.stderr" | sed 's/^/  stderr: /'
		printf '%s\n' "$out" | head -5 | cut -c1-300 | sed 's/^/  stdout: /'
		return
	fi
	if [ "$want_out" != "$out" ]; then
		diff -u --label wanted --label actual <(printf '%s\n' "$want_out") <(printf '%s\n' "$out") | head -40 | cut -c1-300
		bad "$name: output differs"
		return
	fi
	ok
}

# survives NAME PATTERN ARGS...: exit 0 or 1 (never a signal, a timeout or 2), and the output holds
# PATTERN (an extended regular expression) unless PATTERN is empty.
survives() {
	local name=$1 pattern=$2
	shift 2
	run "$@"
	if [ "$rc" != 0 ] && [ "$rc" != 1 ] || grep -Eq 'runtime error|Sanitizer' "$tmp/.stderr"; then
		bad "$name: exit $rc (124 is the timeout, 128+N signal N)"
		head -c 2000 "$tmp/.stderr" | sed 's/^/  stderr: /'
		return
	fi
	if [ -n "$pattern" ] && ! grep -Eq -- "$pattern" <<<"$out"; then
		bad "$name: the output lacks /$pattern/"
		printf '%s\n' "$out" | head -5 | cut -c1-300 | sed 's/^/  stdout: /'
		return
	fi
	ok
}

# lacks NAME PATTERN: the last run's output does not hold PATTERN.
lacks() {
	if grep -Eq -- "$2" <<<"$out"; then
		bad "$1: the output holds /$2/"
		grep -E -- "$2" <<<"$out" | head -3 | cut -c1-300 | sed 's/^/  stdout: /'
		return
	fi
	ok
}

service() {	# service NAME: a selectorless Service
	printf 'apiVersion: v1\nkind: Service\nmetadata:\n  name: %s\n  namespace: apps\nspec:\n  ports:\n  - name: http\n    port: 80\n' "$1"
}

configmap() {	# configmap NAME: an object no rule has anything to say about
	printf 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: %s\n  namespace: apps\ndata:\n  mode: fast\n' "$1"
}

endpoints() {	# endpoints NAME: its hand-written Endpoints
	printf 'apiVersion: v1\nkind: Endpoints\nmetadata:\n  name: %s\n  namespace: apps\nsubsets:\n- addresses:\n  - ip: 10.0.0.1\n  ports:\n  - name: http\n    port: 80\n' "$1"
}

# ---- limits --------------------------------------------------------------------------------------

scalar_file() {	# scalar_file FILE BYTES: a ConfigMap whose data.a is BYTES bytes long
	{
		printf 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\n  namespace: apps\ndata:\n  a: "'
		head -c "$2" /dev/zero | tr '\0' x
		printf '"\n'
	} >"$tmp/$1"
}
scalar_file big-scalar.yaml 20000000
expect "20 MB scalar" 1 "big-scalar.yaml:7:6: error: a scalar of 20000000 bytes is longer than the limit of 8388608; this document is not checked [input-limit]" big-scalar.yaml
scalar_file limit-scalar.yaml 8388608
expect "scalar at the limit" 0 "" limit-scalar.yaml
scalar_file over-scalar.yaml 8388609
expect "scalar one byte over" 1 "over-scalar.yaml:7:6: error: a scalar of 8388609 bytes is longer than the limit of 8388608; this document is not checked [input-limit]" over-scalar.yaml
rm -f "$tmp"/*-scalar.yaml

# 100,000 Services and their 100,000 Endpoints in one file: 200,000 documents, all paired by the index.
awk 'BEGIN {
	for (i = 0; i < 100000; i++) {
		printf "---\napiVersion: v1\nkind: Service\nmetadata:\n  name: s%d\n  namespace: apps\nspec:\n  ports:\n  - name: http\n    port: 80\n", i
		printf "---\napiVersion: v1\nkind: Endpoints\nmetadata:\n  name: s%d\n  namespace: apps\nsubsets:\n- addresses:\n  - ip: 10.0.0.1\n  ports:\n  - name: http\n    port: 80\n", i
	} }' >"$tmp/docs.yaml"
survives "200,000 documents" '"documents":200000,"objects":200000' -f json --fail-on never docs.yaml
lacks "200,000 documents lint" 'input-limit|yaml-syntax'
# The same name 200,000 times: duplicate-object and the pairing chains must not go quadratic.
awk 'BEGIN { for (i = 0; i < 200000; i++) printf "---\napiVersion: v1\nkind: Service\nmetadata:\n  name: same\n  namespace: apps\nspec:\n  ports:\n  - port: 80\n" }' >"$tmp/same.yaml"
survives "200,000 documents of one name" '"documents":200000' -f json --fail-on never same.yaml
rm -f "$tmp/docs.yaml" "$tmp/same.yaml"

awk 'BEGIN { for (i = 0; i <= 1000000; i++) printf "---\n" }' >"$tmp/million.yaml"
expect "documents per file" 1 "million.yaml:1000001:1: error: more than 1000000 documents in one file; the rest is not read [input-limit]" million.yaml
rm -f "$tmp/million.yaml"

# 300,000-key maps in every place svclint reads a map, and one where every key comes twice.
keys() { awk -v indent="$1" -v n="${2:-300000}" 'BEGIN { for (i = 0; i < n; i++) printf "%sk%d: v%d\n", indent, i, i }'; }
{ printf 'apiVersion: v1\nkind: Service\nmetadata:\n  name: wide\n  namespace: apps\n  labels:\n'; keys '    '
  printf '  annotations:\n'; keys '    '
  printf 'spec:\n  selector:\n'; keys '    '
  printf '  ports:\n  - port: 80\n'
  printf -- '---\napiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata:\n  name: wide\n  namespace: apps\nspec:\n  selector:\n    matchLabels:\n'; keys '      '
  printf '  endpoints:\n  - port: http\n'
  printf -- '---\napiVersion: v1\nkind: Endpoints\nmetadata:\n  name: wide\n  namespace: apps\n  labels:\n'; keys '    '
  printf 'subsets:\n- addresses:\n  - ip: 10.0.0.1\n'
  printf -- '---\napiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata:\n  name: wide-1\n  namespace: apps\n  labels:\n    kubernetes.io/service-name: wide\n'; keys '    '
  printf 'addressType: IPv4\nendpoints:\n- addresses: [10.0.0.1]\n'
  printf -- '---\napiVersion: monitoring.coreos.com/v1\nkind: Prometheus\nmetadata:\n  name: wide\n  namespace: apps\nspec:\n  serviceMonitorSelector:\n    matchLabels:\n'; keys '      '
  printf -- '---\n'; keys ''
} >"$tmp/wide.yaml"
survives "300,000-key maps" '"documents":6' -f json --fail-on never wide.yaml
lacks "300,000-key maps lint" 'input-limit|yaml-syntax|duplicate-key'
{ printf 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: twice\n  namespace: apps\ndata:\n'; keys '  ' 150000; keys '  ' 150000; } >"$tmp/twice.yaml"
run --fail-on never twice.yaml
# 150,000 duplicates: the first 100,000 findings (RULE_FILE_LIMIT), then one input-limit line.
n=$(grep -c '\[duplicate-key\]$' <<<"$out")
cut=$(grep -c 'more than 100000 findings in this file; the rest are not reported: fix these first \[input-limit\]$' <<<"$out")
if [ "$rc" = 0 ] && [ "$n" = 100000 ] && [ "$cut" = 1 ]; then ok; else bad "300,000 keys, each twice: exit $rc, $n duplicate-key findings (wanted 100000) and $cut limit lines (wanted 1)"; fi
# One flow mapping of 300,000 keys, and a merge of it beside 300,000 more keys.
{ printf 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: flow, namespace: apps}\nbase: &base {'
  awk 'BEGIN { for (i = 0; i < 300000; i++) printf "%sk%d: 1", i ? ", " : "", i }'
  printf '}\ndata:\n  <<: *base\n'; keys '  ' 300000 | sed 's/^  k/  m/'; } >"$tmp/flow.yaml"
expect "300,000-key flow map, merged" 0 "" flow.yaml
rm -f "$tmp/wide.yaml" "$tmp/twice.yaml" "$tmp/flow.yaml"

# Anchors: 100,000 of them and 100,000 aliases to the first (a list scan per alias was quadratic).
{ printf 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: anchors, namespace: apps}\ndata:\n'
  awk 'BEGIN { for (i = 0; i < 100000; i++) printf "  a%d: &a%d v\n", i, i; for (i = 0; i < 100000; i++) printf "  b%d: *a0\n", i }'; } >"$tmp/anchors.yaml"
expect "100,000 anchors and aliases" 0 "" anchors.yaml

# An alias to a 1 MB scalar, used 100 times: 100 MB of text for rules to quote, from 1 MB of input.
{ printf 'apiVersion: v1\nkind: Service\nmetadata:\n  name: &big '; head -c 1000000 /dev/zero | tr '\0' x
  printf '\n  namespace: apps\nspec:\n  ports:\n'; awk 'BEGIN { for (i = 0; i < 100; i++) printf "  - name: *big\n    port: 80\n" }'; } >"$tmp/long-alias.yaml"
expect "an alias to a long scalar, many times" 1 "long-alias.yaml:134:11: error: alias *big would make the aliases of this file expand past 1000000 nodes (an alias bomb?); this document is not checked [input-limit]" long-alias.yaml

awk 'BEGIN { for (i = 0; i < 100000; i++) printf "["; for (i = 0; i < 100000; i++) printf "]"; print "" }' >"$tmp/deep.yaml"
expect "100,000-deep flow sequence" 1 "deep.yaml:1:257: error: collections nest deeper than 256 levels; the rest of this file is not read [input-limit]" deep.yaml
awk 'BEGIN { for (i = 0; i < 100000; i++) printf "{a: "; for (i = 0; i < 100000; i++) printf "}"; print "" }' >"$tmp/deep-map.yaml"
expect "100,000-deep flow mapping" 1 "deep-map.yaml:1:1025: error: collections nest deeper than 256 levels; the rest of this file is not read [input-limit]" deep-map.yaml
{ printf 'a:\n'; awk 'BEGIN { for (i = 1; i <= 300; i++) { for (j = 0; j < i; j++) printf " "; printf "- \n" } }'; } >"$tmp/deep-block.yaml"
survives "300-deep block sequence" 'deep-block.yaml:[0-9]+:[0-9]+: error: collections nest deeper than 256 levels' deep-block.yaml
rm -f "$tmp"/deep*.yaml

# Many one-character scalars: the most nodes a file can hold per byte (2 bytes a node).
{ printf '['; awk 'BEGIN { for (i = 0; i < 2000000; i++) printf "a," }'; printf 'a]\n'; } >"$tmp/nodes.yaml"
expect "2,000,000 nodes in one list" 0 "" nodes.yaml
rm -f "$tmp/nodes.yaml"

truncate -s 70000000 "$tmp/huge.yaml"
expect "file over 64 MiB" 1 "huge.yaml:1:1: error: cannot lint this file: the file is 70000000 bytes, larger than the limit of 67108864 (64 MiB) [io-error]" huge.yaml
rm -f "$tmp/huge.yaml"
out=$(yes '# comment' | head -c 70000000 | timeout 60 "$svclint" -q --stdin-filename in.yaml - 2>"$tmp/.stderr"); rc=$?
if [ "$rc" = 1 ] && [ "$out" = "in.yaml:1:1: error: cannot lint this file: the input is larger than the limit of 67108864 bytes (64 MiB) [io-error]" ]; then ok; else bad "standard input over 64 MiB: exit $rc, output: ${out:0:300}"; fi

# A Service of 10,000 ports (a media server's port range), its Endpoints of three subsets and its
# slice of as many: every rule that pairs ports, or looks for a name used twice, compared every pair
# (up to 100 million pairs each: 19.8 s in all), and now sorts (0.16 s).  Planted: a Service port
# renamed (q5), a targetPort that differs (p7), a slice port renamed (p11 as p12, twice p12), a name
# twice in the third subset (p4), and two subsets of the same ports in opposite orders that
# mirroring merges (1,200 addresses).
awk -v n=10000 'BEGIN {
	printf "apiVersion: v1\nkind: Service\nmetadata:\n  name: wide\n  namespace: apps\nspec:\n  ports:\n"
	for (i = 0; i < n; i++)
		printf "  - {name: %s%d, port: %d, targetPort: %d}\n", i == 5 ? "q" : "p", i, 10000 + i, i == 7 ? 9 : 10000 + i
	printf "---\napiVersion: v1\nkind: Endpoints\nmetadata:\n  name: wide\n  namespace: apps\nsubsets:\n"
	for (s = 0; s < 3; s++) {
		printf "- addresses:\n"
		for (a = 0; a < (s < 2 ? 600 : 1); a++)
			printf "  - ip: 10.%d.%d.%d\n", s, int(a / 250), a % 250
		printf "  ports:\n"
		for (k = 0; k < n; k++) {
			i = s == 1 ? n - 1 - k : k
			printf "  - {name: p%d, port: %d}\n", i == 3 && s == 2 ? 4 : i, 10000 + i
		}
	}
	printf "---\napiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata:\n  name: wide-1\n  namespace: apps\n  labels:\n    kubernetes.io/service-name: wide\n    endpointslice.kubernetes.io/managed-by: team\naddressType: IPv4\nendpoints:\n- addresses: [10.9.0.1]\nports:\n"
	for (i = 0; i < n; i++)
		printf "- {name: p%d, port: %d, protocol: TCP}\n", i == 11 ? 12 : i, 10000 + i
}' > "$tmp/wide.yaml"
want=$(cat <<'EOF'
wide.yaml:13:5: error: Service port 'q5' (10005/TCP) has no TCP port named 'q5' in any subset of Endpoints apps/wide: kube-proxy pairs ports by name and protocol, never by number, so connections to port 10005 get no endpoint; rename Endpoints port 'p5' to 'q5' [endpoints-port-unmatched]
    wide.yaml:10622:5: note: this port is named 'p5', one edit from 'q5'
wide.yaml:13:5: error: Service port 'q5' (10005/TCP) has no TCP port named 'q5' in EndpointSlice apps/wide-1 (addressType IPv4): kube-proxy pairs ports by name and protocol over all of a Service's slices of one address family, never by number, so IPv4 connections to port 10005 get no endpoint; rename EndpointSlice port 'p5' to 'q5' [endpointslice-port-unmatched]
    wide.yaml:41240:3: note: this port is named 'p5', one edit from 'q5'
wide.yaml:15:41: info: targetPort 9 is ignored: Service apps/wide has no selector, so no controller reads targetPort, and traffic goes to port 10007, the number on Endpoints port 'p7'; set targetPort: 10007 so that the manifest says where connections go, or leave targetPort out [service-target-port-ignored]
    wide.yaml:10624:5: note: traffic goes to this Endpoints port's number, 10007
wide.yaml:19:5: error: Service port 'p11' (10011/TCP) has no TCP port named 'p11' in EndpointSlice apps/wide-1 (addressType IPv4): kube-proxy pairs ports by name and protocol over all of a Service's slices of one address family, never by number, so IPv4 connections to port 10011 get no endpoint; add a port named 'p11' with protocol TCP to the IPv4 slices [endpointslice-port-unmatched]
    wide.yaml:41235:1: note: the ports of EndpointSlice apps/wide-1
wide.yaml:10010:7: info: v1 Endpoints is deprecated since Kubernetes 1.33 (every apply warns) and kube-proxy reads only EndpointSlices mirrored from it; write a discovery.k8s.io/v1 EndpointSlice labelled kubernetes.io/service-name: wide instead [endpoints-deprecated]
wide.yaml:10012:9: warning: Endpoints apps/wide is mirrored to an EndpointSlice, and EndpointSlice apps/wide-1 is also labelled for Service apps/wide: kube-proxy and DNS merge them all, so every address in either gets traffic and the two lists drift apart; keep one source: label this Endpoints endpointslice.kubernetes.io/skip-mirror: "true" if the slices are the truth (it then serves only readers of the Endpoints API), or delete the slices [endpoints-and-slices-both]
    wide.yaml:41226:9: note: EndpointSlice apps/wide-1, labelled for Service apps/wide
wide.yaml:10015:3: warning: the 2 subsets with the ports of subset 0, which mirroring merges, hold 1200 distinct addresses, but the EndpointSlice mirroring controller copies at most 1000 per set of ports (ready ones first) and drops the rest with a TooManyAddressesToMirror event, so 200 backends are missing from the EndpointSlices that kube-proxy and DNS read; write EndpointSlices (up to 1000 endpoints each) instead [endpoints-over-capacity]
wide.yaml:31226:12: error: port name 'p4' appears twice in this subset: the API server accepts it, but an EndpointSlice rejects duplicate port names, so the slice mirrored from this subset is rejected and kube-proxy and cluster DNS never see these endpoints; give each port its own name, as on the Service [endpoints-port-name-duplicate]
    wide.yaml:31225:12: note: 'p4' is first used here
wide.yaml:41247:10: error: port name 'p12' is used twice: EndpointSlice port names must be unique, so the API server rejects the slice; give each port its own name, as on the Service [endpointslice-port-name-duplicate]
    wide.yaml:41246:10: note: 'p12' is first used here
EOF
)
expect "10,000 ports on each side" 1 "$want" wide.yaml
rm -f "$tmp/wide.yaml"

# Many unpaired objects in one namespace: each one's near-miss search would read every name of the
# namespace, which grows with the square of their number.  A rule's searches stop reading a namespace
# once they have read 2^24 names plus 64 per object (here 17,417,216), a name the keys cannot rule out
# (here svc-00123 for ep-00123, alike in their last three bytes) counting as 8: 3,348 searches of
# 5,000 names, then each finding says so.
mkdir -p "$tmp/orphans"
awk -v n=5000 -v dir="$tmp/orphans" 'BEGIN {
	for (i = 0; i < n; i++)
		printf "---\napiVersion: v1\nkind: Service\nmetadata:\n  name: svc-%05d\n  namespace: big\nspec:\n  ports:\n  - port: 80\n", i > (dir "/services.yaml")
	for (i = 0; i < n; i++)
		printf "---\napiVersion: v1\nkind: Endpoints\nmetadata:\n  name: ep-%05d\n  namespace: big\nsubsets:\n- addresses:\n  - ip: 10.0.0.1\n  ports:\n  - port: 80\n", i > (dir "/endpoints.yaml")
}'
survives "5,000 unpaired Services and Endpoints in one namespace" '' orphans
unread="near names were not looked for among the 5000 %s of namespace 'big': this rule reads at most 17417216 names for such hints (one compared in full counts as 8), so that a namespace of many unpaired objects stays fast"
# shellcheck disable=SC2059
want=$(printf "orphans/endpoints.yaml:36822:9: warning: no Service 'ep-03347' in namespace 'big' owns this Endpoints: it is never mirrored to an EndpointSlice, so no traffic reaches it, and the endpoints controller may delete it; add the selectorless Service or fix the name or namespace [endpoints-no-service]
orphans/endpoints.yaml:36833:9: warning: no Service 'ep-03348' in namespace 'big' owns this Endpoints: it is never mirrored to an EndpointSlice, so no traffic reaches it, and the endpoints controller may delete it; add the selectorless Service or fix the name or namespace [endpoints-no-service]
    orphans/endpoints.yaml:36833:9: note: $unread" Services)
got=$(grep -A1 -E "'ep-0334[78]'" <<<"$out" | grep -v -e '--' -e '\[endpoints-deprecated\]$')
if [ "$got" = "$want" ]; then ok; else bad "orphans: the findings about ep-03347 and ep-03348 differ"; diff <(echo "$want") <(echo "$got") | head -6 | cut -c1-300; fi
counts=$(grep -oE 'note: near names were not looked for among the 5000 [A-Za-z]+' <<<"$out" | sort | uniq -c | sed 's/^ *//')
want="1652 note: near names were not looked for among the 5000 Endpoints
1652 note: near names were not looked for among the 5000 Services"
if [ "$counts" = "$want" ]; then ok; else bad "orphans: notes counted $counts"; fi
rm -rf "$tmp/orphans"

# A minified file: one line of 100,000 quoted values that look like svclint comments, half of them
# after a blank, then a real comment.  Each '#' once made the scan read the line from its start (and
# to its end): 3.4 s for 20,000 of them, minutes for these.
awk 'BEGIN {
	printf "{\"apiVersion\": \"v1\", \"kind\": \"ConfigMap\", \"metadata\": {\"name\": \"x\", \"namespace\": \"apps\"}, \"data\": {"
	for (i = 0; i < 100000; i++)
		printf "%s\"k%d\": \"%s# svclint:ignore io-error\"", i ? ", " : "", i, i % 2 ? "a " : ""
	printf "}} # svclint:ignore-file yaml-syntax\n"
}' >"$tmp/minified.yaml"
column=$(($(head -1 "$tmp/minified.yaml" | wc -c) - 33))	# the comment is 33 bytes, then a newline
expect "a minified line of 100,000 quoted svclint comments" 0 "minified.yaml:1:$column: info: this svclint:ignore-file comment suppresses yaml-syntax, but this file has no yaml-syntax finding: remove it [unused-suppression]" minified.yaml
rm -f "$tmp/minified.yaml"

# A minified List of 3,000 Services on one line, in colour: each finding shows the part of the line
# around its column, not the line (428 KB under each of 3,000 findings: 1.3 GB).
awk 'BEGIN {
	printf "{\"apiVersion\": \"v1\", \"kind\": \"List\", \"items\": ["
	for (i = 0; i < 3000; i++)
		printf "%s{\"apiVersion\": \"v1\", \"kind\": \"Service\", \"metadata\": {\"name\": \"s%d\", \"namespace\": \"apps\"}, \"spec\": {\"ports\": [{\"name\": \"web\", \"port\": 80}]}}", i ? ", " : "", i
	printf "]}\n"
}' >"$tmp/minilist.json"
run --color always minilist.json
esc=$(printf '\033')
want="    1 | ...\"kind\": \"Service\", \"metadata\": {\"name\": \"s1000\", \"namespace\": \"apps\"}, \"spec\": {\"ports\": [{\"name\": \"web\", \"port\": 80}]}}...
      |                                            $esc[1;32m^$esc[0m"
got=$(grep -A2 "^$esc\[1mminilist.json:1:141999: " <<<"$out" | tail -2)
if [ "$rc" = 1 ] && [ "$(grep -c "service-selectorless-no-backends" <<<"$out")" = 3000 ] && [ "${#out}" -lt 2000000 ] &&
	[ "$got" = "$want" ]; then ok; else bad "a minified List in colour: exit $rc, ${#out} bytes"; diff <(echo "$want") <(echo "$got") | cat -v | head -6; fi
rm -f "$tmp/minilist.json"

# Three files of 20,000 objects whose findings have notes in the other two, in colour: each file is
# read once for all its snippets (a finding's file and its notes' files took turns, each read again
# for each snippet: 518 s).
mkdir -p "$tmp/three"
awk -v n=20000 -v dir="$tmp/three" 'BEGIN {
	for (i = 0; i < n; i++) {
		printf "---\napiVersion: v1\nkind: Service\nmetadata:\n  name: db-%05d\n  namespace: n%d\nspec:\n  ports:\n  - {name: pg, port: 5432}\n", i, i > (dir "/services.yaml")
		printf "---\napiVersion: v1\nkind: Endpoints\nmetadata:\n  name: db-%05d\n  namespace: m%d\nsubsets:\n- addresses: [{ip: 10.0.0.1}]\n  ports: [{name: pg, port: 5432}]\n", i, i > (dir "/endpoints.yaml")
		printf "---\napiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata:\n  name: db-%05d-x\n  namespace: k%d\n  labels:\n    kubernetes.io/service-name: db-%05d\naddressType: IPv4\nendpoints:\n- addresses: [10.0.0.1]\nports:\n- {name: pg, port: 5432, protocol: TCP}\n", i, i, i > (dir "/slices.yaml")
	}
}'
run --color always three
want="111110 |   name: db-12345
       |         $esc[1;32m^$esc[0m
    three/endpoints.yaml:111110:9: note: Endpoints 'db-12345' in namespace 'm12345' is close: the same name, in another namespace
    111110 |   name: db-12345
           |         $esc[1;32m^$esc[0m
    three/slices.yaml:160490:9: note: EndpointSlice 'db-12345' in namespace 'k12345' is close: the same name, in another namespace
    160490 |   name: db-12345-x
           |         $esc[1;32m^$esc[0m"
got=$(grep -A8 "^$esc\[1mthree/services.yaml:111110:9: " <<<"$out" | tail -8)
if [ "$rc" = 1 ] && [ "$(wc -l <<<"$out")" = 540000 ] && [ "$got" = "$want" ]; then ok; else
	bad "three files in colour: exit $rc, $(wc -l <<<"$out") lines"; diff <(echo "$want") <(echo "$got") | cat -v | head -6; fi
rm -rf "$tmp/three"

# ---- bytes that are not text -----------------------------------------------------------------------

awk 'BEGIN { srand(7); for (i = 0; i < 1048576; i++) printf "%c", int(rand() * 256) }' >"$tmp/random.yaml"
survives "1 MiB of random bytes" '^random.yaml:[0-9]+:[0-9]+: error: .*\[yaml-syntax\]$' random.yaml
head -c 65536 /dev/zero >"$tmp/zeros.yaml"
expect "64 KiB of NUL bytes" 1 "zeros.yaml:1:1: error: this file cannot be read as YAML: the file holds NUL bytes: it is binary, not YAML or JSON; svclint checks nothing in it [yaml-syntax]" zeros.yaml
cp "$svclint" "$tmp/program.yaml"
survives "an executable named .yaml" '^program.yaml:1:[0-9]+: error: this file cannot be read as YAML: the file holds NUL bytes' program.yaml
rm -f "$tmp/random.yaml" "$tmp/zeros.yaml" "$tmp/program.yaml"

# ---- folders -------------------------------------------------------------------------------------

mkdir -p "$tmp/tree/a/b" "$tmp/tree/x.yaml/y.yml" "$tmp/tree/.hidden"
configmap one >"$tmp/tree/a/one.yaml"
configmap two >"$tmp/tree/a/b/two.yaml"
printf '{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "three", "namespace": "apps"}}\n' >"$tmp/tree/x.yaml/y.yml/three.json"
configmap four >"$tmp/tree/x.yaml/four.yml"
printf 'not: [valid\n' >"$tmp/tree/.hidden/broken.yaml"
ln -s .. "$tmp/tree/a/b/up"		# a loop through the parent
ln -s ../../a "$tmp/tree/a/b/again"	# a loop through the same folder by another name
ln -s "$tmp/tree" "$tmp/tree/x.yaml/root"	# a loop through an absolute path
ln -s self.yaml "$tmp/tree/self.yaml"	# a link to itself
ln -s missing.yaml "$tmp/tree/dangling.yaml"
ln -s missing "$tmp/tree/dangling-folder"	# no manifest extension: not reported
mkfifo "$tmp/tree/fifo.yaml"
ln -s fifo.yaml "$tmp/tree/to-fifo.yaml"
python3 -c 'import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' "$tmp/tree/socket.yaml" 2>/dev/null || true
expect "loops, links, FIFOs, a folder named x.yaml" 1 "tree/dangling.yaml:1:1: error: cannot lint this file: broken symbolic link: its target does not exist [io-error]
tree/self.yaml:1:1: error: cannot lint this file: symbolic link loop: too many levels of symbolic links [io-error]" tree
run -f json tree
if grep -q '"summary":{"files":6,"documents":4,"objects":4,' <<<"$out"; then ok; else bad "the tree has 4 manifests in 4 files plus 2 broken links: ${out: -200}"; fi

# Named on the command line: a FIFO, devices and a link to a FIFO are reported, never waited on.
expect "a FIFO named on the command line" 1 "tree/fifo.yaml:1:1: error: cannot lint this file: not a regular file (a folder, FIFO or device) [io-error]" tree/fifo.yaml
expect "a link to a FIFO" 1 "tree/to-fifo.yaml:1:1: error: cannot lint this file: not a regular file (a folder, FIFO or device) [io-error]" tree/to-fifo.yaml
expect "/dev/zero" 1 "/dev/zero:1:1: error: cannot lint this file: not a regular file (a folder, FIFO or device) [io-error]" /dev/zero
expect "/dev/null" 1 "/dev/null:1:1: error: cannot lint this file: not a regular file (a folder, FIFO or device) [io-error]" /dev/null
# Standard input is a FIFO whose writer never writes: a run on files does not read it.
mkfifo "$tmp/silent"
sleep 120 >"$tmp/silent" &
writer=$!
expect "a run with a silent FIFO as standard input" 0 "" tree/a <"$tmp/silent"
kill "$writer" 2>/dev/null; wait "$writer" 2>/dev/null
rm -rf "$tmp/tree"

# Unreadable files and folders, as a user who cannot read them (root reads everything).
mkdir -p "$tmp/perm/closed" "$tmp/perm/listable" "$tmp/perm/open"
configmap a >"$tmp/perm/secret.yaml"
configmap b >"$tmp/perm/closed/inside.yaml"
configmap c >"$tmp/perm/listable/inside.yaml"
configmap d >"$tmp/perm/open/d.yaml"
chmod 000 "$tmp/perm/secret.yaml" "$tmp/perm/closed"
chmod 644 "$tmp/perm/listable"	# readable, not searchable: names but no files
as_user=()
as_svclint=$svclint
if [ "$(id -u)" = 0 ]; then
	as_user=(setpriv --reuid=nobody --regid="$(id -gn nobody 2>/dev/null || echo nogroup)" --clear-groups)
	# The build folder may sit below a folder nobody cannot enter (/root): run a copy.
	cp "$svclint" "$tmp/svclint-copy" && chmod 755 "$tmp/svclint-copy" && as_svclint=$tmp/svclint-copy
fi
out=$(cd "$tmp" && timeout 60 "${as_user[@]}" "$as_svclint" -q -j 2 perm 2>"$tmp/.stderr"); rc=$?
rm -f "$tmp/svclint-copy"
want="perm/closed:1:1: error: cannot lint this file: cannot read folder: Permission denied [io-error]
perm/listable/inside.yaml:1:1: error: cannot lint this file: cannot open: Permission denied [io-error]
perm/secret.yaml:1:1: error: cannot lint this file: cannot open: Permission denied [io-error]"
if [ "$rc" = 1 ] && [ "$out" = "$want" ]; then ok; else bad "unreadable files and folders: exit $rc"; diff <(echo "$want") <(echo "$out"); head -3 "$tmp/.stderr"; fi
chmod -R u+rwx "$tmp/perm"; rm -rf "$tmp/perm"

# Paths longer than PATH_MAX (4096 bytes): 40 folders of 120 characters each.
long=deep
for i in $(seq 1 40); do long="$long/$(printf 'd%03d%0116d' "$i" 0)"; done
(cd "$tmp" && mkdir -p "$long" 2>/dev/null) || (cd "$tmp" && IFS=/ && for part in $long; do mkdir -p "$part" && cd "$part" || exit 1; done)
(cd "$tmp" && IFS=/ && for part in $long; do cd "$part" || exit 1; done && printf 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  namespace: apps\n' >cm.yaml)
expect "a path longer than PATH_MAX" 1 "$long/cm.yaml:1:1: error: ConfigMap has no metadata.name (nor generateName): the API server rejects it, and nothing can refer to it; add metadata.name [missing-object-identity]" deep
rm -rf "$tmp/deep"

# ---- names and strings that need escaping ----------------------------------------------------------

mkdir -p "$tmp/names"
for name in 'with space.yaml' "quo\"te's.yaml" 'ünïcödé-名前.yaml' $'new\nline.yaml' $'tab\there.yaml' $'esc\e[31mred.yaml' $'bell\a.yaml' $'c1\xc2\x9b.yaml' $'bad-utf8-\xff.yaml'; do
	printf 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  namespace: apps\n' >"$tmp/names/$name"
done
want=$(cat <<'EOF'
names/bad-utf8-\xFF.yaml:1:1: error: ConfigMap has no metadata.name (nor generateName): the API server rejects it, and nothing can refer to it; add metadata.name [missing-object-identity]
names/bell\x07.yaml:1:1: error: ConfigMap has no metadata.name (nor generateName): the API server rejects it, and nothing can refer to it; add metadata.name [missing-object-identity]
names/c1\xC2\x9B.yaml:1:1: error: ConfigMap has no metadata.name (nor generateName): the API server rejects it, and nothing can refer to it; add metadata.name [missing-object-identity]
names/esc\x1B[31mred.yaml:1:1: error: ConfigMap has no metadata.name (nor generateName): the API server rejects it, and nothing can refer to it; add metadata.name [missing-object-identity]
names/new\x0Aline.yaml:1:1: error: ConfigMap has no metadata.name (nor generateName): the API server rejects it, and nothing can refer to it; add metadata.name [missing-object-identity]
names/quo"te's.yaml:1:1: error: ConfigMap has no metadata.name (nor generateName): the API server rejects it, and nothing can refer to it; add metadata.name [missing-object-identity]
names/tab\x09here.yaml:1:1: error: ConfigMap has no metadata.name (nor generateName): the API server rejects it, and nothing can refer to it; add metadata.name [missing-object-identity]
names/with space.yaml:1:1: error: ConfigMap has no metadata.name (nor generateName): the API server rejects it, and nothing can refer to it; add metadata.name [missing-object-identity]
names/ünïcödé-名前.yaml:1:1: error: ConfigMap has no metadata.name (nor generateName): the API server rejects it, and nothing can refer to it; add metadata.name [missing-object-identity]
EOF
)
expect "file names in text" 1 "$want" names
run -f json names
files=$(grep -o '"file":"[^"]*\(\\.[^"]*\)*"' <<<"$out" | tr '\n' '|')
want='"file":"names/bad-utf8-\ufffd.yaml"|"file":"names/bell\u0007.yaml"|"file":"names/c1\u009b.yaml"|"file":"names/esc\u001b[31mred.yaml"|"file":"names/new\nline.yaml"|"file":"names/quo\"te'"'"'s.yaml"|"file":"names/tab\there.yaml"|"file":"names/with space.yaml"|"file":"names/ünïcödé-名前.yaml"|'
if [ "$files" = "$want" ]; then ok; else bad "file names in JSON"; echo "  wanted: $want"; echo "  actual: $files"; fi
rm -rf "$tmp/names"

# Terminal escapes written as YAML escapes in every string svclint repeats in a message.
cat >"$tmp/escapes.yaml" <<'EOF'
apiVersion: v1
kind: Service
metadata:
  name: "evil\e]0;owned\a\e[2J\x9b31m\u202e"
  namespace: "ns\e[31m\r\n"
  labels: {"k\e[1m": "v\e[0m"}
spec:
  selector: {"app\e": "x\e"}
  ports:
  - name: "p\e[5m"
    port: "80\e"
    targetPort: "t\x07"
    protocol: "T\x1bCP"
---
apiVersion: v1
kind: Endpoints
metadata:
  name: "evil\e]0;owned\a\e[2J\x9b31m\u202e"
  namespace: "other\e"
subsets:
- addresses: [{ip: "10.0.0.\e1"}]
  ports: [{name: "q\e", port: 1}]
EOF
run escapes.yaml
if [ "$rc" = 1 ] && [ -n "$out" ] && ! LC_ALL=C grep -q $'[\x01-\x09\x0b-\x1f\x7f]\|\xc2[\x80-\x9f]' <<<"$out"; then ok; else bad "terminal escapes reach the text output raw (exit $rc)"; fi
run -f json escapes.yaml
if [ "$rc" = 1 ] && ! LC_ALL=C grep -q $'[\x01-\x1f\x7f]\|\xc2[\x80-\x9f]' <<<"$out" && python3 -c 'import json, sys; json.loads(sys.stdin.read())' <<<"$out"; then ok; else bad "the JSON output of terminal escapes is not exact JSON (exit $rc)"; fi
# Every other format, on the same strings and on the file names above: exact for its syntax.
mkdir -p "$tmp/names2"
for name in $'new\nline.yaml' $'esc\e[31mred.yaml' 'quo"te<&>.yaml' $'c1\xc2\x9b.yaml'; do
	printf 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  namespace: apps\n' >"$tmp/names2/$name"
done
for format in github junit sarif; do
	run -f "$format" escapes.yaml names2
	if [ "$rc" = 2 ] && grep -q "format" "$tmp/.stderr"; then
		continue	# not a format of this build
	fi
	if [ "$rc" != 1 ] || [ -z "$out" ] || LC_ALL=C grep -q $'[\x01-\x08\x0b\x0c\x0e-\x1f\x7f]\|\xc2[\x80-\x9f]' <<<"$out"; then
		bad "terminal escapes or control characters reach the $format output raw (exit $rc)"
		continue
	fi
	case "$format" in
	sarif) python3 -c 'import json, sys; json.loads(sys.stdin.read())' <<<"$out" || { bad "sarif output is not JSON"; continue; } ;;
	junit) python3 -c 'import sys, xml.etree.ElementTree as e; e.fromstring(sys.stdin.buffer.read())' <<<"$out" ||
		{ bad "junit output is not XML"; continue; } ;;
	github) if grep -qv '^::' <<<"$out"; then bad "a github line does not start with ::"; continue; fi ;;
	esac
	ok
done
rm -rf "$tmp/escapes.yaml" "$tmp/names2"

# ---- what svclint touches (strace) -----------------------------------------------------------------

if command -v strace >/dev/null 2>&1; then
	mkdir -p "$tmp/repo/manifests" "$tmp/repo/context" "$tmp/out"
	service one >"$tmp/repo/manifests/service.yaml"
	endpoints one >"$tmp/repo/context/endpoints.yaml"
	# LeakSanitizer stops threads with ptrace, which strace holds: no leak check in this run.
	(cd "$tmp/repo" && ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" timeout 60 strace -f -qq -o "$tmp/trace" -e trace=%file,%network,%desc -e signal=none \
		"$svclint" -q -f json -o "$tmp/out/report.json" --context context manifests >/dev/null 2>&1)
	# Writes: only the -o file (and standard output and error, which are not opened).
	writes=$(grep -E 'open(at)?\(.*O_(WRONLY|RDWR|CREAT)' "$tmp/trace" | grep -v "\"$tmp/out/report.json\"")
	if [ -z "$writes" ]; then ok; else bad "svclint opened for writing more than -o"; echo "$writes" | head -5; fi
	changes=$(grep -E '^[0-9]+ +(mkdir|mkdirat|unlink|unlinkat|rename|renameat2?|rmdir|chmod|fchmodat|chown|fchownat|link|linkat|symlink|symlinkat|truncate|utimensat|mknod|mknodat)\(' "$tmp/trace")
	if [ -z "$changes" ]; then ok; else bad "svclint changed the file system"; echo "$changes" | head -5; fi
	net=$(grep -E '^[0-9]+ +(socket|connect|bind|sendto|sendmsg|listen|accept4?)\(' "$tmp/trace")
	if [ -z "$net" ]; then ok; else bad "svclint used the network"; echo "$net" | head -5; fi
	# Reads: the paths given, the configuration (.svclint.yaml in the folder or above it), the run-time
	# linker's files, the time zone, /proc and /sys for the CPU count, and glibc malloc's overcommit setting.
	reads=$(grep -oE 'open(at)?\((AT_FDCWD|[0-9]+), "[^"]*"' "$tmp/trace" | sed -E 's/^[^"]*"//; s/"$//' | sort -u |
		grep -vE '^(manifests|context)(/|$)|^(\.\./)*\.svclint\.yaml$|^/etc/ld\.so\.|^/(usr/)?lib(64|32|x32)?/|^/proc/self/|^/sys/devices/system/cpu|^/usr/lib/locale/|^/etc/localtime$|^/proc/sys/vm/overcommit_memory$' |
		grep -vE "^$tmp/out/report\.json\$")
	if [ -z "$reads" ]; then ok; else bad "svclint read outside its paths"; echo "$reads" | head -5; fi
	rm -rf "$tmp/repo" "$tmp/out" "$tmp/trace"
else
	bad "strace is not installed (scripts/install-deps.sh installs it for make hostile)"
fi

echo "hostile: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
