# by-factor: written by migtrace-plot 0.1.0; redraw with: gnuplot interruption-by-factor.gnuplot
# in this folder (the chart and its data are named relative to it)
fmt = 'png'
outfile = 'interruption-by-factor.png'
tdir = '/work/wt/hotset/plot'
datafile = 'interruption-by-factor.dat'
nseries = 1
ngroups = 5
xlabel_text = "memory written during the migration (MiB)"
ylabel_text = "service interruption (ms)"
key_title = ""
array series_name[1] = ["interruption_ms"]
load tdir.'/common.gp'
load tdir.'/by-factor.gp'
