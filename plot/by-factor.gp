# by-factor.gp: mean downtime per factor level as grouped bars with 95%
# confidence intervals (Student's t) as error bars; the study's Fig. 2.
#
# Variables from migtrace-plot:
#   datafile      level, then per series: mean lo hi n (ms)
#   nseries       bars per group
#   ngroups       groups (levels on the x axis)
#   series_name   array of their names (the key)
#   key_title     the factor the bars stand for ("" when one series)
#   xlabel_text ylabel_text

set style data histograms
set style histogram errorbars gap 1.4 linewidth 1.5
set boxwidth 0.92 relative
set xrange [-0.6:ngroups - 0.4]
set yrange [0:*]
set offsets 0, 0, graph 0.08, 0
set xlabel xlabel_text
# The bars are means, the whiskers their 95% confidence intervals: say so.
set ylabel ylabel_text . ", mean ± 95% CI"
set xtics scale 0
set errorbars linecolor rgb "#222222"
set key outside top center horizontal Left reverse noopaque nobox title key_title
if (nseries == 1) { unset key }

plot for [i=1:nseries] datafile using (column(4*i-2)):(column(4*i-1)):(column(4*i)):xtic(1) \
     linestyle i title series_name[i] noenhanced
