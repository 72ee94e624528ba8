# compact.awk - a section's tables as bench/RESULTS.md keeps them (bench/run.sh; the full tables
# stay in build/bench/results-<date>.md). Usage: awk -v section=NAME -f bench/compact.awk FILE
#   ttb      one row per entry, both engines side by side (the full table has a row per engine)
#   races    the same rows, without what the ttb block above it already explains (the columns,
#            the per-engine summary: six entries need neither)
#   profile  the libFuzzer and AFL++ profiles as one set of tables, a column per engine; of
#            "our functions", each engine's first TOP rows
#   machine  one row, a column per field (the full table has a row per field)
#   others   unchanged
# Idempotent: a compacted block comes out as it went in (the test of bench/RESULTS.md uses it).

function trim(s) { gsub(/^ +| +$/, "", s); return s }
function ncells(line, c,    n, i) { n = split(line, c, "|"); for (i = 1; i <= n; i++) c[i] = trim(c[i]); return n }
function short_reduced(s) {
	if (s ~ /empty input/) return "empty input"
	if (s ~ /warm-up/) return "warm-up input"
	if (s ~ /= shipped/) return "= shipped"
	return s
}
function found(f, m) { return m == "" ? short_reduced(f) : f ", " m }

# ---- ttb ----
function ttb_flush() {
	if (entry == "") return
	printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", entry, where, target, seeds,
		lf["shipped"], lf["reduced"], lf["fastest"], af["shipped"], af["reduced"], af["fastest"],
		lf["other"] "+" af["other"]
	entry = ""
}
function ttb_row(c,    e) {
	if (c[2] != entry) { ttb_flush(); entry = c[2]; where = c[3]; target = c[4]; seeds = c[5]
		lf["shipped"] = lf["reduced"] = lf["fastest"] = af["shipped"] = af["reduced"] = af["fastest"] = "-"
		lf["other"] = af["other"] = "0" }
	e = c[6]
	if (e == "libfuzzer") { lf["shipped"] = found(c[7], c[8]); lf["reduced"] = found(c[9], c[10]); lf["fastest"] = c[11]; lf["other"] = c[12] }
	else { af["shipped"] = found(c[7], c[8]); af["reduced"] = found(c[9], c[10]); af["fastest"] = c[11]; af["other"] = c[12] }
}

# ---- profile: tables of the engine subsections joined on their first column ----
function prof_flush_table() {
	if (tcol == "") return
	tables = tables > tidx ? tables : tidx
	tcol = ""
}
function prof_emit(    t, i, k, key, line, nk) {
	for (i = 1; i <= nnotes; i++) print notes[i]
	for (t = 1; t <= tables; t++) {
		print ""
		printf "| %s |", thead[t]
		for (i = 1; i <= neng; i++) printf " %s |", eng[i]
		printf "\n| --- |"
		for (i = 1; i <= neng; i++) printf " ---: |"
		printf "\n"
		for (k = 1; k <= nkeys[t]; k++) {
			key = keys[t, k]
			line = "| " key " |"
			for (i = 1; i <= neng; i++) line = line " " ((t, key, i) in val ? val[t, key, i] : "-") " |"
			print line
		}
	}
}

BEGIN {
	top = top ? top : 8
	cells_note = "Here one row per entry: each engine's *shipped* and *reduced* cells give the trials that found it and the median s."
}

# what a races block leaves to the ttb block above it
section == "races" && ($0 ~ /^(A finding counts|one\. \*median\*|half or more|seeds already|engine's own work|\*other\*:|The reduced columns|input or every seed|entry no seed triggers|The race catalog \(RACE_|group shows; each replays)/ ||
	$0 ~ /^\| (engine|libfuzzer|afl|either engine) \|/ || $0 ~ /^\| --- \| ---: \| ---: \| ---: \| ---: \|$/ || $0 == cells_note) { next }
section == "races" { if ($0 == "" && blank) next; blank = ($0 == "") } # one blank line for the gaps
# its two lines of trials and wall time as one, which names the table that explains the columns
section == "races" && $0 ~ /^Time to bug: [0-9]+ trial\(s\) of at most [0-9]+ s / {
	trials = $4; secs = $9; next
}
section == "races" && $0 ~ /^[0-9]+ trials at a time on this machine; [0-9]+ s of wall time for the trials\.$/ {
	printf "%s trial(s) of at most %s s each, %s at a time, %s s in all; columns as in the table above.\n",
		trials, secs, $1, $9
	next
}

section == "ttb" || section == "races" {
	n = ncells($0, c)
	if ($0 ~ /^\| entry \| where \| target \| seeds \| engine \|/) {
		print "| entry | where | target | seeds | libFuzzer: shipped | reduced | fastest s | AFL++: shipped | reduced | fastest s | other |"
		print "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
		inttb = 1; getline; next
	}
	if (inttb && $0 ~ /^\|/) { ttb_row(c); next }
	if (inttb) { ttb_flush(); inttb = 0 }
	if ($0 == cells_note) next
	print
	if ($0 ~ /^\*other\*:/) print cells_note # what the one-row-per-entry table's cells hold
	next
}
END { if ((section == "ttb" || section == "races") && inttb) ttb_flush() }

section == "profile" {
	if ($0 ~ /^### /) { prof_flush_table(); cur = substr($0, 5); eng[++neng] = cur; tidx = 0; next }
	if (cur == "" && $0 !~ /^\|/) { cmp_hdr = 0; if ($0 != "") notes[++nnotes] = $0; next } # compacted, or a preamble
	if (cur == "" && $0 ~ /^\| --- \|/) next
	if (cur == "" && $0 ~ /^\|/) {
		# a compacted table: its header names the engines
		n = ncells($0, c)
		if (!cmp_hdr) { cmp_hdr = 1; tidx++; thead[tidx] = c[2]; if (!neng) for (i = 3; i < n; i++) eng[++neng] = c[i]; tables = tidx; next }
		for (i = 3; i < n; i++) val[tidx, c[2], i - 2] = c[i]
		if (!((tidx, c[2]) in seen)) { seen[tidx, c[2]] = 1; keys[tidx, ++nkeys[tidx]] = c[2] }
		next
	}
	if ($0 !~ /^\|/) {
		cmp_hdr = 0
		if (tcol != "") prof_flush_table()
		# profile.sh's status after its tables were printed says nothing the tables do not
		if ($0 ~ /^\(not measured/ && tidx) next
		if ($0 ~ /^_Measured/ || $0 ~ /^\(not measured/) notes[++nnotes] = "**" cur "**: " $0
		else if ($0 != "" && $0 !~ /^Our functions/) notes[++nnotes] = $0
		next
	}
	n = ncells($0, c)
	if (tcol == "") { tidx++; tcol = c[2]; thead[tidx] = c[2] == "function" ? "our function, self % (each engine's first " top ")" : c[2] " %"; rows = 0; getline; next }
	rows++
	if (tcol == "function" && rows > top) next
	val[tidx, c[2], neng] = c[3]
	if (!((tidx, c[2]) in seen)) { seen[tidx, c[2]] = 1; keys[tidx, ++nkeys[tidx]] = c[2] }
	next
}
END { if (section == "profile") { prof_flush_table(); prof_emit() } }

# ---- machine: the two-column table turned into one row ----
section == "machine" {
	if ($0 == "| | |") { vertical = 1; next }
	if (vertical && $0 == "| --- | --- |") next
	if (vertical && $0 ~ /^\|/) { n = ncells($0, c); mk[++nm] = c[2]; mv[nm] = c[3]; next }
	print; next
}
END {
	if (section == "machine" && nm) {
		for (i = 1; i <= nm; i++) printf "| %s ", mk[i]
		print "|"
		for (i = 1; i <= nm; i++) printf "| --- "
		print "|"
		for (i = 1; i <= nm; i++) printf "| %s ", mv[i]
		print "|"
	}
}

section != "ttb" && section != "races" && section != "profile" && section != "machine" { print }
