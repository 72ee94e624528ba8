# ci/flavour.sh - sourced by the workflow scripts: which build a finding came from, read from
# where it lies, for whatever the caller did not say.
#   findings/[batch-<date>/]<target>-<engine>[-seed][-up][-bug-<NAME>]/...   (make fuzz, fuzz-batch)
#   corpus/regressions/<target>/[seed/|open/]<name>                            (seed/: BOOTSTRAP=seed)
# flavour_guess FILE sets TARGET, ENGINE_FROM, BOOTSTRAP, NUMA and BUG (keeping values already
# set) and FLAVOUR, a phrase naming the build: "slub_ops, libFuzzer, bootstrap seed, !NUMA".

flavour_targets() { ls fuzz/slub_*.c | sed 's|fuzz/||; s|\.c$||'; }

flavour_guess() {
	local path=$1 part t re
	local g_target="" g_engine="" g_seed="" g_up="" g_bug=""
	IFS=/ read -r -a parts <<<"$path"
	for part in "${parts[@]}"; do
		for t in $(flavour_targets); do
			re="^$t-(libfuzzer|afl)(-seed)?(-up)?(-bug-([A-Z0-9_]+))?$"
			if [[ "$part" =~ $re ]]; then
				g_target=$t g_engine=${BASH_REMATCH[1]} g_seed=${BASH_REMATCH[2]}
				g_up=${BASH_REMATCH[3]} g_bug=${BASH_REMATCH[5]}
			elif [ "$part" = "$t" ] && [ -z "$g_target" ]; then
				g_target=$t
			fi
		done
		[ "$part" = seed ] && [[ "$path" == *regressions/* ]] && g_seed=-seed
	done
	TARGET=${TARGET:-${g_target:-slub_ops}}
	ENGINE_FROM=${g_engine:-}
	if [ -z "${BOOTSTRAP:-}" ]; then
		BOOTSTRAP=fixed
		[ -n "$g_seed" ] && BOOTSTRAP=seed
	fi
	if [ -z "${NUMA:-}" ]; then
		NUMA=1
		[ -n "$g_up" ] && NUMA=0
	fi
	BUG=${BUG:-$g_bug}
	FLAVOUR="$TARGET"
	case "$ENGINE_FROM" in
	libfuzzer) FLAVOUR="$FLAVOUR, found by libFuzzer (ASan+UBSan)" ;;
	afl) FLAVOUR="$FLAVOUR, found by AFL++ (ASan+UBSan)" ;;
	esac
	FLAVOUR="$FLAVOUR, bootstrap $BOOTSTRAP"
	[ "$NUMA" = 0 ] && FLAVOUR="$FLAVOUR, !CONFIG_NUMA"
	[ -n "$BUG" ] && FLAVOUR="$FLAVOUR, BUG=$BUG compiled in"
	return 0
}

# flavour_suffix: the build directories' suffix for BOOTSTRAP, NUMA and BUG (fuzz/fuzz.mk)
flavour_suffix() {
	local s=""
	[ "$BOOTSTRAP" = seed ] && s=-seed
	[ "$NUMA" = 0 ] && s="$s-up"
	[ -n "${BUG:-}" ] && s="$s-bug-$BUG"
	echo "$s"
}

# flavour_make_args: the same choice as make variables
flavour_make_args() { echo "BOOTSTRAP=$BOOTSTRAP NUMA=$NUMA BUG=${BUG:-}"; }
