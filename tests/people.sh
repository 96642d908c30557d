#!/usr/bin/env bash
# people.sh SVCLINT: what people meet first: --version, --help from the option table, the man page
# and the bash completion (the same options, installed by make install), --color with NO_COLOR and
# the source line with a caret in a colour terminal.  Needs groff (Debian: groff-base) and script
# (bsdutils); missing, it fails under CI=true.
set -u
svclint=$(realpath "${1:-build/svclint}")
root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL $*"; fail=$((fail + 1)); }

for tool in groff script; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "people: $tool is missing (Debian: groff-base, bsdutils; scripts/install-deps.sh installs them)"
		if [ "${CI:-}" = true ]; then exit 1; fi
		echo "people: SKIPPED outside CI"; exit 0
	fi
done

[ "$("$svclint" --version)" = "svclint 0.1.0" ] && ok || bad "--version"

# One list of options: --help (printed from the table), the man page, the completion.
help_options=$("$svclint" --help | sed -n 's/^  \(-., \)\{0,1\} *\(--[a-z-]*\).*/\2/p')
[ "$(wc -l <<<"$help_options")" -ge 20 ] && ok || bad "--help lists $(wc -l <<<"$help_options") options"
man_options=$(sed -n '/^\.SH OPTIONS/,/^\.SH /p' "$root/docs/svclint.1" | sed -n '/^\.TP/{n;s/.*\\fB\\-\\-\([a-z\\-]*\)\\fR.*/--\1/p;}' | sed 's/\\-/-/g')
diff <(echo "$help_options") <(echo "$man_options") >/dev/null && ok || { bad "man page options differ from --help:"; diff <(echo "$help_options") <(echo "$man_options"); }
warnings=$(groff -man -ww -z "$root/docs/svclint.1" 2>&1)
[ -z "$warnings" ] && ok || bad "groff: $warnings"
groff -man -Tutf8 "$root/docs/svclint.1" 2>/dev/null | grep -q 'FILE:LINE:COL: SEVERITY: MESSAGE \[RULE\]' && ok || bad "the man page does not render"

# The completion, as bash runs it.
complete_words() {	# complete_words WORD...: what svclint's completion offers for the last word
	(
		PATH="$(dirname "$svclint"):$PATH"
		cd "$tmp/files" || exit 1
		# shellcheck source=/dev/null
		. "$root/completion/svclint.bash"
		COMP_WORDS=(svclint "$@")
		COMP_CWORD=$#
		_svclint
		printf '%s\n' "${COMPREPLY[@]}" | sort
	)
}
mkdir -p "$tmp/files/sub"
touch "$tmp/files/a.yaml" "$tmp/files/b.json" "$tmp/files/notes.txt"
[ "$(complete_words --)" = "$(sort <<<"$help_options")" ] && ok || bad "completion of -- differs from --help"
[ "$(complete_words --form)" = "--format" ] && ok || bad "completion of --form: $(complete_words --form)"
[ "$(complete_words -f s)" = "sarif" ] && ok || bad "completion of -f s: $(complete_words -f s)"
[ "$(complete_words --disable endpoints-dep)" = "endpoints-deprecated" ] && ok || bad "completion of a rule"
[ "$(complete_words --enable yaml-syntax,endpoints-dep)" = "yaml-syntax,endpoints-deprecated" ] && ok \
	|| bad "completion of a second rule: $(complete_words --enable yaml-syntax,endpoints-dep)"
[ "$(complete_words --color a)" = "$(printf 'always\nauto')" ] && ok || bad "completion of --color"
[ "$(complete_words '')" = "$(printf 'a.yaml\nb.json\nsub')" ] && ok || bad "completion of paths: $(complete_words '')"

# make install puts all three in place, under DESTDIR and PREFIX.
if make -s -C "$root" BUILD="$(dirname "$svclint")" DESTDIR="$tmp/dest" PREFIX=/usr install >"$tmp/install.log" 2>&1 &&
	[ -x "$tmp/dest/usr/bin/svclint" ] && cmp -s "$tmp/dest/usr/share/man/man1/svclint.1" "$root/docs/svclint.1" &&
	cmp -s "$tmp/dest/usr/share/bash-completion/completions/svclint" "$root/completion/svclint.bash"; then
	ok
else
	bad "make install"; cat "$tmp/install.log"
fi
make -s -C "$root" BUILD="$(dirname "$svclint")" DESTDIR="$tmp/dest" PREFIX=/usr uninstall >/dev/null 2>&1
[ -z "$(find "$tmp/dest" -type f)" ] && ok || bad "make uninstall leaves $(find "$tmp/dest" -type f)"

# Colour.
cd "$tmp" || exit 1
printf 'apiVersion: v1\nkind: Endpoints\nmetadata:\n  name: orphan\n  namespace: apps\n' >e.yaml
esc=$(printf '\033')
plain=$("$svclint" -q --disable endpoints-deprecated e.yaml)
[[ $plain != *"$esc"* ]] && ok || bad "colour in a pipe"
[[ $(NO_COLOR= TERM=xterm "$svclint" -q --color never e.yaml) != *"$esc"* ]] && ok || bad "--color never"
always=$(NO_COLOR=1 TERM=dumb "$svclint" -q --disable endpoints-deprecated --color always e.yaml)
want="${esc}[1me.yaml:4:9: ${esc}[1;35mwarning:${esc}[0m no Service 'orphan' in namespace 'apps' owns this Endpoints: it is never mirrored to an EndpointSlice, so no traffic reaches it, and the endpoints controller may delete it; add the selectorless Service or fix the name or namespace [endpoints-no-service]
    4 |   name: orphan
      |         ${esc}[1;32m^${esc}[0m"
[ "$always" = "$want" ] && ok || { bad "--color always:"; diff <(echo "$want") <(echo "$always") | cat -v; }
# auto: colour on a terminal (script gives one), none with NO_COLOR or TERM=dumb.
tty_run() { script -qec "$1" /dev/null </dev/null | tr -d '\r'; }
[ "$(TERM=xterm NO_COLOR= tty_run "'$svclint' -q --disable endpoints-deprecated e.yaml")" = "$want" ] && ok || bad "--color auto on a terminal"
[ "$(TERM=xterm NO_COLOR=1 tty_run "'$svclint' -q --disable endpoints-deprecated e.yaml")" = "$plain" ] && ok || bad "NO_COLOR on a terminal"
[ "$(TERM=dumb NO_COLOR= tty_run "'$svclint' -q --disable endpoints-deprecated e.yaml")" = "$plain" ] && ok || bad "TERM=dumb on a terminal"
# Standard input keeps its text for the snippet.
[ "$(TERM=xterm NO_COLOR= tty_run "'$svclint' -q --disable endpoints-deprecated --stdin-filename e.yaml - <e.yaml")" = "$want" ] && ok || bad "snippet from standard input"
[ "$("$svclint" -q --color sometimes e.yaml 2>&1)" = "svclint: --color takes auto, always or never, not 'sometimes'
Try 'svclint --help'." ] && ok || bad "--color sometimes"

echo "people: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
