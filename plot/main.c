/*
 * main.c: migtrace-plot: charts of migtrace-analyze output with gnuplot.
 *
 * For each input it finds what it can draw (by the files present),
 * writes the numbers behind each chart to DIR/<chart>.dat (whitespace-
 * separated, units in the header comment), and pipes a short script to
 * gnuplot that sets a few variables and loads the editable templates
 * common.gp and <chart>.gp from the template directory (-T, else
 * $MIGTRACE_PLOT_DIR, else the folder of the executable when it holds
 * them, as in a build tree, else PKGDATADIR). The script is kept as
 * DIR/<chart>.gnuplot and run in DIR: it names the chart and its data
 * by their file names, so `gnuplot FILE` in DIR redraws the chart.
 *
 * Charts (one file each; gnuplot.c holds what they share):
 *   timeline       timeline.csv (+ report.json, jobstats.json) of one run
 *                  (timeline.c)
 *   by-factor      levels.csv of an experiment (by_factor.c)
 *   memory         runs.csv with a memory column: points, OLS line, band
 *                  (runs.c)
 *   decomposition  runs.csv with paused_ms, convergence_ms, resolution_ms
 *                  (runs.c)
 *
 * This file: the command line, and which charts an input allows.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "base/mt.h"
#include "stats/table.h"
#include "plot/plot.h"

const char progname[] = "migtrace-plot";

static void
usage(FILE *f)
{
	fprintf(f,
"Usage: %s [options] -o DIR INPUT...\n"
"Draw charts of migtrace-analyze output with gnuplot. INPUT is an output\n"
"directory of migtrace-analyze (-o) or one of its files:\n"
"  timeline.csv (+ report.json, jobstats.json)  -> timeline\n"
"  levels.csv (--experiment)                    -> by-factor\n"
"  runs.csv (--experiment)                      -> memory, decomposition\n"
"\n"
"Options:\n"
"  -o, --output DIR       write the charts (and their .dat and .gnuplot files) here\n"
"  -f, --format FMT       png (default), pdf or svg\n"
"  -T, --templates DIR    gnuplot templates (default: $MIGTRACE_PLOT_DIR, else\n"
"                         beside this program, else %s)\n"
"      --link RATE        timeline: link capacity line (default: from report.json)\n"
"      --x COLUMN         memory: the x column of runs.csv (default: first *mem* column)\n"
"      --with CSV:COLUMN  memory: a second series, COLUMN of another runs.csv, beside\n"
"      --measure COLUMN   downtime to draw (default: interruption_ms)\n"
"      --by GROUP[,SERIES] by-factor: factor on the x axis and factor of the bars\n"
"  -h, --help             this help\n"
"  -V, --version          the version\n"
"\n"
"gnuplot: $GNUPLOT, else %s. Exit status: 0 success, 1 usage error,\n"
"2 unreadable or unusable input, 3 gnuplot missing or failed.\n",
	    progname, PKGDATADIR, GNUPLOT_PATH);
}

/* ---- inputs --------------------------------------------------------- */

/* Draw every chart the input allows. Return 0 or an exit status. */
static int
plot_input(const struct opts *oa, const char *input)
{
	char dir[4096], file[4096], prefix[300] = "", resp[256];
	char *tmp;
	int drawn = 0, rc;
	struct opts oi = *oa;
	const struct opts *o = &oi;

	if (is_dir(input)) {
		snprintf(dir, sizeof(dir), "%s", input);
		file[0] = '\0';
	} else if (mt_is_file(input)) {
		if ((tmp = strdup(input)) == NULL)
			return EXIT_INPUT;
		snprintf(dir, sizeof(dir), "%s", dirname(tmp));
		free(tmp);
		snprintf(file, sizeof(file), "%s", input);
	} else {
		perr("%s: %s", input, strerror(errno ? errno : ENOENT));
		return EXIT_INPUT;
	}
	if (o->multi) {
		if ((tmp = strdup(input)) == NULL)
			return EXIT_INPUT;
		char *b = basename(is_dir(input) ? tmp : dirname(tmp));
		snprintf(prefix, sizeof(prefix), "%s-", b);
		free(tmp);
	}

	/* An experiment: draw the response its analysis used. */
	experiment_response(dir, resp, sizeof(resp));
	if (oi.measure == NULL && resp[0] != '\0')
		oi.measure = resp;

	const char *bn = file[0] ? strrchr(file, '/') : NULL;
	bn = bn ? bn + 1 : file;
	char p[4096];

	/* timeline */
	pjoin(p, sizeof(p), dir, "timeline.csv");
	if ((file[0] ? strcmp(bn, "timeline.csv") == 0 : mt_is_file(p))) {
		if ((rc = chart_timeline(o, dir, file[0] ? file : p, prefix)) != 0)
			return rc;
		drawn++;
	}
	/* by-factor */
	pjoin(p, sizeof(p), dir, "levels.csv");
	if ((file[0] ? strcmp(bn, "levels.csv") == 0 : mt_is_file(p))) {
		if ((rc = chart_byfactor(o, file[0] ? file : p, prefix)) != 0)
			return rc;
		drawn++;
	}
	/* memory and decomposition from runs.csv */
	pjoin(p, sizeof(p), dir, "runs.csv");
	if ((file[0] ? strcmp(bn, "runs.csv") == 0 : mt_is_file(p))) {
		char err[MT_ERRBUF_SIZE];
		const char *csv = file[0] ? file : p;
		struct table *t = table_read(csv, err);

		if (t == NULL) {
			perr("%s", err);
			return EXIT_INPUT;
		}
		if (pick_memory(o, t) >= 0 || o->xcol) {
			if ((rc = chart_memory(o, csv, t, prefix)) != 0) {
				table_free(t);
				return rc;
			}
			drawn++;
		}
		if (table_col(t, "paused_ms") >= 0 &&
		    table_col(t, "convergence_ms") >= 0 &&
		    table_col(t, "resolution_ms") >= 0) {
			if ((rc = chart_decomposition(o, csv, t, prefix)) != 0) {
				table_free(t);
				return rc;
			}
			drawn++;
		}
		table_free(t);
	}
	if (drawn == 0) {
		perr("%s: nothing to draw (no timeline.csv, levels.csv, or "
		    "runs.csv with a memory column or a decomposition)", input);
		return EXIT_INPUT;
	}
	return 0;
}

/*
 * The templates when neither -T nor MIGTRACE_PLOT_DIR names them: the
 * folder of this executable if it holds common.gp (a build tree, where
 * make puts them beside plot/migtrace-plot), else PKGDATADIR (installed).
 * buf (len bytes) holds the first; returns one of the two.
 */
static const char *
template_dir(char *buf, size_t len)
{
	char exe[PATH_MAX], path[PATH_MAX + 16];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	char *slash;

	if (n <= 0)
		return PKGDATADIR;
	exe[n] = '\0';
	if ((slash = strrchr(exe, '/')) == NULL)
		return PKGDATADIR;
	*slash = '\0';
	snprintf(path, sizeof(path), "%s/common.gp", exe);
	if (!mt_is_file(path) || (size_t)snprintf(buf, len, "%s", exe) >= len)
		return PKGDATADIR;
	return buf;
}

int
main(int argc, char **argv)
{
	enum { OPT_LINK = 256, OPT_X, OPT_MEASURE, OPT_BY, OPT_WITH };
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "format", required_argument, NULL, 'f' },
		{ "templates", required_argument, NULL, 'T' },
		{ "link", required_argument, NULL, OPT_LINK },
		{ "x", required_argument, NULL, OPT_X },
		{ "with", required_argument, NULL, OPT_WITH },
		{ "measure", required_argument, NULL, OPT_MEASURE },
		{ "by", required_argument, NULL, OPT_BY },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct opts o;
	int c, rc = 0;
	char tpath[4096], exedir[4096], tabs[PATH_MAX], gabs[PATH_MAX];

	memset(&o, 0, sizeof(o));
	o.format = "png";
	while ((c = getopt_long(argc, argv, "o:f:T:hV", longopts, NULL)) != -1) {
		switch (c) {
		case 'o':
			o.outdir = optarg;
			break;
		case 'f':
			o.format = optarg;
			break;
		case 'T':
			o.tdir = optarg;
			break;
		case OPT_LINK:
			if (mt_parse_rate(optarg, &o.link_bps) == -1 ||
			    !(o.link_bps > 0)) {
				perr("--link %s: not a rate (e.g. 100M, 1G)", optarg);
				return EXIT_USAGE;
			}
			break;
		case OPT_X:
			o.xcol = optarg;
			break;
		case OPT_WITH:
			o.with = optarg;
			break;
		case OPT_MEASURE:
			o.measure = optarg;
			break;
		case OPT_BY:
			o.by = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("%s %s\n", progname, PACKAGE_VERSION);
			return 0;
		default:
			fprintf(stderr, "Try '%s --help' for more information.\n",
			    progname);
			return EXIT_USAGE;
		}
	}
	if (strcmp(o.format, "png") != 0 && strcmp(o.format, "pdf") != 0 &&
	    strcmp(o.format, "svg") != 0) {
		perr("--format %s: use png, pdf or svg", o.format);
		return EXIT_USAGE;
	}
	if (o.outdir == NULL || optind >= argc) {
		perr("%s", o.outdir == NULL ? "no output directory (-o DIR)" :
		    "no input (an output directory of migtrace-analyze)");
		fprintf(stderr, "Try '%s --help' for more information.\n",
		    progname);
		return EXIT_USAGE;
	}
	if (o.tdir == NULL)
		o.tdir = getenv("MIGTRACE_PLOT_DIR");
	if (o.tdir == NULL || *o.tdir == '\0')
		o.tdir = template_dir(exedir, sizeof(exedir));
	snprintf(tpath, sizeof(tpath), "%s/common.gp", o.tdir);
	if (!mt_is_file(tpath)) {
		perr("%s: no templates here (common.gp missing; use -T DIR or "
		    "MIGTRACE_PLOT_DIR)", o.tdir);
		return EXIT_USAGE;
	}
	/* The scripts run in DIR and name the templates from anywhere. */
	if (realpath(o.tdir, tabs) != NULL)
		o.tdir = tabs;
	o.gnuplot = getenv("GNUPLOT");
	if (o.gnuplot == NULL || *o.gnuplot == '\0')
		o.gnuplot = GNUPLOT_PATH;
	else if (strchr(o.gnuplot, '/') != NULL && o.gnuplot[0] != '/' &&
	    realpath(o.gnuplot, gabs) != NULL)
		o.gnuplot = gabs;	/* a relative path, from DIR too */
	if (mt_mkdir_p(o.outdir, 0777) == -1) {
		perr("%s: %s", o.outdir, strerror(errno));
		return EXIT_INPUT;
	}
	if (!is_dir(o.outdir)) {
		perr("%s: not a directory", o.outdir);
		return EXIT_USAGE;
	}
	o.multi = argc - optind > 1;
	for (int i = optind; i < argc; i++) {
		errno = 0;
		int r = plot_input(&o, argv[i]);

		if (r != 0 && rc == 0)
			rc = r;
	}
	return rc;
}
