#!/usr/bin/env bash
# formats.sh SVCLINT: the CI formats.  SARIF 2.1.0 valid against the OASIS schema, with rule help,
# exact regions, related locations and fingerprints that survive line shifts; JUnit XML that parses,
# a failure per error; GitHub workflow commands; the helm template of a finding in every format.
# Needs python3 with jsonschema (Debian: python3-jsonschema); missing, it fails under CI=true.
set -u
svclint=$(realpath "${1:-build/svclint}")
root=$(cd "$(dirname "$0")/.." && pwd)
schema="$root/tests/data/sarif-schema-2.1.0.json"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL $*"; fail=$((fail + 1)); }

python=""
for p in python3 /usr/bin/python3; do
	if "$p" -c 'import jsonschema' >/dev/null 2>&1; then python=$p; break; fi
done
if [ -z "$python" ]; then
	echo "formats: python3 with jsonschema is missing (Debian: python3-jsonschema; scripts/install-deps.sh installs it)"
	if [ "${CI:-}" = true ]; then exit 1; fi
	echo "formats: SKIPPED outside CI"; exit 0
fi

cd "$tmp"
# A helm template stream: two templates, an Endpoints whose port name is off by one letter (reported
# on the Service's port, rendered from service.yaml, with a note on the Endpoints' port).
cat >rendered.yaml <<'YAML'
---
# Source: etcd/templates/service.yaml
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
# Source: etcd/templates/service.yaml
apiVersion: v1
kind: Endpoints
metadata:
  name: etcd
  namespace: kube-system
subsets:
- addresses:
  - ip: 10.0.0.1
  ports:
  - name: metric
    port: 2379
YAML

# ---- SARIF ----
"$svclint" -q -f sarif --disable endpoints-deprecated rendered.yaml >a.sarif
rc=$?
[ "$rc" = 1 ] && ok || bad "sarif: exit $rc, wanted 1"
# Lines shifted: a comment and blank lines above everything.
{ printf '# moved down by three lines\n\n\n'; cat rendered.yaml; } >shifted.yaml
cp rendered.yaml keep.yaml && cp shifted.yaml rendered.yaml
"$svclint" -q -f sarif --disable endpoints-deprecated rendered.yaml >b.sarif
cp keep.yaml rendered.yaml
"$python" - "$schema" a.sarif b.sarif <<'PY' || fail=$((fail + 1))
import json, sys, jsonschema
schema = json.load(open(sys.argv[1]))
a, b = json.load(open(sys.argv[2])), json.load(open(sys.argv[3]))
problems = []
for name, doc in (("a", a), ("b", b)):
    for e in jsonschema.Draft4Validator(schema).iter_errors(doc):
        problems.append("%s: schema: %s at %s" % (name, e.message, list(e.absolute_path)))
run = a["runs"][0]
rules = run["tool"]["driver"]["rules"]
ids = [r["id"] for r in rules]
want_rule = "endpoints-port-unmatched"
if want_rule not in ids:
    problems.append("no descriptor for " + want_rule)
else:
    d = rules[ids.index(want_rule)]
    if not d["help"]["text"].startswith(d["shortDescription"]["text"] + "\n\nWhy: "):
        problems.append("help text is not built from the descriptor: " + d["help"]["text"][:80])
if run.get("columnKind") != "unicodeCodePoints":
    problems.append("columnKind is %r" % run.get("columnKind"))
results = [r for r in run["results"] if r["ruleId"] == want_rule]
if len(results) != 1:
    problems.append("%d %s results" % (len(results), want_rule))
else:
    r = results[0]
    if ids[r["ruleIndex"]] != want_rule:
        problems.append("ruleIndex points elsewhere")
    loc = r["locations"][0]["physicalLocation"]
    if loc["artifactLocation"]["uri"] != "rendered.yaml" or loc["region"] != {"startLine": 10, "startColumn": 5}:
        problems.append("location %r" % loc)
    rel = [(x["physicalLocation"]["region"]["startLine"], x["physicalLocation"]["region"]["startColumn"], x["message"]["text"]) for x in r.get("relatedLocations", [])]
    if not rel or rel[0][:2] != (23, 5):
        problems.append("related locations %r" % rel)
    if not r["message"]["text"].endswith("(from template etcd/templates/service.yaml)"):
        problems.append("message does not name the template: " + r["message"]["text"][-60:])
    if r.get("properties", {}).get("template") != "etcd/templates/service.yaml":
        problems.append("properties.template is %r" % r.get("properties"))
fa = {(x["ruleId"], x["message"]["text"]): x["partialFingerprints"]["svclint/v1"] for x in run["results"]}
fb = {(x["ruleId"], x["message"]["text"]): x["partialFingerprints"]["svclint/v1"] for x in b["runs"][0]["results"]}
la = sorted(x["locations"][0]["physicalLocation"]["region"]["startLine"] for x in run["results"])
lb = sorted(x["locations"][0]["physicalLocation"]["region"]["startLine"] for x in b["runs"][0]["results"])
if not fa or fa != fb:
    problems.append("fingerprints changed with the line shift: %r %r" % (fa, fb))
if [l + 3 for l in la] != lb:
    problems.append("the shift did not move the lines: %r %r" % (la, lb))
for p in problems:
    print("FAIL sarif:", p)
sys.exit(1 if problems else 0)
PY
[ $? = 0 ] && ok
# An empty run is valid SARIF too.
printf 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n' >clean.yaml
"$svclint" -q -f sarif clean.yaml >c.sarif
"$python" -c 'import json,sys,jsonschema; d=json.load(open("c.sarif")); jsonschema.Draft4Validator(json.load(open(sys.argv[1]))).validate(d); sys.exit(0 if d["runs"][0]["results"] == [] else 1)' "$schema" \
	&& ok || bad "sarif: a clean run"

# ---- JUnit ----
"$svclint" -q -f junit --disable endpoints-deprecated rendered.yaml clean.yaml >a.xml
"$python" - a.xml <<'PY' && ok || bad "junit"
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
assert root.tag == "testsuites", root.tag
suites = {s.get("name"): s for s in root.findall("testsuite")}
assert sorted(suites) == ["clean.yaml", "rendered.yaml"], sorted(suites)
clean = suites["clean.yaml"]
assert clean.get("failures") == "0" and [c.get("name") for c in clean.findall("testcase")] == ["svclint"]
cases = suites["rendered.yaml"].findall("testcase")
failures = [c for c in cases if c.find("failure") is not None]
assert int(root.get("failures")) == len(failures) == int(suites["rendered.yaml"].get("failures")) >= 1
f = [c for c in failures if c.get("name").startswith("endpoints-port-unmatched 10:5 Service kube-system/etcd")]
assert len(f) == 1, [c.get("name") for c in cases]
body = f[0].find("failure").text
assert body.startswith("rendered.yaml:10:5: error: "), body
assert "(from template etcd/templates/service.yaml) [endpoints-port-unmatched]\n    rendered.yaml:23:5: note: " in body, body
PY

# ---- GitHub ----
out=$("$svclint" -q -f github --disable endpoints-deprecated rendered.yaml)
line=$(grep '^::error file=rendered.yaml,line=10,col=5,title=endpoints-port-unmatched::' <<<"$out")
if [ -n "$line" ] && grep -q '(from template etcd/templates/service.yaml)%0Arendered.yaml:23:5: note: ' <<<"$line" \
	&& [ "$(wc -l <<<"$out")" = "$(grep -c '^::\(error\|warning\|notice\) file=' <<<"$out")" ]; then
	ok
else
	bad "github: $out"
fi
# Escaping: a file name with ',' and ':' and a message with '%'.
mkdir -p 'odd,dir:x'
printf 'apiVersion: v1\nkind: Endpoints\nmetadata:\n  name: "100%%"\n  namespace: a\n' >'odd,dir:x/e.yaml'
out=$("$svclint" -q -f github --disable endpoints-deprecated 'odd,dir:x/e.yaml' | head -1)
case "$out" in
"::error file=odd%2Cdir%3Ax/e.yaml,line=4,col=9,title=endpoints-no-service::Endpoints name '100%25' is invalid"*) ok ;;
*) bad "github escaping: $out" ;;
esac

# ---- text and JSON name the template too ----
out=$("$svclint" -q --disable endpoints-deprecated rendered.yaml | grep '^rendered.yaml:10:5: ')
case "$out" in
*" (from template etcd/templates/service.yaml) [endpoints-port-unmatched]") ok ;;
*) bad "text template: $out" ;;
esac
out=$("$svclint" -q -f json --disable endpoints-deprecated rendered.yaml)
grep -q '"line":10,"column":5,"message":"[^"]*","template":"etcd/templates/service.yaml"' <<<"$out" && ok || bad "json template"

echo "formats: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
