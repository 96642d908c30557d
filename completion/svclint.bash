# svclint.bash: bash completion for svclint (installed as share/bash-completion/completions/svclint).
# Options come from `svclint --help` and rule ids from `svclint --list-rules`, so they never drift.

_svclint_options()
{
	"$1" --help 2>/dev/null | sed -n 's/^  \(-., \)\{0,1\} *\(--[a-z-]*\).*/\2/p'
}

_svclint()
{
	local cur prev f
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD-1]}
	local svclint=${COMP_WORDS[0]}

	case $prev in
	--disable | --enable | --explain)
		local rules prefix=""
		rules=$("$svclint" --list-rules 2>/dev/null | awk '{print $1}')
		# RULE,RULE: complete the id after the last comma.
		if [[ $prev != --explain && $cur == *,* ]]; then
			prefix=${cur%,*},
		fi
		COMPREPLY=($(compgen -P "$prefix" -W "$rules" -- "${cur##*,}"))
		return
		;;
	-f | --format)
		# The formats svclint has, from its own complaint about one it has not.
		COMPREPLY=($(compgen -W "$("$svclint" --format '?' 2>&1 | sed -n 's/.*(\(.*\)).*/\1/p' | tr -d ,)" -- "$cur"))
		return
		;;
	--fail-on)
		COMPREPLY=($(compgen -W "error warning info never" -- "$cur"))
		return
		;;
	--color)
		COMPREPLY=($(compgen -W "auto always never" -- "$cur"))
		return
		;;
	-j | --jobs | --default-namespace | --kube-version | --stdin-filename)
		return
		;;
	--config | --baseline | --write-baseline | -o | --output | --context)
		COMPREPLY=($(compgen -f -- "$cur"))
		return
		;;
	esac
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$(_svclint_options "$svclint")" -- "$cur"))
		return
	fi
	# Manifests and folders.
	COMPREPLY=()
	while IFS= read -r f; do
		if [[ -d $f ]]; then
			COMPREPLY+=("$f")
		else
			case $f in *.yaml | *.yml | *.json) COMPREPLY+=("$f") ;; esac
		fi
	done < <(compgen -f -- "$cur")
}

complete -o filenames -o bashdefault -F _svclint svclint
