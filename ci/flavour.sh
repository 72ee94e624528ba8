# ci/flavour.sh - sourced by the workflow scripts: which build a finding came from, for
# whatever the caller did not say, and the known findings its replay passes over.
# The build travels with the finding. Where it is read from, first found wins:
#   <input>.build                       a sidecar beside the input (make minimize writes one)
#   "# build: key=value ..." in a text program (make minimize's .min.txt, slubprog text -c)
#   build                               in the input's folder or one above it (make fuzz writes
#                                       findings/<flavour>/build, fuzz-batch copies it)
#   the path, for files without any of these:
#   findings/[batch-<date>/]<target>-<engine>[-seed][-up][-bug-<NAME>]/...   (make fuzz, fuzz-batch)
#   findings/minimized|repro/<target>[-<engine>][-seed][-up][-bug-<NAME>]/...  (derived files)
#   corpus/regressions/<target>/[seed/|open/]<name>                            (seed/: BOOTSTRAP=seed)
#   clusterfuzz-testcase[-minimized]-<target>-<id>                             (OSS-Fuzz, CFLite)
# A build line is "target=<t> engine=<e> bootstrap=<b> numa=<0|1> bug=<NAME or empty> san=<s>"
# (flavour_build_line). A variable given on the command line wins, with a one-line note when it
# contradicts what the finding records.
# flavour_guess FILE sets TARGET, ENGINE_FROM, BOOTSTRAP, NUMA, BUG and SAN (keeping values
# already set), checks them (make refuses a flavour that does not exist: die), and sets
# SUFFIX, the build directories' suffix (fuzz/fuzz.mk's FZ_VSUFFIX), FLAVOUR, a phrase naming
# the build ("slub_ops, found by libFuzzer (ASan+UBSan), bootstrap seed, !CONFIG_NUMA") and
# FLAVOUR_DIR, <target>[-<engine>]<suffix>, the folder name files derived from it go under.
# known_setup (after the flavour) picks the known list: KNOWN=<file>, KNOWN=none, or
# corpus/known/<bootstrap>.txt when it exists; exported as SLUBFUZZ_KNOWN (fuzz/known.c).

# (needs ci/testlib.sh: die)
flavour_targets() { ls fuzz/slub_*.c | sed 's|fuzz/||; s|\.c$||'; }

# flavour_read_build FILE: sets FLAVOUR_LINE to the build line recorded for FILE (sidecar, text
# header, folder), or to nothing, and FLAVOUR_SOURCE to where it was found
flavour_read_build() {
	local f=$1 d line
	FLAVOUR_SOURCE="" FLAVOUR_LINE=""
	if [ -f "$f.build" ]; then
		FLAVOUR_SOURCE="$f.build" FLAVOUR_LINE=$(head -1 "$f.build")
		return
	fi
	if [ -f "$f" ] && [ "$(head -c 9 "$f" 2>/dev/null | tr -d '\0')" = "#slubprog" ] &&
		line=$(grep -m1 -aE '^# build: ' "$f"); then
		FLAVOUR_SOURCE="its # build: line" FLAVOUR_LINE=${line#\# build: }
		return
	fi
	d=$(dirname "$f")
	for _ in 1 2 3; do
		if [ -f "$d/build" ] && grep -qE '^target=' "$d/build"; then
			FLAVOUR_SOURCE="$d/build" FLAVOUR_LINE=$(head -1 "$d/build")
			return
		fi
		[ "$d" = . ] || [ "$d" = / ] && break
		d=$(dirname "$d")
	done
}

# flavour_build_line: the build of the current flavour as one line (what a sidecar holds)
flavour_build_line() {
	echo "target=$TARGET engine=${ENGINE_FROM:-} bootstrap=$BOOTSTRAP numa=$NUMA bug=${BUG:-} san=asan"
}

flavour_guess() {
	local path=$1 part t re line kv k v
	FLAVOUR_OVERRIDDEN="" # what the finding records that a given variable overrode
	local g_target="" g_engine="" g_seed="" g_up="" g_bug="" g_from=""
	local r_target="" r_bs="" r_numa="" r_bug=""
	IFS=/ read -r -a parts <<<"$path"
	for part in "${parts[@]}"; do
		for t in $(flavour_targets); do
			re="^$t(-(libfuzzer|afl))?(-seed)?(-up)?(-bug-([A-Z0-9_]+))?$"
			if [[ "$part" =~ $re ]] && [ "$part" != "$t" ]; then
				g_target=$t g_engine=${BASH_REMATCH[2]} g_seed=${BASH_REMATCH[3]}
				g_up=${BASH_REMATCH[4]} g_bug=${BASH_REMATCH[6]} g_from="its folder's name"
			elif [ "$part" = "$t" ] && [ -z "$g_target" ]; then
				g_target=$t
				[[ "$path" == *regressions/* ]] && g_from="its folder's name"
			fi
		done
		[ "$part" = seed ] && [[ "$path" == *regressions/* ]] && g_seed=-seed
	done
	# a ClusterFuzz testcase names its target: clusterfuzz-testcase-minimized-slub_boot-5736...
	for t in $(flavour_targets); do
		re="^clusterfuzz-testcase(-minimized)?-$t-"
		[[ "$(basename "$path")" =~ $re ]] && g_target=$t
	done
	[ -n "$g_from" ] && { r_target=$g_target r_bs=fixed r_numa=1 r_bug=$g_bug; }
	[ -n "$g_from" ] && [ -n "$g_seed" ] && r_bs=seed
	[ -n "$g_from" ] && [ -n "$g_up" ] && r_numa=0
	# what the finding itself records wins over its path
	flavour_read_build "$path"
	if [ -n "$FLAVOUR_LINE" ]; then
		g_from=$FLAVOUR_SOURCE
		for kv in $FLAVOUR_LINE; do
			k=${kv%%=*} v=${kv#*=}
			case "$k" in
			target) r_target=$v g_target=$v ;;
			engine) g_engine=$v ;;
			bootstrap) r_bs=$v ;;
			numa) r_numa=$v ;;
			bug) r_bug=$v ;;
			esac
		done
	fi
	# a variable given that contradicts the record: said, then done as asked
	flavour_note TARGET "$r_target" "$g_from" "$path"
	flavour_note BOOTSTRAP "$r_bs" "$g_from" "$path"
	flavour_note NUMA "$r_numa" "$g_from" "$path"
	[ -n "$g_from" ] && flavour_note BUG "${r_bug:-}" "$g_from" "$path"
	TARGET=${TARGET:-${r_target:-${g_target:-slub_ops}}}
	ENGINE_FROM=${g_engine:-}
	BOOTSTRAP=${BOOTSTRAP:-${r_bs:-fixed}}
	NUMA=${NUMA:-${r_numa:-1}}
	BUG=${BUG:-$r_bug}
	flavour_settle
}

# flavour_note VAR RECORDED SOURCE FILE: one line when the caller's VAR contradicts the record
flavour_note() {
	local var=$1 rec=$2 src=$3 f=$4 given
	given=${!var:-}
	[ -n "$src" ] && [ -n "$given" ] && [ "$given" != "$rec" ] || return 0
	[ "$var" = BUG ] && [ -z "$rec" ] && rec="none"
	[ "$var" = BUG ] || [ -n "$rec" ] || return 0
	FLAVOUR_OVERRIDDEN="${FLAVOUR_OVERRIDDEN:-}${FLAVOUR_OVERRIDDEN:+, }$var=$rec"
	given="${FLAVOUR_WHO:-note}: note: $f came from $var=$rec (from $src); running it with $var=$given as asked"
	# (triage collects them: one a file would be too many)
	if [ -n "${FLAVOUR_NOTES:-}" ]; then echo "$given" >>"$FLAVOUR_NOTES"; else echo "$given" >&2; fi
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
	FLAVOUR="$FLAVOUR, bootstrap $BOOTSTRAP"
	[ "$NUMA" = 0 ] && FLAVOUR="$FLAVOUR, !CONFIG_NUMA"
	[ -n "$BUG" ] && FLAVOUR="$FLAVOUR, BUG=$BUG compiled in"
	case "$SAN" in msan) FLAVOUR="$FLAVOUR; replayed with MSan" ;; ubsan) FLAVOUR="$FLAVOUR; replayed with UBSan alone" ;; esac
	return 0
}

# flavour_make_args: the same choice as make variables
flavour_make_args() { echo "BOOTSTRAP=$BOOTSTRAP NUMA=$NUMA BUG=${BUG:-}"; }

# known_setup: the known findings a replay of this flavour passes over (fuzz/known.c): KNOWN
# (a file, or none), else corpus/known/<bootstrap>.txt when it exists. Sets KNOWN_FILE (empty:
# none) and KNOWN_ARG (what a reproduce line must say: empty for the default), exports
# SLUBFUZZ_KNOWN. Refuses a KNOWN file that does not exist (before anything is built).
known_setup() {
	local k=${KNOWN:-} def=""
	[ -f "corpus/known/$BOOTSTRAP.txt" ] && def="corpus/known/$BOOTSTRAP.txt"
	KNOWN_ARG=""
	if [ -z "$k" ]; then
		k=$def
	elif [ "$k" != "$def" ]; then
		KNOWN_ARG=$k
		[ "$k" = none ] && [ -z "$def" ] && KNOWN_ARG=""
	fi
	[ "$k" = none ] && k=""
	[ -z "$k" ] || [ -f "$k" ] || die "KNOWN=$k: no such file (KNOWN=none for no known findings; the format: corpus/known/seed.txt)"
	KNOWN_FILE=$k
	if [ -n "$k" ]; then
		SLUBFUZZ_KNOWN=$(realpath "$k")
		export SLUBFUZZ_KNOWN
	else
		unset SLUBFUZZ_KNOWN
	fi
	unset SLUBFUZZ_KNOWN_DIR
}

# flavour_repro FILE: the command that reproduces FILE in this flavour, with its known list
flavour_repro() {
	echo "make repro CRASH=$1 TARGET=$TARGET BOOTSTRAP=$BOOTSTRAP$([ "$NUMA" = 0 ] && echo ' NUMA=0')$([ -n "$BUG" ] && echo " BUG=$BUG")$([ "$SAN" != asan ] && echo " SAN=$SAN")$([ -n "${KNOWN_ARG:-}" ] && echo " KNOWN=$KNOWN_ARG")"
}

# known_passed LOG: the known findings a replay passed over, "NAME, NAME" (empty: none)
known_passed() { grep -aoE '==slubfuzz== KNOWN [A-Za-z0-9_]+' "$1" | awk '!s[$3]++ { print $3 }' | paste -sd, - | sed 's/,/, /g'; }
