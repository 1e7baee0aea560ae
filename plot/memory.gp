# memory.gp: downtime against guest memory in use, one point per run,
# with the least-squares line, its slope and R^2, and the 95% confidence
# band of the mean; the study's Fig. 3.
#
# Variables from migtrace-plot:
#   datafile   x y run          (one line per run)
#   fitfile    x fit lo hi      (the fitted mean and its 95% band)
#   slope slope_lo slope_hi intercept r2 nruns slope_unit
#   xlabel_text ylabel_text

set xlabel xlabel_text
set ylabel ylabel_text
set offsets graph 0.03, graph 0.03, graph 0.05, graph 0.05
set key outside top center horizontal Left reverse noopaque nobox maxrows 2 width 1

plot fitfile using 1:3:4 with filledcurves fillcolor rgb "#0072B2" \
        fillstyle transparent solid 0.18 noborder title "95% confidence band", \
     fitfile using 1:2 with lines linestyle 1 \
        title sprintf("slope %.3g %s (95%% CI %.3g to %.3g), R^2 = %.3f", slope, slope_unit, slope_lo, slope_hi, r2), \
     datafile using 1:2 with points linestyle 2 pointsize 1.3*pscale title sprintf("runs (n = %d)", nruns)
