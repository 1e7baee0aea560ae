/*
 * main.c: migtrace-analyze. Parses the command line (cli.c), analyses one
 * run (analysis.c) or an experiment of many (experiment.c), and writes
 * the report (lib/report/report.h).
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "analysis/analysis.h"
#include "base/jpath.h"
#include "analysis/pause.h"
#include "runs/cli.h"
#include "runs/experiment.h"
#include "report/budget.h"
#include "report/modes_report.h"
#include "report/explain_report.h"
#include "report/report.h"
#include "virt/jobstats.h"
#include "runs/rundir.h"

static const char *progname = "migtrace-analyze";
/* The text report's clock: UTC, or local time with --local-time. */
static unsigned text_flags;

/* JSON reals: 15 significant digits print 0.3 as 0.3, not 0.29999999999999999. */
#define JSON_FLAGS (JSON_INDENT(2) | JSON_REAL_PRECISION(15))

static void
warn_cb(void *ctx, const char *msg)
{
	(void)ctx;
	fprintf(stderr, "%s: warning: %s\n", progname, msg);
}

/* One stderr line per gate that failed (over, or not judged). */
static void
over_budget(const json_t *doc)
{
	static const struct {
		const char *path, *what, *opt;
	} g[] = {
		{ "budget", "interruption", "--max-interruption" },
		{ "budget.blackout", "blackout", "--max-blackout" },
	};

	for (size_t i = 0; i < sizeof(g) / sizeof(g[0]); i++) {
		const json_t *b = jpath(doc, g[i].path);
		const json_t *w = json_object_get(b, "within");

		if (w == NULL || json_is_true(w))
			continue;
		if (json_is_null(w))
			fprintf(stderr, "%s: %s: not judged (no %s measured)\n",
			    progname, g[i].opt, g[i].what);
		else
			fprintf(stderr, "%s: over budget: %s %.3f ms > %.3f ms "
			    "(%s)\n", progname, g[i].what,
			    jpath_num(b, "measured_s") * 1e3,
			    jpath_num(b, "max_s") * 1e3, g[i].opt);
	}
}

static void
write_report(const struct analysis *a, const json_t *doc, enum cli_format fmt,
    FILE *f)
{
	if (fmt == CLI_JSON) {
		json_dumpf(doc, f, JSON_FLAGS);
		fputc('\n', f);
	} else if (fmt == CLI_CSV)
		report_write_csv(a, f);
	else
		report_write_text(doc, text_flags, f);
}

/* Write DIR/name; one error line on failure. */
static int
write_out(const char *dir, const char *name, const struct analysis *a,
    const json_t *doc, enum cli_format fmt)
{
	char path[4096];
	FILE *f;
	int bad;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((f = fopen(path, "w")) == NULL) {
		fprintf(stderr, "%s: %s: %s\n", progname, path, strerror(errno));
		return -1;
	}
	write_report(a, doc, fmt, f);
	bad = ferror(f);
	if (fclose(f) != 0 || bad) {
		fprintf(stderr, "%s: %s: write failed: %s\n", progname, path,
		    strerror(errno));
		return -1;
	}
	return 0;
}

static int
run_experiment(const struct cli *c)
{
	struct experiment_opts eo;

	experiment_opts_init(&eo);
	eo.input = c->experiment;
	eo.factors = c->factors;
	eo.response = c->response;
	eo.baseline = c->baseline;
	eo.outdir = c->outdir;
	eo.jobs = c->jobs;
	eo.quiet = c->quiet;
	eo.format = c->format == CLI_JSON ? EXPERIMENT_JSON :
	    c->format == CLI_CSV ? EXPERIMENT_CSV : EXPERIMENT_TEXT;
	eo.aopts = &c->o;
	return experiment_main(&eo);
}

/*
 * Join the QEMU traces (the run directory's, then --qemu-trace's) with
 * the document; 0, or an exit status.
 */
static int
add_pause(const struct cli *c, const struct rundir *rd, json_t *doc)
{
	char errbuf[MT_ERRBUF_SIZE];
	char *paths[CLI_MAX_QEMU_TRACES + 64];
	size_t n = 0;

	for (int i = 0; i < rd->nqtraces && n < 64; i++)
		paths[n++] = rd->qtraces[i];
	for (int i = 0; i < c->nqemu_traces; i++)
		paths[n++] = (char *)c->qemu_traces[i];
	if (pause_add_files(doc, paths, n, warn_cb, NULL, errbuf) < 0) {
		fprintf(stderr, "%s: %s\n", progname, errbuf);
		return MT_EXIT_INPUT;
	}
	return 0;
}

/* Load the job statistics the user named; 0, or an exit status. */
static int
load_jobstats(const struct cli *c, struct jobstats **js)
{
	char errbuf[MT_ERRBUF_SIZE];

	if (c->jobstats != NULL)
		*js = jobstats_load(c->jobstats, warn_cb, NULL, errbuf);
	else if (c->libvirt_uri != NULL)
		*js = jobstats_fetch(c->libvirt_uri, c->domain, warn_cb, NULL, errbuf);
	else
		return 0;
	if (*js == NULL) {
		fprintf(stderr, "%s: %s\n", progname, errbuf);
		return MT_EXIT_INPUT;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	struct cli c;
	struct rundir rd;
	struct jobstats *js = NULL;
	struct analysis *a = NULL;
	json_t *doc = NULL;
	char errbuf[MT_ERRBUF_SIZE];
	char **files, **all = NULL;
	int nfiles, status, explain;
	struct stat st;

	memset(&rd, 0, sizeof(rd));
	if ((status = cli_parse(argc, argv, &c, errbuf)) != 0) {
		fprintf(stderr, "%s: %s\nTry '%s --help' for more information.\n",
		    progname, errbuf, progname);
		cli_free(&c);
		return status;
	}
	if (c.help) {
		cli_usage(stdout);
		cli_free(&c);
		return 0;
	}
	if (c.version) {
		printf("%s %s\n", progname, PACKAGE_VERSION);
		cli_free(&c);
		return 0;
	}
	c.o.warn = warn_cb;
	if (c.local_time)
		text_flags |= REPORT_LOCAL_TIME;
	if (c.experiment != NULL)
		return run_experiment(&c);

	files = c.files;
	nfiles = c.nfiles;
	explain = c.explain;
	if (nfiles == 1 && stat(files[0], &st) == 0 && S_ISDIR(st.st_mode)) {
		/* A run directory: its captures, job statistics, factors. */
		if (rundir_open(files[0], &c.o, &rd, errbuf) < 0) {
			fprintf(stderr, "%s: %s\n", progname, errbuf);
			return MT_EXIT_INPUT;
		}
		files = rd.files;
		nfiles = rd.nfiles;
		rundir_apply(&rd, &c.o);
		if (c.jobstats == NULL && c.libvirt_uri == NULL) {
			js = rd.js;
			rd.js = NULL;
		}
		explain = 1;
	}
	if (clk_spec_used(&c.clk)) {
		/* The files --host names are captures too. */
		if ((all = clk_spec_files(&c.clk, files, nfiles, &nfiles)) == NULL) {
			fprintf(stderr, "%s: out of memory\n", progname);
			status = MT_EXIT_INPUT;
			goto out;
		}
		files = all;
	}
	if ((status = load_jobstats(&c, &js)) != 0)
		goto out;
	if (js != NULL)
		explain = 1;
	if (c.outdir != NULL && mt_mkdir_p(c.outdir, 0755) < 0) {
		fprintf(stderr, "%s: %s: %s\n", progname, c.outdir, strerror(errno));
		status = MT_EXIT_INPUT;
		goto out;
	}

	if ((a = analysis_run(&c.o, files, nfiles, errbuf)) == NULL) {
		fprintf(stderr, "%s: %s\n", progname, errbuf);
		status = MT_EXIT_INPUT;
		goto out;
	}
	doc = analysis_to_json(a);
	status = analysis_status(a);
	if (explain && explain_add_json(doc, js, &c.eo, errbuf) < 0) {
		fprintf(stderr, "%s: %s\n", progname, errbuf);
		status = MT_EXIT_INPUT;
	}
	if (add_pause(&c, &rd, doc) != 0)
		status = MT_EXIT_INPUT;
	if (rd.files != NULL)
		rundir_annotate(doc, c.files[0], &rd);
	{
		char src[512];
		const char *word = rundir_libvirt_outcome(rd.files != NULL ?
		    &rd : NULL, js, src, sizeof(src));

		modes_libvirt_outcome_add(doc, word, src);
	}
	if ((c.max_interruption > 0 || c.max_blackout > 0) &&
	    budget_add_json(doc, c.max_interruption, c.max_blackout) != 1 &&
	    status == 0)
		status = MT_EXIT_OVER_BUDGET;
	if (!c.quiet) {
		write_report(a, doc, c.format, stdout);
		fflush(stdout);
	}
	if (c.outdir != NULL &&
	    (write_out(c.outdir, "report.txt", a, doc, CLI_TEXT) < 0 ||
	    write_out(c.outdir, "report.json", a, doc, CLI_JSON) < 0 ||
	    write_out(c.outdir, "timeline.csv", a, doc, CLI_CSV) < 0))
		status = MT_EXIT_INPUT;
	if (status == MT_EXIT_NO_VM && (c.o.vm_ip.family != 0 ||
	    c.o.vm_mac_given))
		/* Given, but not in the captures: the reason names it and
		 * the hosts that did answer. */
		fprintf(stderr, "%s: %s: %s\n", progname, c.files[0],
		    json_string_value(json_object_get(json_object_get(doc,
		    "vm"), "reason")));
	else if (status == MT_EXIT_NO_VM)
		fprintf(stderr, "%s: %s: no VM found (%s); use --vm ADDR\n",
		    progname, c.files[0], json_string_value(json_object_get(
		    json_object_get(doc, "vm"), "reason")));
	else if (status == MT_EXIT_OVER_BUDGET)
		over_budget(doc);
	else if (status == MT_EXIT_NOT_COVERED)
		fprintf(stderr, "%s: %s\n", progname, analysis_not_covered(a));
	else if (status == MT_EXIT_NO_STREAM)
		fprintf(stderr, "%s: %s: no migration stream found (no TCP flow "
		    "starts with QEMU's \"QEVM\" magic or uses the migration "
		    "ports); capture the management network, or set --mig-ports\n",
		    progname, c.files[0]);
out:
	json_decref(doc);
	analysis_free(a);
	jobstats_free(js);
	rundir_close(&rd);
	free(all);
	cli_free(&c);
	return status;
}
