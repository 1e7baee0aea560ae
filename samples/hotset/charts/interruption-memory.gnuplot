# memory: written by migtrace-plot 0.1.0; redraw with: gnuplot interruption-memory.gnuplot
# in this folder (the chart and its data are named relative to it)
fmt = 'png'
outfile = 'interruption-memory.png'
tdir = '/work/wt/hotset/plot'
datafile = 'interruption-memory.dat'
fitfile = 'interruption-memory_fit.dat'
slope = 21.408892059375003
slope_lo = -18.655826291203208
slope_hi = 61.47361040995321
intercept = 1087.519285041667
r2 = 0.092980757662207925
nruns = 15
slope_unit = "ms/MiB"
xmin = 0
xmax = 64
xlabel_text = "memory written during the migration (MiB)"
ylabel_text = "service interruption (ms)"
load tdir.'/common.gp'
load tdir.'/memory.gp'
