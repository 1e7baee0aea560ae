# decomposition: written by migtrace-plot 0.1.0; redraw with: gnuplot interruption-decomposition.gnuplot
fmt = 'png'
outfile = 'samples/experiment/charts/interruption-decomposition.png'
tdir = '/work/main/plot'
datafile = 'samples/experiment/charts/interruption-decomposition.dat'
nruns = 72
max_name = 23
named = 0
n_negative_rest = 53
min_rest = -43.800373999999998
ymax = 400.08942500000001
ymin = 0
load tdir.'/common.gp'
load tdir.'/decomposition.gp'
