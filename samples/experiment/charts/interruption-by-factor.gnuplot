# by-factor: written by migtrace-plot 0.1.0; redraw with: gnuplot interruption-by-factor.gnuplot
fmt = 'png'
outfile = 'samples/experiment/charts/interruption-by-factor.png'
tdir = '/work/main/plot'
datafile = 'samples/experiment/charts/interruption-by-factor.dat'
nseries = 2
ngroups = 3
xlabel_text = "host CPU load (%)"
ylabel_text = "service interruption (ms)"
key_title = "flavor"
array series_name[2] = ["small", "tiny"]
load tdir.'/common.gp'
load tdir.'/by-factor.gp'
