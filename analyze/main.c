/*
 * main.c: migtrace-analyze, the command line. Parses options, runs the
 * analysis of one run (or an experiment of many), writes the report.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "analysis.h"
#include "explain_report.h"
#include "jobstats.h"
#include "rundir.h"

static const char *progname = "migtrace-analyze";

enum format { FMT_TEXT, FMT_JSON, FMT_CSV };

/* JSON reals: 15 significant digits print 0.3 as 0.3, not 0.29999999999999999. */
#define JSON_FLAGS (JSON_INDENT(2) | JSON_REAL_PRECISION(15))

static void
usage(FILE *f)
{
	fprintf(f,
"Usage: %s [options] FILE...\n"
"       %s [options] RUNDIR\n"
"Measure the service interruption and the migration stream of a VM live\n"
"migration from packet captures (pcap or pcapng; several files are merged\n"
"by time, e.g. the external-network and the management-network capture),\n"
"and explain it with libvirt's job statistics. RUNDIR is a directory left\n"
"by migtrace-capture -o or lab/lab run: its captures, jobstats.json or\n"
"domjobinfo text, and manifest.\n"
"\n"
"Options:\n"
"  --vm ADDR            the VM's IP or MAC address (default: found automatically)\n"
"  --min-gap DURATION   smallest reply gap reported (default: 3 probe intervals)\n"
"  --bin DURATION       throughput bin width (default: 100ms)\n"
"  --link RATE          link rate for utilisation and the bottleneck verdict\n"
"                       (e.g. 100M, 1G, 100mbit)\n"
"  --mig-ports LO-HI    migration stream ports (default: 49152-49215)\n"
"\n"
"Job statistics (split the downtime, crosscheck, pre-copy model):\n"
"  --jobstats FILE      virsh domjobinfo --completed text (default or\n"
"                       --rawstats), or jobstats.json from migtrace-capture\n"
"  --libvirt URI        fetch the completed job live (with --domain)\n"
"  --domain NAME        the migrated domain\n"
"  --downtime-limit D   the switchover limit of the model (default 300ms;\n"
"                       a plain number is ms, as virsh migrate-setmaxdowntime)\n"
"  --what-if-link RATE  predict the migration on another link (e.g. 1G)\n"
"\n"
"Output:\n"
"  --format FMT         text (default), json, or csv (the timeline)\n"
"  -o, --output DIR     also write report.txt, report.json and timeline.csv to DIR\n"
"  -q, --quiet          no report on stdout (with -o)\n"
"      --no-progress    no progress line on stderr\n"
"  -h, --help           this help\n"
"  -V, --version        the version\n"
"\n"
"Durations take a unit: ns, us, ms, s (default s). Exit status: 0 success,\n"
"1 usage error, 2 unreadable or invalid input, 3 no VM found (use --vm),\n"
"4 no migration stream found. See migtrace-analyze(1).\n",
	    progname, progname);
}

static void
warn_cb(void *ctx, const char *msg)
{
	(void)ctx;
	fprintf(stderr, "%s: warning: %s\n", progname, msg);
}

static int
usage_error(const char *fmt, const char *arg)
{
	fprintf(stderr, "%s: ", progname);
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\nTry '%s --help' for more information.\n", progname);
	return MT_EXIT_USAGE;
}

static int
parse_ports(const char *s, uint16_t *lo, uint16_t *hi)
{
	unsigned a, b;
	char tail;

	if (sscanf(s, "%u-%u%c", &a, &b, &tail) == 2) {
	} else if (sscanf(s, "%u%c", &a, &tail) == 1)
		b = a;
	else
		return -1;
	if (a == 0 || a > 65535 || b > 65535 || a > b)
		return -1;
	*lo = (uint16_t)a;
	*hi = (uint16_t)b;
	return 0;
}

/* The text report: measures, then what job statistics explain, then notes. */
static void
write_text(const struct analysis *a, const json_t *doc, FILE *f)
{
	json_t *notes = json_object_get(doc, "notes"), *n;
	size_t i;

	analysis_write_text(a, f);
	explain_write_text(doc, f);
	if (json_array_size(notes) > 0) {
		fprintf(f, "\nNotes\n");
		json_array_foreach(notes, i, n)
			fprintf(f, "  - %s\n", json_string_value(n));
	}
}

/* Write a file under dir with one writer; one error line on failure. */
static int
write_out(const char *dir, const char *name, const struct analysis *a,
    const json_t *doc, enum format fmt)
{
	char path[4096];
	FILE *f;
	int bad;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((f = fopen(path, "w")) == NULL) {
		fprintf(stderr, "%s: %s: %s\n", progname, path, strerror(errno));
		return -1;
	}
	if (fmt == FMT_JSON) {
		json_dumpf(doc, f, JSON_FLAGS);
		fputc('\n', f);
	} else if (fmt == FMT_CSV)
		analysis_write_csv(a, f);
	else
		write_text(a, doc, f);
	bad = ferror(f);
	if (fclose(f) != 0 || bad) {
		fprintf(stderr, "%s: %s: write failed: %s\n", progname, path,
		    strerror(errno));
		return -1;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	enum {
		OPT_VM = 256, OPT_MIN_GAP, OPT_BIN, OPT_LINK, OPT_MIG_PORTS,
		OPT_FORMAT, OPT_NO_PROGRESS, OPT_JOBSTATS, OPT_LIBVIRT,
		OPT_DOMAIN, OPT_DOWNTIME_LIMIT, OPT_WHAT_IF_LINK,
	};
	static const struct option longopts[] = {
		{ "vm", required_argument, NULL, OPT_VM },
		{ "min-gap", required_argument, NULL, OPT_MIN_GAP },
		{ "bin", required_argument, NULL, OPT_BIN },
		{ "link", required_argument, NULL, OPT_LINK },
		{ "mig-ports", required_argument, NULL, OPT_MIG_PORTS },
		{ "format", required_argument, NULL, OPT_FORMAT },
		{ "jobstats", required_argument, NULL, OPT_JOBSTATS },
		{ "libvirt", required_argument, NULL, OPT_LIBVIRT },
		{ "domain", required_argument, NULL, OPT_DOMAIN },
		{ "downtime-limit", required_argument, NULL, OPT_DOWNTIME_LIMIT },
		{ "what-if-link", required_argument, NULL, OPT_WHAT_IF_LINK },
		{ "output", required_argument, NULL, 'o' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "no-progress", no_argument, NULL, OPT_NO_PROGRESS },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct analysis_opts o;
	enum format fmt = FMT_TEXT;
	const char *outdir = NULL;
	int quiet = 0, c, status;
	char errbuf[MT_ERRBUF_SIZE];
	struct analysis *a;
	struct explain_opts eo;
	struct jobstats *js = NULL;
	struct rundir rd;
	const char *jobstats_path = NULL, *libvirt_uri = NULL, *domain = NULL;
	int explain = 0, nfiles;
	char **files;
	struct stat st;
	json_t *doc;

	analysis_opts_init(&o);
	explain_opts_init(&eo);
	memset(&rd, 0, sizeof(rd));
	o.progress = 1;
	o.warn = warn_cb;
	while ((c = getopt_long(argc, argv, "o:qhV", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_VM:
			if (mt_addr_parse(optarg, &o.vm_ip) == 0)
				break;
			if (mt_mac_parse(optarg, &o.vm_mac) == 0) {
				o.vm_mac_given = 1;
				break;
			}
			return usage_error("--vm: '%s' is neither an IP nor a MAC address", optarg);
		case OPT_MIN_GAP:
			if (mt_parse_duration(optarg, &o.min_gap) < 0 || o.min_gap <= 0)
				return usage_error("--min-gap: '%s' is not a duration (e.g. 30ms)", optarg);
			break;
		case OPT_BIN:
			if (mt_parse_duration(optarg, &o.bin) < 0 || o.bin < MT_NS_PER_MS)
				return usage_error("--bin: '%s' is not a duration of at least 1ms", optarg);
			break;
		case OPT_LINK:
			if (mt_parse_rate(optarg, &o.link_bps) < 0)
				return usage_error("--link: '%s' is not a rate (e.g. 100M, 1G)", optarg);
			break;
		case OPT_MIG_PORTS:
			if (parse_ports(optarg, &o.mig_port_lo, &o.mig_port_hi) < 0)
				return usage_error("--mig-ports: '%s' is not a port range (e.g. 49152-49215)", optarg);
			break;
		case OPT_FORMAT:
			if (strcmp(optarg, "text") == 0)
				fmt = FMT_TEXT;
			else if (strcmp(optarg, "json") == 0)
				fmt = FMT_JSON;
			else if (strcmp(optarg, "csv") == 0)
				fmt = FMT_CSV;
			else
				return usage_error("--format: '%s' is not text, json or csv", optarg);
			break;
		case OPT_JOBSTATS:
			jobstats_path = optarg;
			break;
		case OPT_LIBVIRT:
			libvirt_uri = optarg;
			break;
		case OPT_DOMAIN:
			domain = optarg;
			break;
		case OPT_DOWNTIME_LIMIT:
			if (explain_parse_limit(optarg, &eo.downtime_limit_s) < 0)
				return usage_error("--downtime-limit: '%s' is not a duration (e.g. 300ms, 500)", optarg);
			break;
		case OPT_WHAT_IF_LINK:
			if (mt_parse_rate(optarg, &eo.what_if_link_bps) < 0)
				return usage_error("--what-if-link: '%s' is not a rate (e.g. 1G)", optarg);
			explain = 1;
			break;
		case 'o':
			outdir = optarg;
			break;
		case 'q':
			quiet = 1;
			break;
		case OPT_NO_PROGRESS:
			o.progress = 0;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("%s %s\n", progname, PACKAGE_VERSION);
			return 0;
		default:
			fprintf(stderr, "Try '%s --help' for more information.\n", progname);
			return MT_EXIT_USAGE;
		}
	}
	if (optind >= argc)
		return usage_error("%s", "no capture file given");
	if (quiet && outdir == NULL)
		return usage_error("%s", "--quiet needs -o DIR (otherwise nothing is written)");
	if ((libvirt_uri == NULL) != (domain == NULL))
		return usage_error("%s", "--libvirt and --domain go together");
	if (libvirt_uri != NULL && jobstats_path != NULL)
		return usage_error("%s", "give --jobstats or --libvirt, not both");

	files = argv + optind;
	nfiles = argc - optind;
	if (nfiles == 1 && stat(files[0], &st) == 0 && S_ISDIR(st.st_mode)) {
		/* A run directory: its captures, job statistics, factors. */
		if (rundir_open(files[0], &o, &rd, errbuf) < 0) {
			fprintf(stderr, "%s: %s\n", progname, errbuf);
			return MT_EXIT_INPUT;
		}
		files = rd.files;
		nfiles = rd.nfiles;
		if (o.link_bps == 0)
			o.link_bps = rd.link_bps;
		if (jobstats_path == NULL && libvirt_uri == NULL) {
			js = rd.js;
			rd.js = NULL;
		}
		explain = 1;
	}
	if (jobstats_path != NULL) {
		js = jobstats_load(jobstats_path, warn_cb, NULL, errbuf);
		if (js == NULL) {
			fprintf(stderr, "%s: %s\n", progname, errbuf);
			rundir_close(&rd);
			return MT_EXIT_INPUT;
		}
	} else if (libvirt_uri != NULL) {
		js = jobstats_fetch(libvirt_uri, domain, warn_cb, NULL, errbuf);
		if (js == NULL) {
			fprintf(stderr, "%s: %s\n", progname, errbuf);
			rundir_close(&rd);
			return MT_EXIT_INPUT;
		}
	}
	if (js != NULL)
		explain = 1;
	if (outdir != NULL && mkdir(outdir, 0755) < 0 && errno != EEXIST) {
		fprintf(stderr, "%s: %s: %s\n", progname, outdir, strerror(errno));
		jobstats_free(js);
		rundir_close(&rd);
		return MT_EXIT_INPUT;
	}

	a = analysis_run(&o, files, nfiles, errbuf);
	if (a == NULL) {
		fprintf(stderr, "%s: %s\n", progname, errbuf);
		jobstats_free(js);
		rundir_close(&rd);
		return MT_EXIT_INPUT;
	}
	doc = analysis_to_json(a);
	status = analysis_status(a);
	if (explain && explain_add_json(doc, js, &eo, errbuf) < 0) {
		fprintf(stderr, "%s: %s\n", progname, errbuf);
		status = MT_EXIT_INPUT;
	}
	if (rd.files != NULL)
		rundir_annotate(doc, argv[optind], &rd);
	if (!quiet) {
		if (fmt == FMT_JSON) {
			json_dumpf(doc, stdout, JSON_FLAGS);
			putchar('\n');
		} else if (fmt == FMT_CSV)
			analysis_write_csv(a, stdout);
		else
			write_text(a, doc, stdout);
		fflush(stdout);
	}
	if (outdir != NULL &&
	    (write_out(outdir, "report.txt", a, doc, FMT_TEXT) < 0 ||
	    write_out(outdir, "report.json", a, doc, FMT_JSON) < 0 ||
	    write_out(outdir, "timeline.csv", a, doc, FMT_CSV) < 0))
		status = MT_EXIT_INPUT;
	if (status == MT_EXIT_NO_VM)
		fprintf(stderr, "%s: %s: no VM found (%s); use --vm ADDR\n",
		    progname, argv[optind], json_string_value(json_object_get(
		    json_object_get(doc, "vm"), "reason")));
	else if (status == MT_EXIT_NO_STREAM)
		fprintf(stderr, "%s: %s: no migration stream found (no TCP flow "
		    "starts with QEMU's \"QEVM\" magic or uses the migration "
		    "ports); capture the management network, or set --mig-ports\n",
		    progname, argv[optind]);
	json_decref(doc);
	analysis_free(a);
	jobstats_free(js);
	rundir_close(&rd);
	return status;
}
