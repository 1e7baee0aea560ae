# memory: written by migtrace-plot 0.1.0; redraw with: gnuplot memory.gnuplot
# in this folder (the chart and its data are named relative to it)
fmt = 'png'
outfile = 'memory.png'
tdir = '/work/wt/hotset/plot'
datafile = 'memory.dat'
fitfile = 'memory_fit.dat'
slope = 21.186458333333327
slope_lo = -19.778693927624374
slope_hi = 62.151610594291029
intercept = 764.52500000000055
r2 = 0.087614932683846458
nruns = 15
slope_unit = "ms/MiB"
datafile2 = 'memory_with.dat'
fitfile2 = 'memory_with_fit.dat'
slope2 = 0.1749751984126986
slope_lo2 = 0.066347530207143471
slope_hi2 = 0.28360286661825373
intercept2 = 266.05555555555537
r22 = 0.12849458305106076
nruns2 = 72
slope_unit2 = "ms/MiB"
xmin = 0
xmax = 256
xlabel_text = "memory written during the migration (MiB) or guest memory in use (MiB)"
title1 = "hot set (written during)"
title2 = "fill (written before)"
ylabel_text = "libvirt downtime (ms)"
load tdir.'/common.gp'
load tdir.'/memory.gp'
