# timeline.gp: one migration run over time.
#   top:    migration-stream throughput per bin, the link capacity, the
#           service interruption shaded with its exact bounds, announce
#           (RARP/GARP) bins and the starts of the pre-copy passes.
#   bottom: the share of probes answered per bin.
#
# Variables from migtrace-plot:
#   datafile   t_s stream_mbps probes_sent probes_answered answered_pct announces
#   eventfile  kind t_s label text (1: announce bin, label = count;
#              2: pass start, label = pass; 3: where to write the pass
#              numbers, text: "2" or "2-4" for passes close together)
#   xmax ymax bin_s  axis ranges (s, Mbit/s) and the bin width (s)
#   link_mbps        link capacity (NaN: unknown)
#   int_start int_end int_ms   interruption bounds (s) and length (ms), NaN if none
#   ann_first        the first announce, exact (s; NaN if none)
#   n_announce_bins n_iterations   rows of each kind in eventfile

has_int  = (int_start == int_start && int_end == int_end)
has_link = (link_mbps == link_mbps)

set multiplot
set lmargin at screen 0.115
set rmargin at screen 0.965

# ---- top panel: the stream (the key above it) ----
set tmargin at screen 0.85
set bmargin at screen 0.37
set xrange [0:xmax]
set yrange [0:ymax]
set format x ""
unset xlabel
set ylabel "migration stream (Mbit/s)"
set key at screen 0.54, screen 0.995 center top horizontal Left reverse \
    noopaque nobox maxrows 2 width 2
set style textbox opaque noborder margins 2, 2

if (has_int) {
	set object 1 rectangle from int_start, graph 0 to int_end, graph 1 \
	    behind fillcolor rgb "#D55E00" fillstyle transparent solid 0.22 noborder
	int_text = sprintf("interruption %.1f ms\n%.3f s – %.3f s", int_ms, int_start, int_end)
	if (int_end > 0.7 * xmax) {
		set label 1 int_text at int_start, graph 0.55 right offset -0.8, 0 \
		    textcolor rgb "#A04000" front boxed
	} else {
		set label 1 int_text at int_end, graph 0.55 left offset 0.8, 0 \
		    textcolor rgb "#A04000" front boxed
	}
}

# The first announce, exactly: the destination is about to resume the guest.
if (ann_first == ann_first) {
	set arrow 1 from ann_first, graph 0 to ann_first, graph 0.93 nohead \
	    linecolor rgb "#009E73" linewidth 1.5 dashtype 2 front
}

link_plot = has_link ? "link_mbps with lines linestyle 8 dashtype 2 linewidth 2 title sprintf('link capacity %g Mbit/s', link_mbps)" : "NaN notitle"
ann_plot = n_announce_bins > 0 ? "eventfile using ($1 == 1 ? $2 + bin_s/2 : NaN):(0.95*ymax) with points linestyle 3 pointtype 9 pointsize 1.6*pscale title 'announce (RARP/GARP)'" : "NaN notitle"
first_plot = (ann_first == ann_first) ? "NaN with lines linecolor rgb '#009E73' linewidth 1.5 dashtype 2 title 'first announce'" : "NaN notitle"
iter_plot = n_iterations > 0 ? "eventfile using ($1 == 2 ? $2 : NaN):(0):(0):(0.84*ymax) with vectors nohead linestyle 8 dashtype 3 linewidth 1.5 title 'pre-copy pass', eventfile using ($1 == 3 ? $2 : NaN):(0.88*ymax):4 with labels textcolor rgb '#444444' notitle" : "NaN notitle"

plot datafile using 1:2 with fillsteps fillstyle transparent solid 0.25 noborder linestyle 1 notitle, \
     datafile using 1:2 with steps linestyle 1 title "migration stream", \
     @link_plot, \
     @iter_plot, \
     @ann_plot, \
     @first_plot

# ---- bottom panel: the probes ----
unset object 1
unset label 1
unset arrow 1
if (has_int) {
	set object 2 rectangle from int_start, graph 0 to int_end, graph 1 \
	    behind fillcolor rgb "#D55E00" fillstyle transparent solid 0.22 noborder
}
set tmargin at screen 0.34
set bmargin at screen 0.14
set format x "%g"
set xlabel "time since the start of the capture (s)"
set ylabel "answered (%)"
set yrange [0:105]
set ytics 0, 50, 100
unset key
plot datafile using 1:5 with steps linestyle 2 title "probes answered"
unset multiplot
