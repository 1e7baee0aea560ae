# timeline.gp: one migration run over time.
#   top:    migration-stream throughput per bin, the link capacity, the
#           service interruption shaded with its exact bounds, announce
#           (RARP/GARP) bins and the starts of the pre-copy passes.
#   middle: the share of probes answered per bin.
#   bottom (with QEMU traces joined): the pause as a bar of phases, in ms
#           since the last reply before (the interruption's start), each
#           coloured by who marks its end: the source's QEMU, the wire,
#           the destination's QEMU.
#
# Variables from migtrace-plot:
#   datafile   t_s stream_mbps probes_sent probes_answered answered_pct announces
#              late_replies (answered after the next probe went out)
#   eventfile  kind t_s label text (1: announce bin, label = count;
#              2: pass start, label = pass; 3: where to write the pass
#              numbers, text: "2" or "2-4" for passes close together)
#   xmax ymax bin_s  axis ranges (s, Mbit/s) and the bin width (s)
#   link_mbps        link capacity (NaN: unknown)
#   int_start int_end int_ms   interruption bounds (s) and length (ms), NaN if none
#   ann_first        the first announce, exact (s; NaN if none)
#   n_announce_bins n_iterations   rows of each kind in eventfile
#   n_pause          rows of pausefile (0: no pause bar)
#   n_late_bins      bins holding late replies (0: no marks)
#   pausefile        phase start_ms end_ms by label (ms since the first step)
#   pause_ms         the last step's time (ms)

has_int  = (int_start == int_start && int_end == int_end)
has_link = (link_mbps == link_mbps)

set multiplot
set lmargin at screen 0.115
set rmargin at screen 0.965

has_pause = (n_pause > 0)
# Panel bounds (screen): the pause bar takes the bottom when present.
top_b   = has_pause ? 0.55 : 0.37
probe_t = has_pause ? 0.52 : 0.34
probe_b = has_pause ? 0.39 : 0.14

# ---- top panel: the stream (the key above it) ----
set tmargin at screen 0.85
set bmargin at screen top_b
set xrange [0:xmax]
set yrange [0:ymax]
set format x ""
unset xlabel
set ylabel has_pause ? "stream (Mbit/s)" : "migration stream (Mbit/s)"
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
set tmargin at screen probe_t
set bmargin at screen probe_b
set format x "%g"
set xlabel "time since the start of the capture (s)"
set ylabel has_pause ? "answered" : "answered (%)"
set yrange [0:105]
set ytics 0, 50, 100
# A probe is counted in the bin its request went out in; a ring marks a
# bin with late replies, back only after the next probe went out
# (typically sent before the pause, answered after it).
if (n_late_bins > 0) {
	set key at graph 0.99, graph 0.35 right bottom horizontal Left reverse \
	    noopaque nobox samplen 1
} else {
	unset key
}
late_plot = n_late_bins > 0 ? "datafile using ($7 > 0 ? $1 + bin_s/2 : NaN):5 with points linestyle 4 pointtype 6 pointsize 1.3*pscale title 'late replies'" : "NaN notitle"
plot datafile using 1:5 with steps linestyle 2 title "probes answered", \
     @late_plot

# ---- the pause: one bar of phases (source, wire, destination colours) ----
if (has_pause) {
	unset object 2
	set tmargin at screen 0.18
	set bmargin at screen 0.10
	set xrange [0:pause_ms]
	set yrange [-1:1]
	unset ytics
	unset ylabel
	set grid noytics
	set xtics autofreq
	set format x "%g"
	set xlabel "the pause: ms since the last reply before" offset 0, 0.6
	set label 3 "pause" at graph 0, graph 0.5 right offset -1, 0
	set key at graph 1, graph 1.04 right bottom horizontal maxrows 1 Left \
	    reverse samplen 1 width 0 noopaque nobox font ",".(fmt eq 'pdf' ? 8 : 16)
	phase_colour(by) = (by eq "source") ? 0xE69F00 : (by eq "destination") ? 0x009E73 : 0x56B4E9
	plot pausefile using (($2 + $3) / 2):(0):(($3 - $2) / 2):(0.6):(phase_colour(strcol(4))) \
	        with boxxyerror fillstyle solid 0.85 border linecolor rgb "#333333" linecolor rgb variable notitle, \
	     NaN with boxes fillstyle solid 0.85 linecolor rgb "#E69F00" title "source (QEMU)", \
	     NaN with boxes fillstyle solid 0.85 linecolor rgb "#56B4E9" title "wire", \
	     NaN with boxes fillstyle solid 0.85 linecolor rgb "#009E73" title "destination (QEMU)", \
	     pausefile using (($2 + $3) / 2):(0):(($3 - $2) > 0.07 * pause_ms ? strcol(5) : "") \
	        with labels font ",".(fmt eq 'pdf' ? 8 : 16) textcolor rgb "#111111" notitle
	unset label 3
}
unset multiplot
