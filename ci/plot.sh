#!/usr/bin/env bash
# plot.sh - what `make plot DIR=findings/<target>-<engine>...` runs: pictures of a fuzzing run.
# AFL++ runs: afl-plot of every instance (coverage, paths, crashes and speed over time).
# libFuzzer runs: coverage (cov), features (ft) and corpus size over time, from the fuzz.log
# that make fuzz keeps. A line's time: in fork mode (JOBS>1) its own "time: Ns"; otherwise the
# time make fuzz started that libFuzzer (its "#slubfuzz: start K at Ns" line: seed and BUG
# builds restart after every finding) plus the line's execution count over its exec/s (the
# average since that start).
#
# Environment: DIR (required). Writes DIR/plots/ afresh: PNGs with gnuplot, and for libFuzzer
# the data (libfuzzer.dat: seconds, cov, ft, corpus) even without it. Exit 0 when something was
# plotted (or, without gnuplot, its data written), 2 on usage errors and when there is nothing
# to plot.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2
. ci/testlib.sh

DIR=${DIR:-}
[ -n "$DIR" ] || die "usage: make plot DIR=findings/<target>-<engine>[...]"
[ -d "$DIR" ] || die "DIR=$DIR: no such folder (make fuzz writes findings/<target>-<engine>[...])"
DIR=${DIR%/}
out="$DIR/plots"
# an earlier plot never passes for this one's
rm -rf "$out" && mkdir -p "$out"
have_gnuplot=1
command -v gnuplot >/dev/null || have_gnuplot=0
plotted=0

# AFL++: one afl-plot per instance that kept plot_data
for inst in "$DIR"/*/plot_data; do
	[ -f "$inst" ] || continue
	name=$(basename "$(dirname "$inst")")
	if [ $have_gnuplot = 0 ]; then
		echo "plot: gnuplot is missing (apt-get install gnuplot-nox): $inst not plotted"
		continue
	fi
	if [ "$(grep -vc '^#' "$inst")" -lt 2 ]; then
		echo "plot: AFL++ instance $name: too short a run to plot (let it run longer)"
		continue
	fi
	afl-plot "$(dirname "$inst")" "$out/afl-$name" >"$out/afl-$name.log" 2>&1 ||
		die "afl-plot failed on $inst (see $out/afl-$name.log)"
	echo "plot: AFL++ instance $name: $out/afl-$name/index.html ($(ls "$out/afl-$name"/*.png | wc -l) PNGs)"
	plotted=$((plotted + 1))
done

# libFuzzer: "#N<TAB>NEW cov: C ft: F corp: K/... exec/s: E ..." lines of fuzz.log, or in fork
# mode the parent's "#N: cov: C ft: F corp: K exec/s E ... time: Ts ..." (no colon after
# exec/s; the jobs' own lines, copied in after a crash, are not the run's)
if [ -f "$DIR/fuzz.log" ]; then
	awk 'NR == FNR { if (/^#[0-9]+: .*cov: /) fork = 1; next }
	/^#slubfuzz: start [0-9]+ at [0-9]+s/ { off = $5 + 0; next }
	(fork && /^#[0-9]+: .*cov: /) || (!fork && /^#[0-9]+\t/ && / cov: /) {
		n = substr($1, 2) + 0; c = f = k = e = t = 0
		for (i = 2; i < NF; i++) {
			if ($i == "cov:") c = $(i + 1); if ($i == "ft:") f = $(i + 1)
			if ($i == "corp:") { k = $(i + 1); sub("/.*", "", k) }
			if ($i == "exec/s:") e = $(i + 1)
			if ($i == "time:") t = $(i + 1) + 0
		}
		printf "%.2f %d %d %d\n", (fork ? t : off + (e > 0 ? n / e : 0)), c, f, k
	}' "$DIR/fuzz.log" "$DIR/fuzz.log" >"$out/libfuzzer.dat"
	lines=$(wc -l <"$out/libfuzzer.dat")
	if [ "$lines" -eq 0 ]; then
		rm -f "$out/libfuzzer.dat"
		echo "plot: $DIR/fuzz.log holds no libFuzzer status lines"
	elif [ $have_gnuplot = 0 ]; then
		echo "plot: gnuplot is missing (apt-get install gnuplot-nox); the data: $out/libfuzzer.dat"
	else
		gnuplot <<-EOF || die "gnuplot failed"
			set terminal png size 1000,420
			set output '$out/libfuzzer-coverage.png'
			set title "$(basename "$DIR"): libFuzzer coverage over time" noenhanced
			set xlabel 'seconds'
			set ylabel 'edges (cov) and features (ft)'
			set y2label 'corpus inputs'
			set ytics nomirror
			set y2tics
			set key left top
			set grid
			plot '$out/libfuzzer.dat' using 1:2 with steps lw 2 title 'cov', \
			     '' using 1:3 with steps title 'ft', \
			     '' using 1:4 axes x1y2 with steps dt 2 title 'corpus'
		EOF
		echo "plot: libFuzzer: $out/libfuzzer-coverage.png ($lines status lines; data in $out/libfuzzer.dat)"
		plotted=$((plotted + 1))
	fi
fi
[ $plotted -gt 0 ] || [ -f "$out/libfuzzer.dat" ] ||
	die "nothing to plot under $DIR (an AFL++ or libFuzzer output folder of make fuzz, after a run of some seconds)"
exit 0
