# common.gp: the look every migtrace chart shares: terminal, size, fonts,
# colours, border, grid. Edit it to restyle all charts at once.
#
# migtrace-plot sets, before loading this file and the chart's template:
#   fmt      'png', 'pdf' or 'svg'
#   outfile  the chart file to write
#   tdir     this directory
# Sizes: 16:10, for a single-column figure (PDF 6.4 x 4 in) or a slide.

font_name = "DejaVu Sans"
# Point symbols: the terminals scale them differently; pscale evens them.
pscale = (fmt eq 'pdf') ? 0.45 : (fmt eq 'svg') ? 0.55 : 1.0
if (fmt eq 'pdf') {
	set terminal pdfcairo enhanced color rounded size 6.4in,4in \
	    font font_name.",10" linewidth 1
} else {
	if (fmt eq 'svg') {
		set terminal svg enhanced size 1280,800 dynamic rounded \
		    font font_name.",23" linewidth 1.5 background rgb "white"
	} else {
		set terminal pngcairo enhanced color rounded size 1280,800 \
		    font font_name.",20" linewidth 1.5 background rgb "white"
	}
}
set output outfile
set encoding utf8

# Axes: left and bottom only, ticks outside, a light horizontal grid.
set border 3 front linecolor rgb "#333333" linewidth 1
set tics nomirror out scale 0.6 textcolor rgb "#222222"
set grid ytics back linecolor rgb "#dddddd" linewidth 1 dashtype solid
# Keys above the plot, without a box (each template places its own).
set key noautotitle outside top center horizontal Left reverse nobox \
    samplen 2 spacing 1.1

# Colours: the Okabe-Ito palette, safe for colour-blind readers and
# distinct in greyscale print. ls 1-8; 1-3 also for the three parts of
# the downtime decomposition.
set style line 1 linecolor rgb "#0072B2" linewidth 2 pointtype 7 pointsize 1.1*pscale
set style line 2 linecolor rgb "#D55E00" linewidth 2 pointtype 5 pointsize 1.1*pscale
set style line 3 linecolor rgb "#009E73" linewidth 2 pointtype 9 pointsize 1.3*pscale
set style line 4 linecolor rgb "#E69F00" linewidth 2 pointtype 11 pointsize 1.3*pscale
set style line 5 linecolor rgb "#56B4E9" linewidth 2 pointtype 13 pointsize 1.3*pscale
set style line 6 linecolor rgb "#CC79A7" linewidth 2 pointtype 15 pointsize 1.1*pscale
set style line 7 linecolor rgb "#F0E442" linewidth 2 pointtype 7 pointsize 1.1*pscale
set style line 8 linecolor rgb "#666666" linewidth 2 pointtype 7 pointsize 1.1*pscale
set style increment user

# Bars: filled, thin dark outline.
set style fill solid 0.85 border linecolor rgb "#333333"
