# decomposition.gp: per run, the service interruption split into guest
# paused (libvirt's downtime), network convergence (first announce until
# the first answered probe) and the rest (what the probe interval cannot
# tell), as stacked bars, with the measured interruption marked on each.
#
# The rest can be negative: libvirt's downtime and the convergence
# overlap (libvirt ends its downtime when it has handled the resume,
# after the destination announced the guest). The bar then stands
# paused + convergence high, the overlap is hatched at its top, and the
# black mark shows the interruption as measured: the bar down to the mark
# adds up to it.
#
# Variables from migtrace-plot:
#   datafile   i run paused_ms convergence_ms resolution_ms interruption_ms
#   nruns      bars;  named: 1 to label bars by run name, 0 by number
#   max_name   longest run name (characters)
#   n_negative_rest min_rest   runs with a negative rest, the smallest (ms)
#   ymax ymin  the highest and lowest ends of the bars and marks (ms)

bw = 0.36	# half a bar
set xrange [0.4 : nruns + 0.6]
set yrange [(ymin < 0 ? ymin * 1.1 : 0) : ymax * 1.06]
set ylabel "service interruption (ms)"
set xtics scale 0
set grid noxtics ytics
if (named) {
	set xlabel "run"
	if (nruns > 6 || max_name * nruns > 60) {
		# slanted down to the right; room on the right for the last name
		set xtics rotate by -35 left
		set rmargin (max_name * 0.75 > 3 ? max_name * 0.75 : 3)
	}
	name_tic = ":xtic(2)"
} else {
	# Many runs: names would overlap. Number them 1..N in the order of
	# runs.csv (the .dat file gives the name of each number).
	step = (nruns > 40) ? 10 : 5
	set xtics step, step scale 0.6
	set xtics add ("1" 1)
	set mxtics step
	set xlabel sprintf("run (1 to %d, numbered in the order of runs.csv)", nruns)
	name_tic = ""
}
set key outside top center horizontal Left reverse noopaque nobox maxrows 3 width 1

neg_title = (n_negative_rest > 0) ? \
    sprintf("overlap (rest < 0: %d run%s)", n_negative_rest, n_negative_rest == 1 ? "" : "s") : ""

plot datafile using 1:3:($1 - bw):($1 + bw):(0):3@name_tic with boxxyerror linestyle 1 \
        title "guest paused (libvirt)", \
     datafile using 1:($3 + $4):($1 - bw):($1 + bw):3:($3 + $4) with boxxyerror linestyle 2 \
        title "network convergence", \
     datafile using 1:($5 > 0 ? $3 + $4 + $5 : NaN):($1 - bw):($1 + bw):($3 + $4):($3 + $4 + $5) \
        with boxxyerror linestyle 3 title "rest (probe resolution)", \
     datafile using 1:($5 < 0 ? $3 + $4 : NaN):($1 - bw):($1 + bw):($3 + $4 + $5):($3 + $4) \
        with boxxyerror fillstyle transparent pattern 4 border linecolor rgb "#222222" \
        linecolor rgb "#222222" title neg_title, \
     datafile using ($1 - 1.2 * bw):6:(2.4 * bw):(0) with vectors nohead \
        linecolor rgb "#000000" linewidth 2.5 title "measured interruption"
