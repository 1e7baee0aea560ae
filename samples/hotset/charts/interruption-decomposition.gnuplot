# decomposition: written by migtrace-plot 0.1.0; redraw with: gnuplot interruption-decomposition.gnuplot
# in this folder (the chart and its data are named relative to it)
fmt = 'png'
outfile = 'interruption-decomposition.png'
tdir = '/work/wt/hotset/plot'
datafile = 'interruption-decomposition.dat'
nruns = 15
max_name = 26
named = 1
n_negative_rest = 9
min_rest = -31.714411999999999
ymax = 7063.7738250000002
ymin = 0
load tdir.'/common.gp'
load tdir.'/decomposition.gp'
