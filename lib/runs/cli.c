/* cli.c: migtrace-analyze's options (getopt_long), checked and converted. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "input/pkt.h"
#include "runs/cli.h"

void
cli_usage(FILE *f)
{
	fputs(
"Usage: migtrace-analyze [options] FILE...\n"
"       migtrace-analyze [options] RUNDIR\n"
"       migtrace-analyze --experiment DIR|TABLE.csv [options]\n"
"Measure the service interruption and the migration stream of a VM live\n"
"migration from packet captures (pcap or pcapng; several files are merged\n"
"by time, e.g. the external-network and the management-network capture),\n"
"and explain it with libvirt's job statistics. FILE '-' is standard input.\n"
"RUNDIR is a directory left by migtrace-capture -o or lab/lab run: its\n"
"captures, jobstats.json or domjobinfo text, and manifest.\n"
"\n"
"Options:\n"
"  --vm ADDR            the VM's IP or MAC address (default: found automatically)\n"
"  --min-gap DURATION   smallest reply gap reported (default: 3 probe intervals)\n"
"  --bin DURATION       throughput bin width (default: 100ms)\n"
"  --link RATE          link rate for utilisation and the bottleneck verdict\n"
"                       (bits per second: 100M, 1G, 100mbit; a unit is needed)\n"
"  --mig-ports LO-HI    migration stream ports (default: 49152-49215)\n"
"  --max-interruption D a budget: say within or over it, exit 6 when over\n"
"  --max-blackout D     a budget for the blackout (post-copy: until the\n"
"                       destination's first announce; pre-copy: the whole\n"
"                       interruption), exit 6 when over\n"
"  --vxlan-port N       one more UDP port carrying VXLAN (4789 and 8472 are)\n"
"  --vni N              only frames out of tunnels with this VXLAN or Geneve\n"
"                       VNI, GRE key or ERSPAN session\n"
"\n"
"Several hosts, one clock (offsets measured from the frames they share):\n"
"  --host NAME=FILE[,FILE...]  captures one host stamped (repeatable)\n"
"  --clock-ref NAME     the clock the report is on (default: the host of\n"
"                       the files no --host names)\n"
"  --clock-offset FILE=DURATION  add DURATION (signed) to FILE's timestamps\n"
"                       instead of measuring it\n"
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
"Inside the pause (QEMU 8.2 or later, events vmstate_downtime* on):\n"
"  --qemu-trace FILE    a host's QEMU log (/var/log/libvirt/qemu/DOMAIN.log)\n"
"                       with QEMU's downtime trace events; once per host\n"
"\n"
"Experiments (many runs: levels, regression of downtime on the factors):\n"
"  --experiment IN      a directory of run directories, or a CSV table of runs\n"
"  --factors LIST|CSV   factors to model (a,b,c), or a CSV mapping run -> factors\n"
"  --response R         interruption (default), libvirt, or a table column\n"
"  --baseline F=LEVEL   baseline level of a categorical factor\n"
"  -j, --jobs N         analyse N runs at once (default: the CPUs it may use)\n"
"\n"
"Output:\n"
"  --format FMT         text (default), json, or csv (the timeline)\n"
"  -o, --output DIR     also write report.txt, report.json and timeline.csv to DIR\n"
"  -q, --quiet          no report on stdout (with -o)\n"
"      --local-time     text report times in local time with its offset\n"
"                       (default: UTC, marked Z)\n"
"      --no-progress    no progress line on stderr\n"
"      --no-threads     read the captures in one thread (default: reader\n"
"                       threads beside the main one, with more than one CPU)\n"
"  -h, --help           this help\n"
"  -V, --version        the version\n"
"\n"
"Durations take a unit: ns, us, ms, s, m (10ms, 0.5s, 1m); only\n"
"--downtime-limit reads a bare number (as ms). Rates take k, M, G (bits/s).\n"
"Exit status: 0 success, 1 usage error, 2 unreadable or invalid input,\n"
"3 no VM found (use --vm) or the --vm address not seen, 4 no migration\n"
"stream found, 5 the captures do not cover the migration, 6 over the\n"
"--max-interruption or --max-blackout budget. See migtrace-analyze(1).\n", f);
}

static int
bad(char *errbuf, const char *opt, const char *arg, const char *what)
{
	snprintf(errbuf, MT_ERRBUF_SIZE, "%s: '%.200s' is not %s", opt, arg, what);
	return MT_EXIT_USAGE;
}

/* A rate refused: a bare number is told its unit is missing. */
static int
bad_rate(char *errbuf, const char *opt, const char *arg)
{
	if (mt_is_bare_number(arg))
		snprintf(errbuf, MT_ERRBUF_SIZE, "%s: '%.40s' has no unit: "
		    "write %.40sM for %.40s Mbit/s (k, M, G: bits per "
		    "second, powers of 10)", opt, arg, arg, arg);
	else
		snprintf(errbuf, MT_ERRBUF_SIZE, "%s: '%.200s' is not a rate "
		    "(e.g. 100M, 1G, 100mbit)", opt, arg);
	return MT_EXIT_USAGE;
}

/* A duration refused: a bare number is told its unit is missing. */
static int
bad_duration(char *errbuf, const char *opt, const char *arg, const char *what)
{
	char hint[160];

	if (mt_duration_hint(hint, sizeof(hint), arg))
		snprintf(errbuf, MT_ERRBUF_SIZE, "%s: '%.40s' has no unit: %s",
		    opt, arg, hint);
	else
		bad(errbuf, opt, arg, what);
	return MT_EXIT_USAGE;
}

static int
parse_ports(const char *s, uint16_t *lo, uint16_t *hi)
{
	unsigned a, b;
	char tail;

	if (sscanf(s, "%u-%u%c", &a, &b, &tail) == 2) {
		/* a range */
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

int
cli_parse(int argc, char **argv, struct cli *c, char *errbuf)
{
	enum {
		OPT_VM = 256, OPT_MIN_GAP, OPT_BIN, OPT_LINK, OPT_MIG_PORTS,
		OPT_FORMAT, OPT_NO_PROGRESS, OPT_NO_THREADS, OPT_JOBSTATS, OPT_LIBVIRT,
		OPT_DOMAIN, OPT_DOWNTIME_LIMIT, OPT_WHAT_IF_LINK,
		OPT_EXPERIMENT, OPT_FACTORS, OPT_RESPONSE, OPT_BASELINE,
		OPT_MAX_INTERRUPTION,
		OPT_MAX_BLACKOUT,
		OPT_QEMU_TRACE, OPT_LOCAL_TIME,
		OPT_VXLAN_PORT, OPT_VNI,
		OPT_HOST, OPT_CLOCK_REF, OPT_CLOCK_OFFSET,
	};
	static const struct option longopts[] = {
		{ "vm", required_argument, NULL, OPT_VM },
		{ "min-gap", required_argument, NULL, OPT_MIN_GAP },
		{ "bin", required_argument, NULL, OPT_BIN },
		{ "link", required_argument, NULL, OPT_LINK },
		{ "mig-ports", required_argument, NULL, OPT_MIG_PORTS },
		{ "vxlan-port", required_argument, NULL, OPT_VXLAN_PORT },
		{ "vni", required_argument, NULL, OPT_VNI },
		{ "format", required_argument, NULL, OPT_FORMAT },
		{ "jobstats", required_argument, NULL, OPT_JOBSTATS },
		{ "libvirt", required_argument, NULL, OPT_LIBVIRT },
		{ "domain", required_argument, NULL, OPT_DOMAIN },
		{ "downtime-limit", required_argument, NULL, OPT_DOWNTIME_LIMIT },
		{ "what-if-link", required_argument, NULL, OPT_WHAT_IF_LINK },
		{ "max-interruption", required_argument, NULL, OPT_MAX_INTERRUPTION },
		{ "max-blackout", required_argument, NULL, OPT_MAX_BLACKOUT },
		{ "experiment", required_argument, NULL, OPT_EXPERIMENT },
		{ "factors", required_argument, NULL, OPT_FACTORS },
		{ "response", required_argument, NULL, OPT_RESPONSE },
		{ "baseline", required_argument, NULL, OPT_BASELINE },
		{ "qemu-trace", required_argument, NULL, OPT_QEMU_TRACE },
		{ "host", required_argument, NULL, OPT_HOST },
		{ "clock-ref", required_argument, NULL, OPT_CLOCK_REF },
		{ "clock-offset", required_argument, NULL, OPT_CLOCK_OFFSET },
		{ "jobs", required_argument, NULL, 'j' },
		{ "output", required_argument, NULL, 'o' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "no-progress", no_argument, NULL, OPT_NO_PROGRESS },
		{ "no-threads", no_argument, NULL, OPT_NO_THREADS },
		{ "local-time", no_argument, NULL, OPT_LOCAL_TIME },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	int ch;
	char *end;
	long n;

	memset(c, 0, sizeof(*c));
	analysis_opts_init(&c->o);
	explain_opts_init(&c->eo);
	c->o.progress = 1;
	optind = 0;		/* GNU: full reinitialisation */
	opterr = 0;		/* errors are ours to word */
	while ((ch = getopt_long(argc, argv, ":o:qj:hV", longopts, NULL)) != -1) {
		switch (ch) {
		case OPT_VM:
			if (mt_addr_parse(optarg, &c->o.vm_ip) == 0)
				break;
			if (mt_mac_parse(optarg, &c->o.vm_mac) == 0) {
				c->o.vm_mac_given = 1;
				break;
			}
			return bad(errbuf, "--vm", optarg, "an IP or MAC address");
		case OPT_MIN_GAP:
			if (mt_parse_duration(optarg, &c->o.min_gap) < 0 || c->o.min_gap <= 0)
				return bad_duration(errbuf, "--min-gap", optarg, "a duration (e.g. 30ms)");
			break;
		case OPT_BIN:
			if (mt_parse_duration(optarg, &c->o.bin) < 0 || c->o.bin < MT_NS_PER_MS)
				return bad_duration(errbuf, "--bin", optarg, "a duration of at least 1ms");
			break;
		case OPT_LINK:
			if (mt_parse_rate(optarg, &c->o.link_bps) < 0)
				return bad_rate(errbuf, "--link", optarg);
			break;
		case OPT_MIG_PORTS:
			if (parse_ports(optarg, &c->o.mig_port_lo, &c->o.mig_port_hi) < 0)
				return bad(errbuf, "--mig-ports", optarg, "a port range (e.g. 49152-49215)");
			break;
		case OPT_VXLAN_PORT: {
			uint16_t lo, hi;
			if (parse_ports(optarg, &lo, &hi) < 0 || lo != hi)
				return bad(errbuf, "--vxlan-port", optarg, "a UDP port (1-65535)");
			c->o.vxlan_port = lo;
			/* process-wide, before any reader thread starts */
			pkt_vxlan_port(lo);
			break;
		}
		case OPT_VNI: {
			unsigned long long v;
			char *e;
			errno = 0;
			v = strtoull(optarg, &e, strncasecmp(optarg, "0x", 2) == 0 ? 16 : 10);
			if (errno != 0 || e == optarg || *e != '\0' ||
			    optarg[0] == '-' || v > UINT32_MAX)
				return bad(errbuf, "--vni", optarg, "a number (0-4294967295)");
			c->o.vni = (uint32_t)v;
			c->o.vni_given = 1;
			break;
		}
		case OPT_FORMAT:
			if (strcmp(optarg, "text") == 0)
				c->format = CLI_TEXT;
			else if (strcmp(optarg, "json") == 0)
				c->format = CLI_JSON;
			else if (strcmp(optarg, "csv") == 0)
				c->format = CLI_CSV;
			else
				return bad(errbuf, "--format", optarg, "text, json or csv");
			break;
		case OPT_JOBSTATS:
			c->jobstats = optarg;
			break;
		case OPT_LIBVIRT:
			c->libvirt_uri = optarg;
			break;
		case OPT_DOMAIN:
			c->domain = optarg;
			break;
		case OPT_DOWNTIME_LIMIT:
			if (explain_parse_limit(optarg, &c->eo.downtime_limit_s) < 0)
				return bad(errbuf, "--downtime-limit", optarg, "a duration (e.g. 300ms, 500)");
			break;
		case OPT_WHAT_IF_LINK:
			if (mt_parse_rate(optarg, &c->eo.what_if_link_bps) < 0)
				return bad_rate(errbuf, "--what-if-link", optarg);
			c->explain = 1;
			break;
		case OPT_MAX_INTERRUPTION:
			if (mt_parse_duration(optarg, &c->max_interruption) < 0 ||
			    c->max_interruption <= 0)
				return bad_duration(errbuf, "--max-interruption",
				    optarg, "a duration (e.g. 500ms)");
			break;
		case OPT_MAX_BLACKOUT:
			if (mt_parse_duration(optarg, &c->max_blackout) < 0 ||
			    c->max_blackout <= 0)
				return bad_duration(errbuf, "--max-blackout",
				    optarg, "a duration (e.g. 300ms)");
			break;
		case OPT_EXPERIMENT:
			c->experiment = optarg;
			break;
		case OPT_FACTORS:
			c->factors = optarg;
			break;
		case OPT_RESPONSE:
			c->response = optarg;
			break;
		case OPT_BASELINE:
			c->baseline = optarg;
			break;
		case OPT_QEMU_TRACE:
			if (c->nqemu_traces == CLI_MAX_QEMU_TRACES) {
				snprintf(errbuf, MT_ERRBUF_SIZE, "--qemu-trace: "
				    "more than %d files", CLI_MAX_QEMU_TRACES);
				return MT_EXIT_USAGE;
			}
			c->qemu_traces[c->nqemu_traces++] = optarg;
			break;
		case OPT_HOST:
			if (clk_spec_host(&c->clk, optarg, errbuf) < 0)
				return MT_EXIT_USAGE;
			break;
		case OPT_CLOCK_REF:
			if (clk_spec_ref(&c->clk, optarg, errbuf) < 0)
				return MT_EXIT_USAGE;
			break;
		case OPT_CLOCK_OFFSET:
			if (clk_spec_offset(&c->clk, optarg, errbuf) < 0)
				return MT_EXIT_USAGE;
			break;
		case 'j':
			n = strtol(optarg, &end, 10);
			if (end == optarg || *end != '\0' || n < 0 || n > 256)
				return bad(errbuf, "--jobs", optarg, "a number of jobs from 1 to 256, or 0 for one per core");
			c->jobs = (int)n;
			break;
		case 'o':
			c->outdir = optarg;
			break;
		case 'q':
			c->quiet = 1;
			break;
		case OPT_NO_PROGRESS:
			c->o.progress = 0;
			break;
		case OPT_LOCAL_TIME:
			c->local_time = 1;
			break;
		case OPT_NO_THREADS:
			c->o.readahead = 0;
			break;
		case 'h':
			c->help = 1;
			return 0;
		case 'V':
			c->version = 1;
			return 0;
		case ':':
		default:
			if (optopt >= 256 || (optopt > 0 && strchr("ojqhV", optopt)))
				snprintf(errbuf, MT_ERRBUF_SIZE, "option '%.100s' needs a value",
				    argv[optind - 1]);
			else if (optopt > 0)
				snprintf(errbuf, MT_ERRBUF_SIZE, "unknown option '-%c'", optopt);
			else
				snprintf(errbuf, MT_ERRBUF_SIZE, "unknown option '%.100s'",
				    argv[optind - 1]);
			return MT_EXIT_USAGE;
		}
	}
	c->files = argv + optind;
	c->nfiles = argc - optind;
	if (clk_spec_used(&c->clk))
		c->o.clocks = &c->clk;
	if (c->experiment != NULL) {
		if (c->max_interruption > 0 || c->max_blackout > 0) {
			snprintf(errbuf, MT_ERRBUF_SIZE, "%s checks one run, not "
			    "an experiment", c->max_interruption > 0 ?
			    "--max-interruption" : "--max-blackout");
			return MT_EXIT_USAGE;
		}
		if (clk_spec_used(&c->clk)) {
			snprintf(errbuf, MT_ERRBUF_SIZE, "--host, --clock-ref and "
			    "--clock-offset go with one run's captures, not "
			    "--experiment");
			return MT_EXIT_USAGE;
		}
		if (c->nfiles > 0) {
			snprintf(errbuf, MT_ERRBUF_SIZE, "--experiment takes no "
			    "capture files ('%.200s')", c->files[0]);
			return MT_EXIT_USAGE;
		}
		if (c->nqemu_traces > 0) {
			snprintf(errbuf, MT_ERRBUF_SIZE, "--qemu-trace goes with "
			    "one run (an experiment's run directories bring "
			    "their own qemu-trace-*.log)");
			return MT_EXIT_USAGE;
		}
	} else {
		if (c->nfiles == 0 && c->clk.nhosts == 0) {
			snprintf(errbuf, MT_ERRBUF_SIZE, "no capture file given");
			return MT_EXIT_USAGE;
		}
		if (c->factors || c->response || c->baseline || c->jobs) {
			snprintf(errbuf, MT_ERRBUF_SIZE, "--factors, --response, "
			    "--baseline and --jobs go with --experiment");
			return MT_EXIT_USAGE;
		}
	}
	if (c->quiet && c->outdir == NULL) {
		snprintf(errbuf, MT_ERRBUF_SIZE, "--quiet needs -o DIR "
		    "(otherwise nothing is written)");
		return MT_EXIT_USAGE;
	}
	if ((c->libvirt_uri == NULL) != (c->domain == NULL)) {
		snprintf(errbuf, MT_ERRBUF_SIZE, "--libvirt and --domain go together");
		return MT_EXIT_USAGE;
	}
	if (c->libvirt_uri != NULL && c->jobstats != NULL) {
		snprintf(errbuf, MT_ERRBUF_SIZE, "give --jobstats or --libvirt, not both");
		return MT_EXIT_USAGE;
	}
	return 0;
}

void
cli_free(struct cli *c)
{
	if (c == NULL)
		return;
	clk_spec_free(&c->clk);
	c->o.clocks = NULL;
}
