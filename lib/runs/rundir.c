/*
 * rundir.c: analyse one run directory as migtrace-capture and `lab/lab
 * run` leave it: every capture in it, its job statistics and the factors
 * recorded in its manifest.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "analysis/analysis.h"
#include "analysis/pause.h"
#include "report/explain_report.h"
#include "report/report.h"
#include "virt/jobstats.h"
#include "runs/rundir.h"

/*
 * What a manifest "status" other than "completed" means for the captures
 * (capture/main.c sets them; "running" is the start manifest, left as it
 * was when the capture was killed, e.g. by SIGKILL).
 */
static const char *
status_meaning(const char *status)
{
	if (strcmp(status, "running") == 0)
		return "the capture never finished (killed, or still "
		    "running): the files hold what it wrote before, the "
		    "last record may be cut";
	if (strcmp(status, "cancelled") == 0)
		return "the migration was cancelled: the measures are "
		    "partial";
	if (strcmp(status, "failed") == 0)
		return "the migration or the capture failed: the measures "
		    "are partial";
	if (strcmp(status, "disk-full") == 0)
		return "the disk filled up: the captures stop there";
	if (strcmp(status, "interrupted") == 0)
		return "stopped by a signal: the measures may be partial";
	return "not a completed capture";
}

static int
has_suffix(const char *s, const char *suf)
{
	size_t n = strlen(s), m = strlen(suf);

	return n > m && strcmp(s + n - m, suf) == 0;
}

/* The captures of a run directory, sorted by name. */
static char **
list_captures(const char *dir, int *n, char *errbuf)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **v = NULL, **nv;
	int cnt = 0;

	*n = 0;
	if (d == NULL) {
		snprintf(errbuf, MT_ERRBUF_SIZE, "%s: %s", dir, strerror(errno));
		return NULL;
	}
	while ((e = readdir(d)) != NULL) {
		if (!has_suffix(e->d_name, ".pcap") && !has_suffix(e->d_name, ".pcapng"))
			continue;
		nv = realloc(v, (size_t)(cnt + 1) * sizeof(*v));
		if (nv == NULL)
			break;
		v = nv;
		if (asprintf(&v[cnt], "%s/%s", dir, e->d_name) < 0)
			break;
		cnt++;
	}
	closedir(d);
	if (cnt == 0) {
		free(v);
		snprintf(errbuf, MT_ERRBUF_SIZE, "%s: no capture files (*.pcap, "
		    "*.pcapng) in this run directory", dir);
		return NULL;
	}
	qsort(v, (size_t)cnt, sizeof(*v), mt_cmp_str);
	*n = cnt;
	return v;
}

/* The QEMU logs of a run (qemu-trace*.log), sorted; none is fine. */
static int
list_qtraces(const char *dir, struct rundir *rd)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **nv;

	if (d == NULL)
		return -1;
	while ((e = readdir(d)) != NULL) {
		if (strncmp(e->d_name, "qemu-trace", 10) != 0 ||
		    !has_suffix(e->d_name, ".log"))
			continue;
		nv = realloc(rd->qtraces, (size_t)(rd->nqtraces + 1) * sizeof(*nv));
		if (nv == NULL)
			break;
		rd->qtraces = nv;
		if (asprintf(&rd->qtraces[rd->nqtraces], "%s/%s", dir,
		    e->d_name) < 0)
			break;
		rd->nqtraces++;
	}
	closedir(d);
	if (rd->nqtraces > 1)
		qsort(rd->qtraces, (size_t)rd->nqtraces, sizeof(char *), mt_cmp_str);
	return 0;
}

/* Job statistics of a run: NULL with errbuf "" when it has none. */
static struct jobstats *
rundir_jobstats(const char *dir, const struct analysis_opts *o, char *errbuf)
{
	/* Exact numbers first: the capture's typed parameters, then
	 * --rawstats, then the rounded default text. */
	static const char *const names[] = {
		"jobstats.json", "domjobinfo-raw.txt", "domjobinfo.txt",
	};
	char path[4096];

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		if (mt_is_file(path))
			return jobstats_load(path, o->warn, o->warn_ctx, errbuf);
	}
	errbuf[0] = '\0';
	return NULL;
}

int
rundir_open(const char *dir, const struct analysis_opts *o, struct rundir *rd,
    char *errbuf)
{
	char path[4096];
	json_t *factors, *status;

	memset(rd, 0, sizeof(*rd));
	if ((rd->files = list_captures(dir, &rd->nfiles, errbuf)) == NULL)
		return -1;
	(void)list_qtraces(dir, rd);
	snprintf(path, sizeof(path), "%s/manifest.json", dir);
	if (mt_is_file(path)) {
		rd->manifest = strdup(path);
		json_error_t jerr;
		json_t *m = json_load_file(path, 0, &jerr);
		if (m == NULL) {
			snprintf(errbuf, MT_ERRBUF_SIZE, "%.300s: not valid JSON "
			    "(line %d: %.120s)", path, jerr.line, jerr.text);
			rundir_close(rd);
			return -1;
		}
		factors = json_object_get(m, "factors");
		if (json_is_object(factors))
			rd->factors = json_incref(factors);
		status = json_object_get(m, "status");
		if (json_is_string(status))
			rd->status = strdup(json_string_value(status));
		{
			json_t *lv = json_object_get(m, "libvirt");
			json_t *q = json_object_get(lv, "qemu_migration_status");
			json_t *ls = json_object_get(lv, "status");

			if (json_is_string(q))
				rd->qemu_status = strdup(json_string_value(q));
			if (json_is_string(ls))
				rd->libvirt_status = strdup(json_string_value(ls));
			rd->qemu_cancelling = json_is_true(json_object_get(lv,
			    "qemu_cancelling"));
		}
		if (json_is_string(json_object_get(m, "vm")))
			rd->vm = strdup(json_string_value(json_object_get(m,
			    "vm")));
		json_decref(m);
		if (rd->status != NULL && strcmp(rd->status, "completed") != 0 &&
		    o->warn != NULL) {
			char msg[MT_ERRBUF_SIZE];
			snprintf(msg, sizeof(msg), "%.300s: status '%.40s': %s",
			    path, rd->status, status_meaning(rd->status));
			o->warn(o->warn_ctx, msg);
		}
	}
	rd->js = rundir_jobstats(dir, o, errbuf);
	if (rd->js == NULL && errbuf[0] != '\0') {
		/*
		 * A capture that did not complete (a cancelled or failed
		 * migration, a killed capture) often has no completed job
		 * to record: its captures are still worth reading, so the
		 * job statistics are only a warning then.
		 */
		if (rd->status == NULL || strcmp(rd->status, "completed") == 0) {
			rundir_close(rd);
			return -1;
		}
		if (o->warn != NULL) {
			char msg[MT_ERRBUF_SIZE];
			snprintf(msg, sizeof(msg), "%.300s; the capture ended "
			    "'%.40s', so its captures are analysed without job "
			    "statistics", errbuf, rd->status);
			o->warn(o->warn_ctx, msg);
		}
		errbuf[0] = '\0';
	}
	/* The link rate the run was made with, if the manifest says it. */
	if (json_is_string(json_object_get(rd->factors, "link")))
		(void)mt_parse_rate(json_string_value(json_object_get(rd->factors,
		    "link")), &rd->link_bps);
	return 0;
}

void
rundir_apply(const struct rundir *rd, struct analysis_opts *o)
{
	if (o->link_bps == 0)
		o->link_bps = rd->link_bps;
	if (rd->status != NULL && (strcmp(rd->status, "cancelled") == 0 ||
	    strcmp(rd->status, "failed") == 0))
		o->no_switchover = 1;
	if (rd->vm == NULL || o->vm_ip.family != 0 || o->vm_mac_given)
		return;
	if (mt_addr_parse(rd->vm, &o->vm_ip) == 0)
		o->vm_from = rd->manifest;
	else if (mt_mac_parse(rd->vm, &o->vm_mac) == 0)
		o->vm_mac_given = 1;	/* its IP is still to be found */
	else if (o->warn != NULL) {
		char msg[MT_ERRBUF_SIZE];
		snprintf(msg, sizeof(msg), "%.300s: \"vm\" is not an IP or MAC "
		    "address ('%.60s'): the VM is found from the packets",
		    rd->manifest, rd->vm);
		o->warn(o->warn_ctx, msg);
	}
}

void
rundir_close(struct rundir *rd)
{
	for (int i = 0; i < rd->nfiles; i++)
		free(rd->files[i]);
	free(rd->files);
	jobstats_free(rd->js);
	json_decref(rd->factors);
	free(rd->status);
	free(rd->qemu_status);
	free(rd->libvirt_status);
	free(rd->vm);
	free(rd->manifest);
	for (int i = 0; i < rd->nqtraces; i++)
		free(rd->qtraces[i]);
	free(rd->qtraces);
	memset(rd, 0, sizeof(*rd));
}

void
rundir_annotate(json_t *doc, const char *dir, const struct rundir *rd)
{
	json_object_set_new(doc, "run", json_string(dir));
	json_object_set_new(doc, "factors", rd->factors != NULL ?
	    json_incref(rd->factors) : json_object());
	json_object_set_new(doc, "capture_status", rd->status != NULL ?
	    json_string(rd->status) : json_null());
	/* Said in the notes too, which the text report prints. */
	if (rd->status != NULL && strcmp(rd->status, "completed") != 0) {
		json_t *notes = json_object_get(doc, "notes");
		char *n = NULL;

		if (json_is_array(notes) && asprintf(&n, "capture %s: %s",
		    rd->status, status_meaning(rd->status)) >= 0) {
			json_array_append_new(notes, json_string(n));
			free(n);
		}
	}
}

json_t *
analysis_run_dir(const struct analysis_opts *o, const char *dir,
    char *errbuf)
{
	struct analysis_opts ro = *o;
	struct explain_opts eo;
	struct analysis *a;
	struct rundir rd;
	json_t *doc;

	if (rundir_open(dir, o, &rd, errbuf) < 0)
		return NULL;
	rundir_apply(&rd, &ro);
	a = analysis_run(&ro, rd.files, rd.nfiles, errbuf);
	if (a == NULL) {
		rundir_close(&rd);
		return NULL;
	}
	doc = analysis_to_json(a);
	analysis_free(a);
	explain_opts_init(&eo);
	if (explain_add_json(doc, rd.js, &eo, errbuf) < 0) {
		json_decref(doc);
		rundir_close(&rd);
		return NULL;
	}
	if (pause_add_files(doc, rd.qtraces, (size_t)rd.nqtraces,
	    o->warn, o->warn_ctx, errbuf) < 0) {
		json_decref(doc);
		rundir_close(&rd);
		return NULL;
	}
	rundir_annotate(doc, dir, &rd);
	rundir_close(&rd);
	return doc;
}

/* An end status of a migration job, by libvirt's and QEMU's names. */
static const char *
end_status(const char *s)
{
	static const char *const ends[] = { "completed", "failed", "cancelled" };

	if (s == NULL)
		return NULL;
	if (strcmp(s, "succeeded") == 0)	/* migtrace-capture --migrate-to */
		return "completed";
	for (size_t i = 0; i < sizeof(ends) / sizeof(ends[0]); i++)
		if (strcmp(s, ends[i]) == 0)
			return ends[i];
	return NULL;
}

const char *
rundir_libvirt_outcome(const struct rundir *rd, const struct jobstats *js,
    char *source, size_t len)
{
	const char *st;
	const char *man = rd != NULL && rd->manifest != NULL ? rd->manifest :
	    "the manifest";

	if (js != NULL && js->job_type >= VIR_DOMAIN_JOB_COMPLETED &&
	    (st = end_status(jobstats_job_type_name(js->job_type))) != NULL) {
		snprintf(source, len, "the job type of %s", js->source != NULL ?
		    js->source : "the job statistics");
		return st;
	}
	if (rd == NULL)
		return NULL;
	if (rd->qemu_cancelling) {
		snprintf(source, len, "QEMU's cancelling event, %s", man);
		return "cancelled";
	}
	if ((st = end_status(rd->qemu_status)) != NULL) {
		snprintf(source, len, "QEMU's last migration status, %s", man);
		return st;
	}
	if ((st = end_status(rd->libvirt_status)) != NULL) {
		snprintf(source, len, "virsh migrate's end, %s", man);
		return st;
	}
	if (rd->status != NULL && (strcmp(rd->status, "failed") == 0 ||
	    strcmp(rd->status, "cancelled") == 0)) {
		snprintf(source, len, "the capture's status, %s", man);
		return end_status(rd->status);
	}
	return NULL;
}
