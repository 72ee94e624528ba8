#!/usr/bin/env bash
# install-deps.sh - installs what building, testing and fuzzing need, and nothing when it is
# all there already. Debian/Ubuntu only (apt-get); elsewhere it names what is missing.
#   bash ci/install-deps.sh [perf]   perf: also perf, for bench/profile.sh (`make bench`)
set -euo pipefail

# Debian package -> a file that proves it is installed
declare -A need=(
	[make]=/usr/bin/make
	[gcc]=/usr/bin/gcc
	[clang]=/usr/bin/clang
	[llvm]=/usr/bin/llvm-profdata
	[libclang-rt-dev]=/usr/lib/llvm-14/lib/clang/14.0.6/lib/linux/libclang_rt.fuzzer-x86_64.a
	[afl++]=/usr/bin/afl-fuzz
	[valgrind]=/usr/bin/valgrind
	[zip]=/usr/bin/zip
	[unzip]=/usr/bin/unzip
	[gnuplot-nox]=/usr/bin/gnuplot # make plot
	[bc]=/usr/bin/bc # sanitizers/cost.sh
)

for extra in "$@"; do
	case "$extra" in
	perf) # Debian's package; Ubuntu ships perf per kernel (linux-tools-$(uname -r))
		if grep -qi ubuntu /etc/os-release 2>/dev/null; then
			need[linux-tools-$(uname -r)]=/usr/bin/perf
		else
			need[linux-perf]=/usr/bin/perf
		fi
		;;
	*) echo "install-deps: unknown extra '$extra' (known: perf)" >&2; exit 2 ;;
	esac
done

missing=()
for pkg in "${!need[@]}"; do
	[ -e "${need[$pkg]}" ] || missing+=("$pkg")
done
# the fuzzer runtime's path names the clang version: accept any installed one
if [[ " ${missing[*]} " == *" libclang-rt-dev "* ]] && compgen -G '/usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a' >/dev/null; then
	missing=("${missing[@]/libclang-rt-dev}")
fi
read -r -a missing <<<"${missing[*]}"

if [ ${#missing[@]} -eq 0 ]; then
	echo "install-deps: everything needed is installed"
	exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
	echo "install-deps: missing packages: ${missing[*]}" >&2
	echo "install-deps: this script installs them with apt-get (Debian/Ubuntu); install them with your package manager" >&2
	exit 1
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
	if command -v sudo >/dev/null 2>&1; then
		sudo="sudo"
	else
		echo "install-deps: need root (or sudo) to install: ${missing[*]}" >&2
		exit 1
	fi
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
echo "install-deps: done"
