/*
 * cli.h: migtrace-analyze's command line, parsed into one struct without
 * printing or exiting, so the parser can be unit-tested and fuzzed.
 */
#ifndef MT_CLI_H
#define MT_CLI_H

#include "analysis/analysis.h"
#include "runs/experiment.h"
#include "report/explain_report.h"

/* --qemu-trace given at most this often (one log per host). */
#define CLI_MAX_QEMU_TRACES	16

enum cli_format { CLI_TEXT, CLI_JSON, CLI_CSV };

struct cli {
	struct analysis_opts o;
	struct explain_opts eo;
	int explain;			/* --what-if-link asks for the model */
	mt_ns max_interruption;		/* --max-interruption, 0: no budget */
	mt_ns max_blackout;		/* --max-blackout, 0: no budget */
	int local_time;			/* --local-time: the text in local time */
	enum cli_format format;
	const char *outdir;		/* -o DIR */
	int quiet;
	const char *jobstats;		/* --jobstats FILE */
	const char *libvirt_uri, *domain;
	/* --experiment and its options */
	const char *experiment, *factors, *response, *baseline;
	int jobs;
	const char *qemu_traces[CLI_MAX_QEMU_TRACES];	/* --qemu-trace FILE */
	int nqemu_traces;
	int help, version;
	char **files;			/* the operands (argv's strings) */
	int nfiles;
	struct clk_spec clk;		/* --host, --clock-ref, --clock-offset;
					   o.clocks points here when used */
};

/*
 * Parse argv. Return 0 (c filled; help/version set when asked), or
 * MT_EXIT_USAGE with errbuf set to one line naming the option at fault.
 * Resets getopt's state, so it can be called more than once.
 */
int cli_parse(int argc, char **argv, struct cli *c, char *errbuf);

/* Free what cli_parse() allocated (the clock spec); c stays usable
 * apart from o.clocks. NULL is fine. Call before parsing into c again. */
void cli_free(struct cli *c);

/* The --help text. */
void cli_usage(FILE *f);

#endif /* MT_CLI_H */
