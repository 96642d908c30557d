#!/usr/bin/env bash
# editors.sh SVCLINT: svclint's output in a real Vim quickfix list, with Vim's default errorformat
# and with the one docs/editors.md gives: each entry's file, line, column (and type); related-location
# lines become entries at the related place, never entries with a wrong file name.
# Needs vim (Debian: vim); missing, it fails under CI=true.
set -u
svclint=$(realpath "${1:-build/svclint}")
root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0

if ! command -v vim >/dev/null 2>&1; then
	echo "editors: vim is missing (Debian: vim; scripts/install-deps.sh installs it)"
	if [ "${CI:-}" = true ]; then exit 1; fi
	echo "editors: SKIPPED outside CI"; exit 0
fi

mkdir -p "$tmp/repo/.git" "$tmp/repo/k8s" && cd "$tmp/repo" || exit 1
cat >k8s/etcd.yaml <<'YAML'
apiVersion: v1
kind: Service
metadata:
  name: etcd
  namespace: kube-system
spec:
  ports:
  - name: metrics
    port: 2379
---
apiVersion: v1
kind: Endpoints
metadata:
  name: etcd
subsets:
- addresses:
  - ip: 10.0.0.1
  ports:
  - name: metrics
    port: 2379
YAML

# qf EFM-SETUP: loads svclint's output (as :make would) and prints one line per entry:
# file|line|col|valid|type|text (the text cut to its first 41 characters).
qf() {
	local setup=$1
	"$svclint" -q --disable endpoints-deprecated k8s/etcd.yaml >"$tmp/out.txt"
	vim -N -u NONE -i NONE -es \
		-c "$setup" \
		-c "cgetfile $tmp/out.txt" \
		-c "redir! > $tmp/qf.txt" \
		-c 'for e in getqflist() | silent echo bufname(e.bufnr) . "|" . e.lnum . "|" . e.col . "|" . e.valid . "|" . e.type . "|" . e.text[0:40] | endfor' \
		-c 'redir END' -c 'qall!' </dev/null
	sed '/^$/d' "$tmp/qf.txt"
}

want_default="k8s/etcd.yaml|14|9|1|| warning: Endpoints 'etcd' has no metadat
k8s/etcd.yaml|4|9|1|| note: Service kube-system/etcd"
got=$(qf 'set errorformat&')
if [ "$got" = "$want_default" ]; then pass=$((pass + 1)); else echo "FAIL default errorformat:"; diff <(echo "$want_default") <(echo "$got"); fail=$((fail + 1)); fi

# The recipe's errorformat: types, and notes as notes.
efm=$(sed -n 's/^set errorformat=\(.*\)$/\1/p' "$root/docs/editors.md" | head -1)
want_recipe="k8s/etcd.yaml|14|9|1|w|Endpoints 'etcd' has no metadata.namespac
k8s/etcd.yaml|4|9|1|n|Service kube-system/etcd"
got=$(qf "set errorformat=$efm")
if [ -n "$efm" ] && [ "$got" = "$want_recipe" ]; then pass=$((pass + 1)); else echo "FAIL docs/editors.md errorformat ($efm):"; diff <(echo "$want_recipe") <(echo "$got"); fail=$((fail + 1)); fi

# :make with the recipe's makeprg, on an unsaved buffer sent through standard input.
got=$(vim -N -u NONE -i NONE -es -c "set errorformat=$efm" \
	-c "set makeprg=$(printf '%q' "$svclint")\\ -q\\ --disable\\ endpoints-deprecated\\ --stdin-filename\\ %\\ -\\ <%" \
	-c 'silent make' -c "redir! > $tmp/qf.txt" \
	-c 'for e in getqflist() | if e.valid | silent echo bufname(e.bufnr) . ":" . e.lnum . ":" . e.col . ":" . e.type | endif | endfor' \
	-c 'redir END' -c 'qall!' k8s/etcd.yaml </dev/null >/dev/null 2>&1; sed '/^$/d' "$tmp/qf.txt")
if [ "$got" = "$(printf 'k8s/etcd.yaml:14:9:w\nk8s/etcd.yaml:4:9:n')" ]; then pass=$((pass + 1)); else echo "FAIL :make: $got"; fail=$((fail + 1)); fi

# VS Code: the problem matcher's pattern from docs/editors.md (JavaScript and Python agree on it)
# matches every finding line with its parts, and no note line.
"$svclint" -q k8s/etcd.yaml >"$tmp/out.txt"
got=$(python3 - "$root/docs/editors.md" "$tmp/out.txt" <<'PY'
import json, re, sys
doc = open(sys.argv[1]).read()
tasks = json.loads(re.search(r"## VS Code.*?```json\n(.*?)```", doc, re.S).group(1))
pattern = tasks["tasks"][0]["problemMatcher"]["pattern"]
rx = re.compile(pattern["regexp"])
for line in open(sys.argv[2]).read().splitlines():
    m = rx.match(line)
    if m:
        print("|".join(m.group(pattern[k]) for k in ("file", "line", "column", "severity", "code")))
    else:
        print("no match: " + line[:30])
PY
)
want="k8s/etcd.yaml|12|7|info|endpoints-deprecated
k8s/etcd.yaml|14|9|warning|namespace-ambiguous-pair
no match:     k8s/etcd.yaml:4:9: note: S"
if [ "$got" = "$want" ]; then pass=$((pass + 1)); else echo "FAIL VS Code problem matcher:"; diff <(echo "$want") <(echo "$got"); fail=$((fail + 1)); fi

echo "editors: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
