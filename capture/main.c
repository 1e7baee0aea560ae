/*
 * main.c: migtrace-capture: the order of setup (handles, raw socket and
 * libvirt as root; then -Z; then the files), the loop (loop.c), and a
 * clean stop: last packets, counters, files cut to whole records,
 * jobstats.json, the manifest, a summary.
 */
#include "config.h"

#include <sys/signalfd.h>
#include <sys/stat.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "capture.h"

/* Open (creating it if needed) the output directory. */
static int
open_dir(const char *dir)
{
	int fd;

	if (mkdir(dir, 0750) < 0 && errno != EEXIST) {
		cap_err("%s: cannot create the directory: %s", dir,
		    strerror(errno));
		return -1;
	}
	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		cap_err("%s: %s", dir, strerror(errno));
		return -1;
	}
	return fd;
}

/* Refuse early, before any handle is opened, what would fail later. */
static int
precheck_outputs(const struct cap_opts *o, int dirfd)
{
	static const char *const others[] = { "manifest.json", "jobstats.json" };
	struct stat sb;

	for (int i = 0; i < o->nifs; i++) {
		const char *f = o->ifs[i].file;

		if (fstatat(dirfd, f, &sb, AT_SYMLINK_NOFOLLOW) < 0)
			continue;
		if (S_ISLNK(sb.st_mode)) {
			cap_err("%s/%s: is a symbolic link, refusing to write "
			    "through it", o->dir, f);
			return -1;
		}
		if (!o->force) {
			cap_err("%s/%s: already exists (use --force to "
			    "overwrite)", o->dir, f);
			return -1;
		}
	}
	for (size_t i = 0; i < sizeof(others) / sizeof(others[0]); i++) {
		if (fstatat(dirfd, others[i], &sb, AT_SYMLINK_NOFOLLOW) < 0)
			continue;
		if (!S_ISREG(sb.st_mode)) {
			cap_err("%s/%s: exists and is not a regular file",
			    o->dir, others[i]);
			return -1;
		}
		if (!o->force && strcmp(others[i], "manifest.json") == 0) {
			cap_err("%s/%s: already exists (use --force to "
			    "overwrite)", o->dir, others[i]);
			return -1;
		}
	}
	return 0;
}

static int
write_manifest(struct cap_run *run, int dirfd)
{
	char err[MT_ERRBUF_SIZE];
	json_t *m;
	int rc;

	m = manifest_json(run);
	rc = out_json_atomic(dirfd, run->o->dir, "manifest.json", m, err,
	    sizeof(err));
	json_decref(m);
	if (rc < 0)
		cap_err("%s", err);
	return rc;
}

static void
summary(const struct cap_opts *o, const struct cap_run *run)
{
	for (int i = 0; i < o->nifs; i++) {
		const struct cap_iface *ifc = &o->ifs[i];

		if (!o->quiet) {
			fprintf(stderr, "%s %s: %llu packets written to %s/%s",
			    iface_role_name(ifc->role), ifc->name,
			    (unsigned long long)ifc->flushed_count, o->dir,
			    ifc->file);
			if (ifc->have_stats)
				fprintf(stderr, ", %u received by filter, "
				    "%u dropped by kernel, %u dropped by "
				    "interface", ifc->st.ps_recv,
				    ifc->st.ps_drop, ifc->st.ps_ifdrop);
			fputc('\n', stderr);
		}
		/* A drop is never hidden, not even with -q. */
		if (ifc->have_stats && ifc->st.ps_drop > 0)
			cap_warn("%s: %u packets DROPPED by the kernel "
			    "(raise -B or lower -s)", ifc->name,
			    ifc->st.ps_drop);
		if (ifc->have_stats && ifc->st.ps_ifdrop > 0)
			cap_warn("%s: %u packets dropped by the interface",
			    ifc->name, ifc->st.ps_ifdrop);
	}
	if (run->probe != NULL && !o->quiet)
		probe_summary(run->probe);
	if (!o->quiet)
		fprintf(stderr, "%s: %s (%s); manifest %s/manifest.json\n",
		    CAP_PROG, run->status, cap_stop_name(run->stop), o->dir);
}

int
main(int argc, char **argv)
{
	struct cap_opts o;
	struct cap_run run;
	struct loop l;
	struct qlog qlog;
	char err[MT_ERRBUF_SIZE];
	sigset_t ss;
	int dirfd = -1, rc, exitcode = 0;
	const char *mstat;

	memset(&l, 0, sizeof(l));
	memset(&qlog, 0, sizeof(qlog));
	l.sigfd = -1;
	memset(&run, 0, sizeof(run));
	rc = opts_parse(argc, argv, &o);
	if (rc != 0) {
		exitcode = rc > 0 ? 0 : 1;
		goto done;
	}
	if (opts_configure(&o) < 0)
		goto fail;

	/* Signals are read from a signalfd by the loop; block them first,
	 * so that every thread created later inherits the mask. */
	sigemptyset(&ss);
	sigaddset(&ss, SIGINT);
	sigaddset(&ss, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &ss, NULL);
	/* An inherited SIG_IGN (a shell's background job) would discard
	 * the signal before the signalfd sees it; tcpdump too installs
	 * its handlers whatever it inherited. */
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGPIPE, SIG_IGN);
	l.sigfd = signalfd(-1, &ss, SFD_CLOEXEC | SFD_NONBLOCK);
	if (l.sigfd < 0 || cap_wake_init() < 0) {
		cap_err("signalfd/eventfd: %s", strerror(errno));
		goto fail;
	}

	run.o = &o;
	run.status = "running";
	run.end = MT_NS_NONE;

	if ((dirfd = open_dir(o.dir)) < 0)
		goto fail;
	if (precheck_outputs(&o, dirfd) < 0)
		goto fail;

	/* As root: the capture handles, the raw socket, libvirt. */
	for (int i = 0; i < o.nifs; i++)
		if (iface_open(&o.ifs[i], &o, err, sizeof(err)) < 0) {
			cap_err("%s", err);
			goto fail;
		}
	if (o.probe_addr != NULL &&
	    (run.probe = probe_new(o.probe_addr, o.probe_interval, err,
	    sizeof(err))) == NULL) {
		cap_err("%s", err);
		goto fail;
	}
	if (o.libvirt_uri != NULL &&
	    (run.virt = virt_new(&o, err, sizeof(err))) == NULL) {
		cap_err("%s", err);
		goto fail;
	}
	if (run.virt != NULL)
		virt_trace_check(run.virt);
	(void)qlog_open(&o, &qlog);
	if (o.user != NULL && priv_drop(o.user, err, sizeof(err)) < 0) {
		cap_err("%s", err);
		goto fail;
	}
	run.uid = geteuid();

	/* As the user: the files. */
	for (int i = 0; i < o.nifs; i++)
		if (iface_open_output(&o.ifs[i], dirfd, o.dir, o.force, err,
		    sizeof(err)) < 0) {
			cap_err("%s", err);
			goto fail;
		}
	run.start = cap_now();
	if (write_manifest(&run, dirfd) < 0)
		goto fail;
	out_reserve(dirfd);

	if (run.probe != NULL && probe_start(run.probe, err, sizeof(err)) < 0) {
		cap_err("%s", err);
		goto fail;
	}
	if (run.virt != NULL &&
	    virt_start_migration(run.virt, err, sizeof(err)) < 0)
		cap_err("%s", err);
	if (!o.quiet) {
		for (int i = 0; i < o.nifs; i++)
			fprintf(stderr, "%s: %s %s: capturing (%s), filter "
			    "\"%s\", snaplen %d\n", CAP_PROG,
			    iface_role_name(o.ifs[i].role), o.ifs[i].name,
			    pcap_datalink_val_to_name(o.ifs[i].dlt),
			    o.ifs[i].filter, o.ifs[i].snaplen);
	}

	l.o = &o;
	l.run = &run;
	run_loop(&l);

	/* Stop: the last packets, the counters, the files. */
	probe_stop_sending(run.probe);
	for (int i = 0; i < o.nifs; i++) {
		struct cap_iface *ifc = &o.ifs[i];

		if (l.stop != CAP_STOP_DISK_FULL &&
		    l.stop != CAP_STOP_WRITE_ERROR && !ifc->werr)
			(void)iface_dispatch(ifc, err, sizeof(err));
		iface_stats(ifc);
		if (iface_close(ifc, err, sizeof(err)) < 0)
			cap_err("%s", err);
		if (ifc->werr && l.stop != CAP_STOP_DISK_FULL &&
		    l.stop != CAP_STOP_WRITE_ERROR) {
			l.stop = ifc->werr == ENOSPC ? CAP_STOP_DISK_FULL :
			    CAP_STOP_WRITE_ERROR;
			snprintf(l.error, sizeof(l.error), "%s/%s: %s", o.dir,
			    ifc->file, strerror(ifc->werr));
		}
	}
	run.end = cap_now();
	if (run.virt != NULL) {
		if (l.stop != CAP_STOP_MIGRATION)
			virt_abort(run.virt);
		virt_finish(run.virt);
	}
	out_unreserve(dirfd);
	if (run.virt != NULL) {
		json_t *js = virt_jobstats_json(run.virt);

		if (out_json_atomic(dirfd, o.dir, "jobstats.json", js, err,
		    sizeof(err)) < 0) {
			cap_err("%s", err);
			exitcode = 1;
		}
		json_decref(js);
	}

	if (qlog_copy(&qlog, dirfd, o.dir, o.quiet) < 0)
		exitcode = 1;
	qlog_close(&qlog);

	mstat = virt_migration_status(run.virt);
	run.stop = l.stop;
	switch (l.stop) {
	case CAP_STOP_DISK_FULL:
		run.status = "disk-full";
		exitcode = 1;
		break;
	case CAP_STOP_WRITE_ERROR:
	case CAP_STOP_CAPTURE_ERROR:
		run.status = "failed";
		exitcode = 1;
		break;
	case CAP_STOP_SIGNAL:
		run.status = strcmp(mstat, "cancelled") == 0 ? "cancelled" :
		    "interrupted";
		break;
	default:
		run.status = "completed";
		if (strcmp(mstat, "failed") == 0) {
			run.status = "failed";
			exitcode = 1;
		} else if (strcmp(mstat, "cancelled") == 0) {
			run.status = "cancelled";
			exitcode = 1;
		}
		break;
	}
	if (l.error[0])
		run.error = l.error;
	else if (virt_migration_error(run.virt) != NULL)
		run.error = virt_migration_error(run.virt);
	if (write_manifest(&run, dirfd) < 0)
		exitcode = 1;
	if (l.error[0])
		cap_err("%s%s", l.error, l.stop == CAP_STOP_DISK_FULL ?
		    " (disk full: stopped; the files hold every packet "
		    "written before)" : "");
	if ((strcmp(mstat, "failed") == 0 || strcmp(mstat, "cancelled") == 0) &&
	    o.migrate_to != NULL)
		cap_err("--migrate-to %s: migration %s: %s", o.migrate_to,
		    mstat, virt_migration_error(run.virt) ?
		    virt_migration_error(run.virt) : "");
	else if (strcmp(mstat, "failed") == 0 ||
	    strcmp(mstat, "cancelled") == 0)
		cap_err("--domain %s: the migration %s (QEMU's MIGRATION "
		    "events)", o.domain, mstat);
	summary(&o, &run);
	goto done;
fail:
	exitcode = 1;
done:
	qlog_close(&qlog);
	probe_free(run.probe);
	virt_free(run.virt);
	for (int i = 0; i < o.nifs; i++) {
		struct cap_iface *ifc = &o.ifs[i];

		if (ifc->d != NULL)	/* a setup error after opening it */
			pcap_dump_close(ifc->d);
		free(ifc->iobuf);
		if (ifc->p != NULL)
			pcap_close(ifc->p);
		free(ifc->name);
		free(ifc->filter);
		free(ifc->file);
		free(ifc->path);
	}
	free(o.ifs);
	json_decref(o.factors);
	if (dirfd >= 0)
		close(dirfd);
	if (l.sigfd >= 0)
		close(l.sigfd);
	cap_wake_close();
	return exitcode;
}
