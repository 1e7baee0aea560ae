/*
 * options.c: migtrace-capture's command line: parsing, checking, and
 * turning it into one capture per interface (role, filter, snaplen,
 * buffer, file name).
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture.h"

static void
usage(FILE *f)
{
	fprintf(f,
"Usage: %s -o DIR [--mgmt IF]... [--ext IF]... [options]\n"
"Record a VM live migration on the management and external networks:\n"
"one pcap file (nanosecond time stamps) per interface and DIR/manifest.json.\n"
"\n"
"Interfaces and filters:\n"
"  -o, --output DIR        write DIR/ROLE-IF.pcap and DIR/manifest.json\n"
"      --mgmt IF           capture the management network on IF\n"
"      --ext IF            capture the external (service) network on IF\n"
"      --mig-ports LIST    management TCP ports (default %s)\n"
"      --vm ADDR           the VM's IP or MAC: external filter\n"
"                          'host ADDR or arp or rarp' (default: everything)\n"
"      --filter-mgmt EXPR  management filter (overrides --mig-ports)\n"
"      --filter-ext EXPR   external filter (overrides --vm)\n"
"  -s, --snaplen N         bytes per packet (default %d mgmt, %d ext)\n"
"  -B, --buffer-size KiB   kernel buffer per interface (default %d)\n"
"  -p, --no-promiscuous-mode\n"
"      --immediate         deliver packets at once (more CPU per packet)\n"
"\n"
"Stopping (all exit 0, like tcpdump):\n"
"      --duration D        stop after D (\"500ms\", \"30s\", \"1m\")\n"
"      SIGINT, SIGTERM     stop (a second one stops without draining)\n"
"      --linger D          after the migration job ends, capture D more\n"
"                          (default 2s)\n"
"\n"
"Probing:\n"
"      --vm-probe ADDR     send ICMP echo requests to ADDR (IPv4 or IPv6)\n"
"      --probe-interval D  one request every D (default 10ms, at least 1ms)\n"
"\n"
"libvirt:\n"
"      --libvirt URI       watch the migration events of --domain on URI\n"
"      --domain NAME       the migrating domain\n"
"      --libvirt-dest URI  read the completed job statistics there too\n"
"      --migrate-to URI    start the live peer-to-peer migration to URI\n"
"      --migrate-uri URI   migration stream address (tcp://HOST:PORT)\n"
"      --qemu-log FILE     a host's QEMU log to copy the migration's lines of\n"
"                          to DIR/qemu-trace-N.log (repeatable; default the\n"
"                          domain's /var/log/libvirt/qemu/NAME.log if here)\n"
"\n"
"Run:\n"
"  -Z, --relinquish-privileges USER\n"
"                          after opening the interfaces, become USER\n"
"      --force             overwrite existing capture files\n"
"      --factor KEY=VALUE  record a factor of this run in the manifest\n"
"  -q, --quiet             no summary (warnings are still printed)\n"
"  -h, --help              this help\n"
"  -V, --version           the version\n"
"\n"
"Durations take a unit: ns, us, ms, s, m (a bare number is refused).\n"
"\n"
"Exit status: 0 on a normal stop; 1 on a setup error, a full disk or a\n"
"write error, or a migration (--migrate-to) that failed.\n",
	    CAP_PROG, CAP_MIG_PORTS, CAP_SNAPLEN_MGMT, CAP_SNAPLEN_EXT,
	    CAP_BUFFER_KIB);
}

/* A duration refused; a bare number is told its unit is missing. */
static void
bad_duration(const char *opt, const char *arg, const char *what)
{
	char hint[160];

	if (mt_duration_hint(hint, sizeof(hint), arg))
		cap_err("%s %s: no unit: %s", opt, arg, hint);
	else
		cap_err("%s %s: %s expected (e.g. 500ms, 2s)", opt, arg, what);
}

enum {
	OPT_MGMT = 256, OPT_EXT, OPT_MIG_PORTS, OPT_VM, OPT_FILTER_MGMT,
	OPT_FILTER_EXT, OPT_IMMEDIATE, OPT_DURATION, OPT_VM_PROBE,
	OPT_PROBE_INTERVAL, OPT_LIBVIRT, OPT_DOMAIN, OPT_LIBVIRT_DEST, OPT_QEMU_LOG,
	OPT_MIGRATE_TO, OPT_MIGRATE_URI, OPT_LINGER, OPT_FORCE, OPT_FACTOR
};

static const struct option longopts[] = {
	{ "output", required_argument, NULL, 'o' },
	{ "mgmt", required_argument, NULL, OPT_MGMT },
	{ "ext", required_argument, NULL, OPT_EXT },
	{ "mig-ports", required_argument, NULL, OPT_MIG_PORTS },
	{ "vm", required_argument, NULL, OPT_VM },
	{ "filter-mgmt", required_argument, NULL, OPT_FILTER_MGMT },
	{ "filter-ext", required_argument, NULL, OPT_FILTER_EXT },
	{ "snaplen", required_argument, NULL, 's' },
	{ "buffer-size", required_argument, NULL, 'B' },
	{ "no-promiscuous-mode", no_argument, NULL, 'p' },
	{ "immediate", no_argument, NULL, OPT_IMMEDIATE },
	{ "duration", required_argument, NULL, OPT_DURATION },
	{ "vm-probe", required_argument, NULL, OPT_VM_PROBE },
	{ "probe-interval", required_argument, NULL, OPT_PROBE_INTERVAL },
	{ "libvirt", required_argument, NULL, OPT_LIBVIRT },
	{ "domain", required_argument, NULL, OPT_DOMAIN },
	{ "libvirt-dest", required_argument, NULL, OPT_LIBVIRT_DEST },
	{ "qemu-log", required_argument, NULL, OPT_QEMU_LOG },
	{ "migrate-to", required_argument, NULL, OPT_MIGRATE_TO },
	{ "migrate-uri", required_argument, NULL, OPT_MIGRATE_URI },
	{ "linger", required_argument, NULL, OPT_LINGER },
	{ "relinquish-privileges", required_argument, NULL, 'Z' },
	{ "force", no_argument, NULL, OPT_FORCE },
	{ "factor", required_argument, NULL, OPT_FACTOR },
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 }
};

/* Parse a decimal integer in [lo, hi]; return 0 or -1. */
static int
parse_int(const char *s, long lo, long hi, long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

/*
 * "49152-49215,16509,16514" -> "tcp portrange 49152-49215 or tcp port
 * 16509 or tcp port 16514". Return a new string or NULL (bad list).
 */
static char *
ports_filter(const char *list)
{
	char *copy, *tok, *save, *out;
	size_t cap, len = 0;
	long a, b;

	if ((copy = strdup(list)) == NULL)
		return NULL;
	cap = strlen(list) * 4 + 64;
	if ((out = malloc(cap)) == NULL) {
		free(copy);
		return NULL;
	}
	out[0] = '\0';
	for (tok = strtok_r(copy, ",", &save); tok != NULL;
	    tok = strtok_r(NULL, ",", &save)) {
		char *dash = strchr(tok, '-');
		int n;

		if (dash != NULL) {
			*dash = '\0';
			if (parse_int(tok, 1, 65535, &a) < 0 ||
			    parse_int(dash + 1, 1, 65535, &b) < 0 || a > b)
				goto bad;
			n = snprintf(out + len, cap - len, "%stcp portrange "
			    "%ld-%ld", len ? " or " : "", a, b);
		} else {
			if (parse_int(tok, 1, 65535, &a) < 0)
				goto bad;
			n = snprintf(out + len, cap - len, "%stcp port %ld",
			    len ? " or " : "", a);
		}
		if (n < 0 || (size_t)n >= cap - len)
			goto bad;
		len += (size_t)n;
	}
	free(copy);
	if (len == 0) {
		free(out);
		return NULL;
	}
	return out;
bad:
	free(copy);
	free(out);
	return NULL;
}

/* The external filter for --vm ADDR (IP or MAC); NULL if not either. */
static char *
vm_filter(const char *vm)
{
	struct mt_addr a;
	struct mt_mac mac;
	char buf[128], s[64];

	if (mt_addr_parse(vm, &a) == 0)
		snprintf(buf, sizeof(buf), "host %s or arp or rarp",
		    mt_addr_str(&a, s, sizeof(s)));
	else if (mt_mac_parse(vm, &mac) == 0)
		snprintf(buf, sizeof(buf), "ether host %s or arp or rarp",
		    mt_mac_str(&mac, s, sizeof(s)));
	else
		return NULL;
	return strdup(buf);
}

static int
add_iface(struct cap_opts *o, enum cap_role role, const char *name)
{
	struct cap_iface *n;

	for (int i = 0; i < o->nifs; i++)
		if (o->ifs[i].role == role && strcmp(o->ifs[i].name, name) == 0) {
			cap_err("--%s %s: given twice", iface_role_name(role),
			    name);
			return -1;
		}
	if (strchr(name, '/') != NULL || name[0] == '\0' || name[0] == '.') {
		cap_err("--%s %s: not an interface name", iface_role_name(role),
		    name);
		return -1;
	}
	n = realloc(o->ifs, (size_t)(o->nifs + 1) * sizeof(*n));
	if (n == NULL) {
		cap_err("out of memory");
		return -1;
	}
	o->ifs = n;
	n = &o->ifs[o->nifs++];
	memset(n, 0, sizeof(*n));
	n->role = role;
	n->name = strdup(name);
	n->fd = -1;
	n->selfd = -1;
	return 0;
}

static int
add_factor(struct cap_opts *o, const char *kv)
{
	const char *eq = strchr(kv, '=');
	char *key;

	if (eq == NULL || eq == kv) {
		cap_err("--factor %s: expected KEY=VALUE", kv);
		return -1;
	}
	key = strndup(kv, (size_t)(eq - kv));
	if (key == NULL)
		return -1;
	json_object_set_new(o->factors, key, json_string(eq + 1));
	free(key);
	return 0;
}

/* Parse argv into o. Return 0, 1 (help/version printed), or -1 (error). */
int
opts_parse(int argc, char **argv, struct cap_opts *o)
{
	long v;
	int c;

	memset(o, 0, sizeof(*o));
	o->promisc = 1;
	o->buffer_kib = CAP_BUFFER_KIB;
	o->mig_ports = CAP_MIG_PORTS;
	o->probe_interval = 10 * MT_NS_PER_MS;
	o->linger = 2 * MT_NS_PER_S;
	o->factors = json_object();
	o->argc = argc;
	o->argv = argv;
	while ((c = getopt_long(argc, argv, "o:s:B:pZ:qhV", longopts,
	    NULL)) != -1) {
		switch (c) {
		case 'o':
			o->dir = optarg;
			break;
		case OPT_MGMT:
			if (add_iface(o, CAP_MGMT, optarg) < 0)
				return -1;
			break;
		case OPT_EXT:
			if (add_iface(o, CAP_EXT, optarg) < 0)
				return -1;
			break;
		case OPT_MIG_PORTS:
			o->mig_ports = optarg;
			break;
		case OPT_VM:
			o->vm = optarg;
			break;
		case OPT_FILTER_MGMT:
			o->filter_mgmt = optarg;
			break;
		case OPT_FILTER_EXT:
			o->filter_ext = optarg;
			break;
		case 's':
			if (parse_int(optarg, 1, 262144, &v) < 0) {
				cap_err("-s %s: snaplen must be 1..262144",
				    optarg);
				return -1;
			}
			o->snaplen = (int)v;
			break;
		case 'B':
			if (parse_int(optarg, 1, INT_MAX / 1024, &v) < 0) {
				cap_err("-B %s: buffer size in KiB expected",
				    optarg);
				return -1;
			}
			o->buffer_kib = (int)v;
			break;
		case 'p':
			o->promisc = 0;
			break;
		case OPT_IMMEDIATE:
			o->immediate = 1;
			break;
		case OPT_DURATION:
			if (mt_parse_duration(optarg, &o->duration) < 0 ||
			    o->duration <= 0) {
				bad_duration("--duration", optarg, "a duration");
				return -1;
			}
			break;
		case OPT_VM_PROBE:
			o->probe_addr = optarg;
			break;
		case OPT_PROBE_INTERVAL:
			if (mt_parse_duration(optarg, &o->probe_interval) < 0 ||
			    o->probe_interval < MT_NS_PER_MS) {
				bad_duration("--probe-interval", optarg,
				    "a duration of at least 1ms");
				return -1;
			}
			break;
		case OPT_LIBVIRT:
			o->libvirt_uri = optarg;
			break;
		case OPT_DOMAIN:
			o->domain = optarg;
			break;
		case OPT_LIBVIRT_DEST:
			o->libvirt_dest = optarg;
			break;
		case OPT_QEMU_LOG:
			if (o->nqemu_logs == 4) {
				cap_err("--qemu-log: more than 4 files");
				return -1;
			}
			o->qemu_logs[o->nqemu_logs++] = optarg;
			break;
		case OPT_MIGRATE_TO:
			o->migrate_to = optarg;
			break;
		case OPT_MIGRATE_URI:
			o->migrate_uri = optarg;
			break;
		case OPT_LINGER:
			if (mt_parse_duration(optarg, &o->linger) < 0) {
				bad_duration("--linger", optarg, "a duration");
				return -1;
			}
			break;
		case 'Z':
			o->user = optarg;
			break;
		case OPT_FORCE:
			o->force = 1;
			break;
		case OPT_FACTOR:
			if (add_factor(o, optarg) < 0)
				return -1;
			break;
		case 'q':
			o->quiet = 1;
			break;
		case 'h':
			usage(stdout);
			return 1;
		case 'V':
			printf("%s %s\n", CAP_PROG, PACKAGE_VERSION);
			printf("%s\n", pcap_lib_version());
			return 1;
		default:
			fprintf(stderr, "Try '%s --help'.\n", CAP_PROG);
			return -1;
		}
	}
	if (optind < argc) {
		cap_err("unexpected argument '%s' (filters go in --filter-mgmt "
		    "or --filter-ext)", argv[optind]);
		return -1;
	}
	if (o->dir == NULL) {
		cap_err("no output directory (-o DIR)");
		return -1;
	}
	if (o->nifs == 0) {
		cap_err("no interface (--mgmt IF or --ext IF)");
		return -1;
	}
	if (o->domain != NULL && o->libvirt_uri == NULL) {
		cap_err("--domain needs --libvirt URI");
		return -1;
	}
	if (o->libvirt_uri != NULL && o->domain == NULL) {
		cap_err("--libvirt needs --domain NAME");
		return -1;
	}
	if ((o->libvirt_dest || o->migrate_to) && o->libvirt_uri == NULL) {
		cap_err("--%s needs --libvirt URI --domain NAME",
		    o->migrate_to ? "migrate-to" : "libvirt-dest");
		return -1;
	}
	if (o->migrate_uri != NULL && o->migrate_to == NULL) {
		cap_err("--migrate-uri needs --migrate-to URI");
		return -1;
	}
	return 0;
}

/* Fill each interface's filter, snaplen, buffer and file name. */
int
opts_configure(struct cap_opts *o)
{
	char *mgmt = NULL, *ext = NULL;

	if (o->filter_mgmt != NULL)
		mgmt = strdup(o->filter_mgmt);
	else if ((mgmt = ports_filter(o->mig_ports)) == NULL) {
		cap_err("--mig-ports %s: expected a list such as "
		    "49152-49215,16509", o->mig_ports);
		return -1;
	}
	if (o->filter_ext != NULL)
		ext = strdup(o->filter_ext);
	else if (o->vm != NULL) {
		if ((ext = vm_filter(o->vm)) == NULL) {
			cap_err("--vm %s: not an IP or MAC address", o->vm);
			free(mgmt);
			return -1;
		}
	} else
		ext = strdup("");
	for (int i = 0; i < o->nifs; i++) {
		struct cap_iface *ifc = &o->ifs[i];
		char name[300];

		ifc->filter = strdup(ifc->role == CAP_MGMT ? mgmt : ext);
		ifc->snaplen = o->snaplen ? o->snaplen : ifc->role == CAP_MGMT ?
		    CAP_SNAPLEN_MGMT : CAP_SNAPLEN_EXT;
		ifc->buffer_kib = o->buffer_kib;
		snprintf(name, sizeof(name), "%s-%s.pcap",
		    iface_role_name(ifc->role), ifc->name);
		ifc->file = strdup(name);
		if (asprintf(&ifc->path, "%s/%s", o->dir, name) < 0)
			ifc->path = NULL;
		if (ifc->filter == NULL || ifc->file == NULL ||
		    ifc->path == NULL) {
			cap_err("out of memory");
			free(mgmt);
			free(ext);
			return -1;
		}
	}
	free(mgmt);
	free(ext);
	return 0;
}
