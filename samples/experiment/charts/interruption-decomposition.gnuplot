# decomposition: written by migtrace-plot 0.1.0; redraw with: gnuplot interruption-decomposition.gnuplot
fmt = 'png'
outfile = '/tmp/exp-new/charts/interruption-decomposition.png'
tdir = '/work/main/plot'
datafile = '/tmp/exp-new/charts/interruption-decomposition.dat'
nruns = 72
max_name = 23
load tdir.'/common.gp'
load tdir.'/decomposition.gp'
