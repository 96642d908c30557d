#!/bin/sh
# seeds.sh DIR: fills DIR with the fuzzer's seed corpus: every fixture input and example as it is,
# every folder case as one input with a "#file:NAME" line before each of its files (the format
# fuzz_lint.c splits), and the hand-written seeds in fuzz/seeds/.
set -eu
out=$1
root=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$out"
n=0
for f in "$root"/fixtures/*/* "$root"/examples/* "$root"/fuzz/seeds/*; do
	[ -e "$f" ] || continue
	case "$f" in
	*.expected|*.args|*.md) continue ;;
	esac
	n=$((n + 1))
	if [ -d "$f" ]; then
		(cd "$f" && find . -type f | LC_ALL=C sort | while IFS= read -r g; do
			printf '#file:%s\n' "${g#./}"
			cat "$g"
		done) > "$out/seed-$n"
	else
		cat "$f" > "$out/seed-$n"
	fi
done
echo "fuzz: $n seeds in $out"
