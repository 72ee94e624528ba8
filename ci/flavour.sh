# ci/flavour.sh - sourced by the workflow scripts: which build a finding came from, read from
# where it lies, for whatever the caller did not say.
#   findings/[batch-<date>/]<target>-<engine>[-seed][-up][-bug-<NAME>]/...   (make fuzz, fuzz-batch)
#   findings/minimized|repro/<target>[-<engine>][-seed][-up][-bug-<NAME>]/...  (derived files)
#   corpus/regressions/<target>/[seed/|open/]<name>                            (seed/: BOOTSTRAP=seed)
#   clusterfuzz-testcase[-minimized]-<target>-<id>                             (OSS-Fuzz, CFLite)
# flavour_guess FILE sets TARGET, ENGINE_FROM, BOOTSTRAP, NUMA, BUG and SAN (keeping values
# already set), checks them (make refuses a flavour that does not exist: die), and sets
# SUFFIX, the build directories' suffix (fuzz/fuzz.mk's FZ_VSUFFIX), FLAVOUR, a phrase naming
# the build ("slub_ops, found by libFuzzer (ASan+UBSan), bootstrap seed, !CONFIG_NUMA") and
# FLAVOUR_DIR, <target>[-<engine>]<suffix>, the folder name files derived from it go under.

# (needs ci/testlib.sh: die)
flavour_targets() { ls fuzz/slub_*.c | sed 's|fuzz/||; s|\.c$||'; }

flavour_guess() {
	local path=$1 part t re
	local g_target="" g_engine="" g_seed="" g_up="" g_bug=""
	IFS=/ read -r -a parts <<<"$path"
	for part in "${parts[@]}"; do
		for t in $(flavour_targets); do
			re="^$t(-(libfuzzer|afl))?(-seed)?(-up)?(-bug-([A-Z0-9_]+))?$"
			if [[ "$part" =~ $re ]] && [ "$part" != "$t" ]; then
				g_target=$t g_engine=${BASH_REMATCH[2]} g_seed=${BASH_REMATCH[3]}
				g_up=${BASH_REMATCH[4]} g_bug=${BASH_REMATCH[6]}
			elif [ "$part" = "$t" ] && [ -z "$g_target" ]; then
				g_target=$t
			fi
		done
		[ "$part" = seed ] && [[ "$path" == *regressions/* ]] && g_seed=-seed
	done
	# a ClusterFuzz testcase names its target: clusterfuzz-testcase-minimized-slub_boot-5736...
	for t in $(flavour_targets); do
		re="^clusterfuzz-testcase(-minimized)?-$t-"
		[[ "$(basename "$path")" =~ $re ]] && g_target=$t
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
	flavour_settle
}

# flavour_settle: checks TARGET, BOOTSTRAP, NUMA, BUG and SAN (die on one that does not exist)
# and sets SUFFIX, FLAVOUR_DIR and FLAVOUR from them and ENGINE_FROM
flavour_settle() {
	SAN=${SAN:-asan} BUG=${BUG:-} ENGINE_FROM=${ENGINE_FROM:-}
	[ -f "fuzz/$TARGET.c" ] || die "unknown TARGET=$TARGET (targets: $(flavour_targets | tr '\n' ' '))"
	case "$SAN" in asan | msan | ubsan) ;; *) die "SAN must be asan, msan or ubsan, not '$SAN'" ;; esac
	# the suffix is fuzz.mk's, which also refuses a BOOTSTRAP, NUMA or BUG that does not exist
	SUFFIX=$(make -s --no-print-directory print-FZ_VSUFFIX BOOTSTRAP="$BOOTSTRAP" NUMA="$NUMA" \
		BUG="$BUG" 2>&1) || die "${SUFFIX#*\*\*\* }"
	FLAVOUR_DIR=$TARGET${ENGINE_FROM:+-$ENGINE_FROM}$SUFFIX
	FLAVOUR="$TARGET"
	case "$ENGINE_FROM" in
	libfuzzer) FLAVOUR="$FLAVOUR, found by libFuzzer (ASan+UBSan)" ;;
	afl) FLAVOUR="$FLAVOUR, found by AFL++ (ASan+UBSan)" ;;
	esac
	case "$SAN" in msan) FLAVOUR="$FLAVOUR, MSan" ;; ubsan) FLAVOUR="$FLAVOUR, UBSan" ;; esac
	FLAVOUR="$FLAVOUR, bootstrap $BOOTSTRAP"
	[ "$NUMA" = 0 ] && FLAVOUR="$FLAVOUR, !CONFIG_NUMA"
	[ -n "$BUG" ] && FLAVOUR="$FLAVOUR, BUG=$BUG compiled in"
	return 0
}

# flavour_make_args: the same choice as make variables
flavour_make_args() { echo "BOOTSTRAP=$BOOTSTRAP NUMA=$NUMA BUG=${BUG:-}"; }

# flavour_repro: the command that reproduces FILE in this flavour
flavour_repro() {
	echo "make repro CRASH=$1 TARGET=$TARGET BOOTSTRAP=$BOOTSTRAP$([ "$NUMA" = 0 ] && echo ' NUMA=0')$([ -n "$BUG" ] && echo " BUG=$BUG")$([ "$SAN" != asan ] && echo " SAN=$SAN")"
}
