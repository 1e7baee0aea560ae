# decomposition.gp: per run, the service interruption split into guest
# paused (CPUs stopped until the first announce), network convergence
# (announce until the first answered probe) and probe resolution (what
# the probe interval cannot tell), as stacked bars.
#
# Variables from migtrace-plot:
#   datafile   run paused_ms convergence_ms resolution_ms
#   nruns      bars
#   max_name   longest run name (characters)

set style data histograms
set style histogram rowstacked gap 0.6
set boxwidth 0.75 relative
set xrange [-0.6:nruns - 0.4]
set yrange [0:*]
set offsets 0, 0, graph 0.05, 0
set xlabel "run"
set ylabel "service interruption (ms)"
set xtics scale 0
if (nruns > 10 || max_name * nruns > 60) {
	set xtics rotate by -45 left
}
set key outside top center horizontal Left reverse noopaque nobox maxrows 1 width 1

plot datafile using 2:xtic(1) linestyle 1 title "guest paused", \
     datafile using 3 linestyle 2 title "network convergence", \
     datafile using 4 linestyle 3 title "probe resolution"
