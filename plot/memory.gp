# memory.gp: downtime against guest memory in use, one point per run,
# with the least-squares line, its slope and R^2, and the 95% confidence
# band of the mean; the study's Fig. 3.
#
# Variables from migtrace-plot:
#   datafile   x y run x_drawn  (one line per run; x_drawn: x spread
#              sideways where runs share an x)
#   fitfile    x fit lo hi      (the fitted mean and its 95% band)
#   slope slope_lo slope_hi intercept r2 nruns slope_unit
#   xmin xmax  the smallest and largest x of the runs
#   xlabel_text ylabel_text
#   With a second series (migtrace-plot --with): datafile2, fitfile2,
#   slope2 slope_lo2 slope_hi2 intercept2 r22 nruns2 slope_unit2, and
#   title1, title2 naming the two x columns.
#
# Runs often share an x (the levels of a designed experiment): they are
# drawn at x_drawn, a few lanes around their x (migtrace-plot computes it;
# x itself stays exact in the .dat and the fit), and half transparent, so
# every run stays visible.

set xlabel xlabel_text
set ylabel ylabel_text
# x from just below the smallest to just above the largest value (no
# empty stretch down to the previous tick).
xpad = (xmax > xmin) ? 0.04 * (xmax - xmin) : (xmin != 0 ? 0.1 * abs(xmin) : 1)
set xrange [xmin - xpad : xmax + xpad]
set offsets 0, 0, graph 0.05, graph 0.05
set key outside top center horizontal Left reverse noopaque nobox maxrows 2 width 1

if (!exists("datafile2")) {
plot fitfile using 1:3:4 with filledcurves fillcolor rgb "#0072B2" \
        fillstyle transparent solid 0.18 noborder title "95% confidence band", \
     fitfile using 1:2 with lines linestyle 1 \
        title sprintf("slope %.3g %s (95%% CI %.3g to %.3g), R^2 = %.3f", slope, slope_unit, slope_lo, slope_hi, r2), \
     datafile using 4:2 with points pointtype 7 pointsize 1.35*pscale \
        linecolor rgb "#60D55E00" title sprintf("runs (n = %d), set apart where they share an x", nruns)
} else {
# Two series (--with): the first (e.g. the hot set) in vermillion, the
# second (e.g. the fill) in blue, each with its line, band and slope.
plot fitfile using 1:3:4 with filledcurves fillcolor rgb "#D55E00" \
        fillstyle transparent solid 0.15 noborder notitle, \
     fitfile using 1:2 with lines linewidth 2*pscale linecolor rgb "#D55E00" \
        title sprintf("%s: %.3g %s (95%% CI %.3g to %.3g), R^2 %.2f, n %d", title1, slope, slope_unit, slope_lo, slope_hi, r2, nruns), \
     datafile using 4:2 with points pointtype 7 pointsize 1.35*pscale \
        linecolor rgb "#60D55E00" notitle, \
     fitfile2 using 1:3:4 with filledcurves fillcolor rgb "#0072B2" \
        fillstyle transparent solid 0.15 noborder notitle, \
     fitfile2 using 1:2 with lines linewidth 2*pscale linecolor rgb "#0072B2" \
        title sprintf("%s: %.3g %s (95%% CI %.3g to %.3g), R^2 %.2f, n %d", title2, slope2, slope_unit2, slope_lo2, slope_hi2, r22, nruns2), \
     datafile2 using 4:2 with points pointtype 5 pointsize 1.2*pscale \
        linecolor rgb "#600072B2" notitle
}
