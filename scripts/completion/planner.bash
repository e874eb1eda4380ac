# bash completion for planner(1); installed by `meson install` as
# share/bash-completion/completions/planner.  To try it from a checkout:
#   source scripts/completion/planner.bash
#
# Nothing planner knows is spelled here: the commands and their options
# come from the binary being completed (`planner names --commands`,
# `planner names --options COMMAND`), and the services, waves, clusters and
# groups from the rollout file on the command line (`planner names FILE
# KIND`), so the script follows planner as it grows.  What it does know is
# what the values of a few options are: --only and --with-* take services,
# --from-wave a wave, --clusters clusters and groups, --state-dir and -o a
# directory (graph's -o a file).

# _planner_run ARGS...: the planner being completed, quietly.
_planner_run()
{
	local bin=${_planner_words[0]}

	bin=${bin/#\~/$HOME}
	if [[ $bin != */* ]] || [[ ! -x $bin ]]; then
		bin=planner
	fi
	"$bin" "$@" 2>/dev/null </dev/null
}

# _planner_add PREFIX CUR WORDS...: adds to COMPREPLY each word that
# starts with CUR, with PREFIX before it.
_planner_add()
{
	local prefix=$1 cur=$2 w
	shift 2
	for w in "$@"; do
		[[ $w == "$cur"* ]] && COMPREPLY+=("$prefix$w")
	done
}

# _planner_list FILE KIND... VALUE: completes the last element of VALUE, a
# comma-separated list, with names of FILE, leaving out those listed.
_planner_list()
{
	local file=$1 value=${*: -1} head= last k name
	local -a names=() kinds=("${@:2:$#-2}")

	[[ -n $file && $file != - ]] || return
	if [[ $value == *,* ]]; then
		head=${value%,*},
	fi
	last=${value##*,}
	for k in "${kinds[@]}"; do
		while IFS= read -r name; do
			[[ ,$head == *",$name,"* ]] || names+=("$name")
		done < <(_planner_run names "${file/#\~/$HOME}" "$k")
	done
	_planner_add "$head" "$last" "${names[@]}"
}

# _planner_files CUR [PATTERN]: files (matching PATTERN) and directories.
_planner_files()
{
	local f

	if [[ -n ${2-} ]]; then
		while IFS= read -r f; do COMPREPLY+=("$f"); done \
		    < <(compgen -f -X "!$2" -- "$1")
		while IFS= read -r f; do COMPREPLY+=("$f"); done \
		    < <(compgen -d -- "$1")
	else
		while IFS= read -r f; do COMPREPLY+=("$f"); done \
		    < <(compgen -f -- "$1")
	fi
	compopt -o filenames 2>/dev/null
}

_planner()
{
	local -a _planner_words=() commands=() options=() valued=() args=()
	local i w cur bcur cword=0 cmd= opt= value file= keep seen=

	COMPREPLY=()
	# COMP_WORDBREAKS splits --only=a,b into '--only' '=' 'a,b': join them
	for ((i = 0; i < ${#COMP_WORDS[@]}; i++)); do
		w=${COMP_WORDS[i]}
		if ((i > 1)) && [[ ${_planner_words[-1]} == --* ]] &&
		    { [[ $w == = && ${_planner_words[-1]} != *=* ]] ||
		    [[ $w != = && ${_planner_words[-1]} == *= ]]; }; then
			_planner_words[-1]+=$w
		else
			_planner_words+=("$w")
		fi
		((i == COMP_CWORD)) && cword=$((${#_planner_words[@]} - 1))
	done
	cur=${_planner_words[cword]}
	# readline replaces the part of the word after its last break
	# character: keep is what comes before it
	bcur=${COMP_WORDS[COMP_CWORD]}
	[[ $bcur == = ]] && bcur=
	keep=${cur%"$bcur"}

	mapfile -t commands < <(_planner_run names --commands)
	for ((i = 1; i < cword; i++)); do
		w=${_planner_words[i]}
		if [[ $w != -* && " ${commands[*]} " == *" $w "* ]]; then
			cmd=$w
			break
		fi
	done
	if [[ -z $cmd ]]; then
		if [[ $cur == -* ]]; then
			for w in "${commands[@]}"; do
				mapfile -t -O ${#options[@]} options \
				    < <(_planner_run names --options "$w")
			done
			mapfile -t options < <(printf '%s\n' "${options[@]%=}" |
			    sort -u)
			_planner_add "" "$cur" "${options[@]}"
		else
			_planner_add "" "$cur" "${commands[@]}"
		fi
		_planner_keep "$keep"
		return 0
	fi

	# the options of the command, and those that take a value
	mapfile -t options < <(_planner_run names --options "$cmd")
	for w in "${options[@]}"; do
		[[ $w == *= ]] && valued+=("${w%=}")
	done
	valued+=(-o)	# --out's short form
	# the arguments before the word completed, the option whose value it
	# is, if any, and the FILE, which may come after it
	for ((i = 1; i < ${#_planner_words[@]}; i++)); do
		((i == cword)) && continue
		w=${_planner_words[i]}
		if [[ $w == --*=* ]]; then
			continue
		elif [[ $w == -?* ]]; then
			if [[ " ${valued[*]} " == *" $w "* ]]; then
				((i + 1 == cword)) && opt=$w
				((i++))
			fi
		elif [[ -z $seen && $w == "$cmd" ]]; then
			seen=1	# the command itself
		else
			[[ -n $file ]] || file=$w
			((i < cword)) && args+=("$w")
		fi
	done
	value=$cur
	if [[ -z $opt && $cur == --*=* ]]; then
		opt=${cur%%=*}
		value=${cur#*=}
	fi

	if [[ -n $opt ]]; then
		case $opt in
		--only | --with-needs | --with-dependents)
			_planner_list "$file" services "$value" ;;
		--from-wave)
			_planner_list "$file" waves "$value" ;;
		--clusters)
			_planner_list "$file" clusters groups "$value" ;;
		--options)
			_planner_add "" "$value" "${commands[@]}" ;;
		--state-dir)
			_planner_dirs "$value" ;;
		-o | --out)
			if [[ $cmd == graph ]]; then
				_planner_files "$value"
			else
				_planner_dirs "$value"
			fi ;;
		*)
			_planner_files "$value" ;;
		esac
		# the replies replace value, which follows --opt= in cur
		for i in "${!COMPREPLY[@]}"; do
			COMPREPLY[i]=${cur%"$value"}${COMPREPLY[i]}
		done
	elif [[ $cur == -* ]]; then
		_planner_add "" "$cur" "${options[@]%=}"
	elif [[ $cmd == names ]] && ((${#args[@]} == 1)); then
		# the kinds of 'planner names FILE KIND'
		_planner_add "" "$cur" services clusters groups waves
	elif [[ $cmd == fmt ]] || ((${#args[@]} == 0)); then
		_planner_files "$cur" '*.dsl'
	elif [[ -z $cur ]]; then
		# after the FILE: the options
		_planner_add "" "" "${options[@]%=}"
	fi
	_planner_keep "$keep"
	return 0
}

# _planner_keep KEEP: takes KEEP off the front of each reply, the part of
# the word that readline does not replace.
_planner_keep()
{
	local i

	[[ -n $1 ]] || return 0
	for i in "${!COMPREPLY[@]}"; do
		COMPREPLY[i]=${COMPREPLY[i]#"$1"}
	done
}

# _planner_dirs CUR: directories.
_planner_dirs()
{
	local f

	while IFS= read -r f; do COMPREPLY+=("$f"); done < <(compgen -d -- "$1")
	compopt -o filenames 2>/dev/null
}

complete -F _planner planner
