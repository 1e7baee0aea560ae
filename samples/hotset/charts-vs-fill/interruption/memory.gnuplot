# memory: written by migtrace-plot 0.1.0; redraw with: gnuplot memory.gnuplot
# in this folder (the chart and its data are named relative to it)
fmt = 'png'
outfile = 'memory.png'
tdir = '/work/wt/hotset/plot'
datafile = 'memory.dat'
fitfile = 'memory_fit.dat'
slope = 21.408892059375003
slope_lo = -18.655826291203208
slope_hi = 61.47361040995321
intercept = 1087.519285041667
r2 = 0.092980757662207925
nruns = 15
slope_unit = "ms/MiB"
datafile2 = 'memory_with.dat'
fitfile2 = 'memory_with_fit.dat'
slope2 = 0.17524370349702423
slope_lo2 = 0.072633473185465036
slope_hi2 = 0.27785393380858342
intercept2 = 290.62889372222207
r22 = 0.14218107611762321
nruns2 = 72
slope_unit2 = "ms/MiB"
xmin = 0
xmax = 256
xlabel_text = "memory written during the migration (MiB) or guest memory in use (MiB)"
title1 = "hot set (written during)"
title2 = "fill (written before)"
ylabel_text = "service interruption (ms)"
load tdir.'/common.gp'
load tdir.'/memory.gp'
