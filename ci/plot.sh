#!/usr/bin/env bash
# plot.sh - what `make plot DIR=findings/<target>-<engine>...` runs: pictures of a fuzzing run.
# AFL++ runs: afl-plot of every instance (coverage, paths, crashes and speed over time).
# libFuzzer runs: coverage (cov), features (ft) and corpus size over time, from the fuzz.log
# that make fuzz keeps; libFuzzer's exec/s is the average since the start, so the time of a
# line is its execution count divided by it.
#
# Environment: DIR (required). Writes DIR/plots/: PNGs with gnuplot, and for libFuzzer the data
# (libfuzzer.dat: seconds, cov, ft, corpus) even without it. Exit 0, or 2 on usage errors.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2
. ci/testlib.sh

DIR=${DIR:-}
[ -n "$DIR" ] && [ -d "$DIR" ] || die "usage: make plot DIR=findings/<target>-<engine>[...]"
DIR=${DIR%/}
out="$DIR/plots"
mkdir -p "$out"
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

# libFuzzer: "#N NEW cov: C ft: F corp: K/... exec/s: E ..." lines of fuzz.log
if [ -f "$DIR/fuzz.log" ]; then
	awk '/^#[0-9]+\t/ && / cov: / {
		n = substr($1, 2) + 0; c = f = k = e = 0
		for (i = 2; i < NF; i++) {
			if ($i == "cov:") c = $(i + 1); if ($i == "ft:") f = $(i + 1)
			if ($i == "corp:") { k = $(i + 1); sub("/.*", "", k) }
			if ($i == "exec/s:") e = $(i + 1)
		}
		printf "%.2f %d %d %d\n", (e > 0 ? n / e : 0), c, f, k
	}' "$DIR/fuzz.log" >"$out/libfuzzer.dat"
	lines=$(wc -l <"$out/libfuzzer.dat")
	if [ "$lines" -eq 0 ]; then
		echo "plot: $DIR/fuzz.log holds no status lines"
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
[ $plotted -gt 0 ] || [ -f "$out/libfuzzer.dat" ] || echo "plot: nothing to plot under $DIR (an AFL++ or libFuzzer output folder of make fuzz)"
exit 0
