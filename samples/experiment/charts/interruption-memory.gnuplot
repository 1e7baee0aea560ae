# memory: written by migtrace-plot 0.1.0; redraw with: gnuplot interruption-memory.gnuplot
fmt = 'png'
outfile = 'samples/experiment/charts/interruption-memory.png'
tdir = '/work/main/plot'
datafile = 'samples/experiment/charts/interruption-memory.dat'
fitfile = 'samples/experiment/charts/interruption-memory_fit.dat'
slope = 0.17524370349702423
slope_lo = 0.072633473185465036
slope_hi = 0.27785393380858342
intercept = 290.62889372222207
r2 = 0.14218107611762321
nruns = 72
xmin = 0
xmax = 256
slope_unit = "ms/MiB"
xlabel_text = "guest memory in use (MiB)"
ylabel_text = "service interruption (ms)"
load tdir.'/common.gp'
load tdir.'/memory.gp'
