/*
 * virt.c: libvirt side of a capture (--libvirt URI --domain NAME):
 * the pre-copy iteration and job-completed events (docs/libvirt-jobstats.md), the
 * destination's completed job statistics (--libvirt-dest), and the
 * migration itself (--migrate-to, live + peer-to-peer as Nova does it)
 * in its own thread so that capture goes on meanwhile, and QEMU's own
 * MIGRATION events (status transitions, through libvirt-qemu): how a
 * failed or cancelled job is told apart and noticed while watching.
 */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libvirt/libvirt.h>
#include <libvirt/libvirt-qemu.h>
#include <libvirt/virterror.h>

#include "capture.h"
#include "virt/jobstats.h"

/* How long to wait for an aborted migration call to return. */
#define VIRT_ABORT_WAIT_S	30

struct virt {
	const struct cap_opts *o;
	virConnectPtr conn, dconn;
	virDomainPtr dom;
	int cb_iter, cb_job, cb_qemu;
	pthread_t evth;
	int ev_started;
	atomic_int quit;

	pthread_mutex_t mu;		/* everything below */
	json_t *doc;			/* jobstats.json (lib/virt/jobstats.h) */
	int niters;			/* MIGRATION_ITERATION events */
	int event_job;			/* doc's job came from the event */
	mt_ns completed_ts;
	mt_ns job_end;

	/* QEMU's MIGRATION events of the source */
	json_t *qemu_events;		/* [{status, ts_ns, qemu_ts_ns}] */
	int qemu_cancel;		/* "cancelling"/"cancelled" seen */
	const char *qemu_end;		/* "completed", "failed", "cancelled" */
	char qemu_err[256];		/* registration failed: why */

	/* --migrate-to */
	pthread_t migth;
	int mig_started, mig_done, mig_joined;
	pthread_cond_t mig_cv;
	atomic_int aborted;
	const char *mig_status;		/* "none", "running", ... */
	char mig_err[512];
	mt_ns mig_start, mig_end;

	/* --libvirt-dest */
	json_t *dest_job;
	char dest_err[512];
	char conn_err[512];		/* connection closed under us */
};

static void
virt_silent_error(void *ud, virErrorPtr e)
{
	(void)ud;
	(void)e;	/* reported by us, once, in one line */
}

static const char *
last_error(void)
{
	const char *m = virGetLastErrorMessage();

	return m ? m : "unknown libvirt error";
}

static void
on_iteration(virConnectPtr conn, virDomainPtr dom, int iteration,
    void *opaque)
{
	struct virt *v = opaque;
	mt_ns now = cap_now();

	(void)conn;
	(void)dom;
	pthread_mutex_lock(&v->mu);
	if (jobstats_doc_add_iteration(v->doc, iteration, now) == 0)
		v->niters++;
	pthread_mutex_unlock(&v->mu);
}

static void
on_job_completed(virConnectPtr conn, virDomainPtr dom,
    virTypedParameterPtr params, int nparams, void *opaque)
{
	struct virt *v = opaque;
	mt_ns now = cap_now();
	char err[MT_ERRBUF_SIZE];
	int op;

	(void)conn;
	(void)dom;
	/* Only a migration ends the capture (docs/libvirt-jobstats.md: operation 4
	 * in, 5 out); another job of the domain (a dump, a snapshot) is
	 * noted and ignored. */
	if (virTypedParamsGetInt(params, nparams, VIR_DOMAIN_JOB_OPERATION,
	    &op) == 1 && op != VIR_DOMAIN_JOB_OPERATION_MIGRATION_IN &&
	    op != VIR_DOMAIN_JOB_OPERATION_MIGRATION_OUT) {
		cap_warn("--domain %s: a job that is not a migration completed "
		    "(operation %d); ignored", v->o->domain, op);
		return;
	}
	/* The parameters belong to libvirt: convert them right here. */
	pthread_mutex_lock(&v->mu);
	if (!v->event_job) {
		if (jobstats_doc_set_job(v->doc, VIR_DOMAIN_JOB_COMPLETED,
		    params, nparams, now, err) == 0)
			v->event_job = 1;
		else
			cap_warn("%s", err);
	}
	v->completed_ts = now;
	if (v->job_end == MT_NS_NONE)
		v->job_end = now;
	pthread_mutex_unlock(&v->mu);
	cap_wake();
}

/* QEMU's terminal migration states, as our static strings. */
static const char *
qemu_terminal(const char *st)
{
	static const char *const end[] = { "completed", "failed", "cancelled" };

	for (size_t i = 0; i < sizeof(end) / sizeof(end[0]); i++)
		if (strcmp(st, end[i]) == 0)
			return end[i];
	return NULL;
}

/*
 * QEMU's MIGRATION event ({"status": "active"}, ...): record the
 * transition with our time and QEMU's. migrate_cancel (what libvirt
 * sends for virDomainAbortJob) goes through "cancelling" to "cancelled";
 * a broken stream goes to "failed". A watching capture (no
 * --migrate-to) takes a failed or cancelled end as the end of the job:
 * JOB_COMPLETED is sent only for a completed one.
 */
static void
on_qemu_event(virConnectPtr conn, virDomainPtr dom, const char *event,
    long long seconds, unsigned int micros, const char *details,
    void *opaque)
{
	struct virt *v = opaque;
	mt_ns now = cap_now();
	json_t *d, *ev;
	const char *st, *end;

	(void)conn;
	(void)dom;
	if (event == NULL || strcmp(event, "MIGRATION") != 0 ||
	    details == NULL || (d = json_loads(details, 0, NULL)) == NULL)
		return;
	if ((st = json_string_value(json_object_get(d, "status"))) == NULL) {
		json_decref(d);
		return;
	}
	ev = json_pack("{s:s, s:I, s:o}", "status", st, "ts_ns",
	    (json_int_t)now, "qemu_ts_ns", seconds >= 0 ?
	    json_integer((json_int_t)seconds * MT_NS_PER_S +
	    (json_int_t)micros * 1000) : json_null());
	pthread_mutex_lock(&v->mu);
	if (ev != NULL)
		json_array_append_new(v->qemu_events, ev);
	if (strcmp(st, "setup") == 0) {
		/* A new attempt. */
		v->qemu_cancel = 0;
		v->qemu_end = NULL;
	}
	if (strcmp(st, "cancelling") == 0 || strcmp(st, "cancelled") == 0)
		v->qemu_cancel = 1;
	if ((end = qemu_terminal(st)) != NULL) {
		v->qemu_end = end;
		if (v->o->migrate_to == NULL &&
		    strcmp(end, "completed") != 0 && v->job_end == MT_NS_NONE) {
			v->job_end = now;
			snprintf(v->mig_err, sizeof(v->mig_err), "QEMU's "
			    "migration status: %s%s", end, v->qemu_cancel &&
			    strcmp(end, "cancelled") != 0 ? " (after "
			    "cancelling)" : "");
		}
	}
	pthread_mutex_unlock(&v->mu);
	json_decref(d);
	cap_wake();
}

static void
on_close(virConnectPtr conn, int reason, void *opaque)
{
	struct virt *v = opaque;

	(void)conn;
	pthread_mutex_lock(&v->mu);
	snprintf(v->conn_err, sizeof(v->conn_err), "connection to %s closed "
	    "(reason %d)", v->o->libvirt_uri, reason);
	pthread_mutex_unlock(&v->mu);
	cap_warn("--libvirt %s: connection closed", v->o->libvirt_uri);
	cap_wake();
}

static void *
event_thread(void *arg)
{
	struct virt *v = arg;

	while (!atomic_load(&v->quit))
		if (virEventRunDefaultImpl() < 0)
			break;
	return NULL;
}

static void
wake_timeout(int timer, void *opaque)
{
	(void)opaque;
	virEventRemoveTimeout(timer);
}

static virConnectPtr
connect_uri(const char *opt, const char *uri, char *err, size_t errlen)
{
	virConnectPtr c;

	c = virConnectOpenAuth(uri, virConnectAuthPtrDefault, 0);
	if (c == NULL)
		snprintf(err, errlen, "%s %s: cannot connect: %s", opt, uri,
		    last_error());
	return c;
}

struct virt *
virt_new(const struct cap_opts *o, char *err, size_t errlen)
{
	struct virt *v;
	int e;

	if (o->domain == NULL) {
		snprintf(err, errlen, "--libvirt needs --domain NAME");
		return NULL;
	}
	virSetErrorFunc(NULL, virt_silent_error);
	if (virInitialize() < 0 || virEventRegisterDefaultImpl() < 0) {
		snprintf(err, errlen, "libvirt: cannot initialise: %s",
		    last_error());
		return NULL;
	}
	if ((v = calloc(1, sizeof(*v))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	v->o = o;
	pthread_mutex_init(&v->mu, NULL);
	pthread_cond_init(&v->mig_cv, NULL);
	v->doc = jobstats_doc_new(o->domain, o->libvirt_uri,
	    o->libvirt_dest ? o->libvirt_dest : o->migrate_to);
	if (v->doc == NULL) {
		snprintf(err, errlen, "out of memory");
		free(v);
		return NULL;
	}
	v->completed_ts = v->job_end = MT_NS_NONE;
	v->mig_start = v->mig_end = MT_NS_NONE;
	v->mig_status = o->migrate_to ? "not started" : "none";
	v->cb_iter = v->cb_job = v->cb_qemu = -1;
	if ((v->qemu_events = json_array()) == NULL) {
		snprintf(err, errlen, "out of memory");
		json_decref(v->doc);
		free(v);
		return NULL;
	}

	if ((v->conn = connect_uri("--libvirt", o->libvirt_uri, err,
	    errlen)) == NULL)
		goto fail;
	if ((v->dom = virDomainLookupByName(v->conn, o->domain)) == NULL) {
		virErrorPtr ve = virGetLastError();

		if (ve != NULL && ve->code == VIR_ERR_NO_DOMAIN)
			snprintf(err, errlen, "--domain %s: no such domain on %s",
			    o->domain, o->libvirt_uri);
		else
			snprintf(err, errlen, "--domain %s: %s", o->domain,
			    last_error());
		goto fail;
	}
	if (o->libvirt_dest != NULL && (v->dconn = connect_uri(
	    "--libvirt-dest", o->libvirt_dest, err, errlen)) == NULL)
		goto fail;

	/* The events need the loop running in its own thread. */
	atomic_store(&v->quit, 0);
	if ((e = pthread_create(&v->evth, NULL, event_thread, v)) != 0) {
		snprintf(err, errlen, "libvirt event thread: %s", strerror(e));
		goto fail;
	}
	v->ev_started = 1;
	(void)virConnectSetKeepAlive(v->conn, 5, 3);
	(void)virConnectRegisterCloseCallback(v->conn, on_close, v, NULL);
	v->cb_iter = virConnectDomainEventRegisterAny(v->conn, v->dom,
	    VIR_DOMAIN_EVENT_ID_MIGRATION_ITERATION,
	    VIR_DOMAIN_EVENT_CALLBACK(on_iteration), v, NULL);
	if (v->cb_iter < 0) {
		snprintf(err, errlen, "--libvirt %s: cannot register the "
		    "migration-iteration event: %s", o->libvirt_uri,
		    last_error());
		goto fail;
	}
	v->cb_job = virConnectDomainEventRegisterAny(v->conn, v->dom,
	    VIR_DOMAIN_EVENT_ID_JOB_COMPLETED,
	    VIR_DOMAIN_EVENT_CALLBACK(on_job_completed), v, NULL);
	if (v->cb_job < 0) {
		snprintf(err, errlen, "--libvirt %s: cannot register the "
		    "job-completed event: %s", o->libvirt_uri, last_error());
		goto fail;
	}
	/*
	 * QEMU's MIGRATION events, passed through by libvirt (qemu driver
	 * only; unlike a monitor command this does not taint the domain).
	 * Without them a failed or cancelled job is told only by the
	 * migration call (--migrate-to), and a watching capture runs on.
	 */
	v->cb_qemu = virConnectDomainQemuMonitorEventRegister(v->conn, v->dom,
	    "MIGRATION", on_qemu_event, v, NULL, 0);
	if (v->cb_qemu < 0) {
		snprintf(v->qemu_err, sizeof(v->qemu_err), "%s", last_error());
		cap_warn("--libvirt %s: no QEMU migration events (%s): a "
		    "failed or cancelled migration is %s", o->libvirt_uri,
		    v->qemu_err, o->migrate_to ? "told only by libvirt's "
		    "error" : "not noticed");
	}
	return v;
fail:
	virt_free(v);
	return NULL;
}

static void *
migrate_thread(void *arg)
{
	struct virt *v = arg;
	virTypedParameterPtr params = NULL;
	int n = 0, max = 0, rc;
	unsigned int flags = VIR_MIGRATE_LIVE | VIR_MIGRATE_PEER2PEER;
	virErrorPtr ve;
	mt_ns now;

	if (v->o->migrate_uri != NULL)
		virTypedParamsAddString(&params, &n, &max, VIR_MIGRATE_PARAM_URI,
		    v->o->migrate_uri);
	rc = virDomainMigrateToURI3(v->dom, v->o->migrate_to, params,
	    (unsigned int)n, flags);
	now = cap_now();
	ve = virGetLastError();
	pthread_mutex_lock(&v->mu);
	v->mig_end = now;
	if (rc == 0) {
		v->mig_status = "succeeded";
	} else if (atomic_load(&v->aborted) || v->qemu_cancel ||
	    (ve != NULL && ve->code == VIR_ERR_OPERATION_ABORTED)) {
		v->mig_status = "cancelled";
		snprintf(v->mig_err, sizeof(v->mig_err), "%s", last_error());
	} else {
		v->mig_status = "failed";
		snprintf(v->mig_err, sizeof(v->mig_err), "%s", last_error());
	}
	if (v->job_end == MT_NS_NONE)
		v->job_end = now;
	v->mig_done = 1;
	pthread_cond_broadcast(&v->mig_cv);
	pthread_mutex_unlock(&v->mu);
	virTypedParamsFree(params, n);
	cap_wake();
	return NULL;
}

int
virt_start_migration(struct virt *v, char *err, size_t errlen)
{
	int e;

	if (v == NULL || v->o->migrate_to == NULL)
		return 0;
	pthread_mutex_lock(&v->mu);
	v->mig_status = "running";
	v->mig_start = cap_now();
	pthread_mutex_unlock(&v->mu);
	if ((e = pthread_create(&v->migth, NULL, migrate_thread, v)) != 0) {
		snprintf(err, errlen, "migration thread: %s", strerror(e));
		v->mig_status = "failed";
		return -1;
	}
	v->mig_started = 1;
	return 0;
}

mt_ns
virt_job_end(struct virt *v)
{
	mt_ns t;

	if (v == NULL)
		return MT_NS_NONE;
	pthread_mutex_lock(&v->mu);
	t = v->job_end;
	pthread_mutex_unlock(&v->mu);
	return t;
}

void
virt_abort(struct virt *v)
{
	int running;

	if (v == NULL || !v->mig_started)
		return;
	pthread_mutex_lock(&v->mu);
	running = !v->mig_done;
	pthread_mutex_unlock(&v->mu);
	if (!running)
		return;
	atomic_store(&v->aborted, 1);
	if (virDomainAbortJob(v->dom) < 0)
		cap_warn("--domain %s: cannot abort the migration: %s",
		    v->o->domain, last_error());
	else
		cap_warn("--domain %s: migration aborted", v->o->domain);
}

static void
read_dest_stats(struct virt *v)
{
	virDomainPtr d;
	virTypedParameterPtr params = NULL;
	int n = 0, type = 0;
	char err[MT_ERRBUF_SIZE];
	json_t *job;

	if ((d = virDomainLookupByName(v->dconn, v->o->domain)) == NULL) {
		snprintf(v->dest_err, sizeof(v->dest_err), "--libvirt-dest %s: "
		    "domain %s: %s", v->o->libvirt_dest, v->o->domain,
		    last_error());
		return;
	}
	/* KEEP_COMPLETED: leave them for `virsh domjobinfo --completed`. */
	if (virDomainGetJobStats(d, &type, &params, &n,
	    VIR_DOMAIN_JOB_STATS_COMPLETED |
	    VIR_DOMAIN_JOB_STATS_KEEP_COMPLETED) < 0) {
		snprintf(v->dest_err, sizeof(v->dest_err), "--libvirt-dest %s: "
		    "no completed job statistics: %s", v->o->libvirt_dest,
		    last_error());
		virDomainFree(d);
		return;
	}
	job = json_pack("{s:i, s:o}", "type", type, "params",
	    jobstats_params_to_json(params, n));
	pthread_mutex_lock(&v->mu);
	v->dest_job = job;
	/* The event was missed: the destination's view is the job. */
	if (!v->event_job && jobstats_doc_set_job(v->doc, type, params, n,
	    v->completed_ts, err) < 0)
		snprintf(v->dest_err, sizeof(v->dest_err), "%s", err);
	pthread_mutex_unlock(&v->mu);
	virTypedParamsFree(params, n);
	virDomainFree(d);
}

void
virt_finish(struct virt *v)
{
	struct timespec until;
	int done;

	if (v == NULL)
		return;
	if (v->mig_started && !v->mig_joined) {
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += VIRT_ABORT_WAIT_S;
		pthread_mutex_lock(&v->mu);
		while (!v->mig_done)
			if (pthread_cond_timedwait(&v->mig_cv, &v->mu,
			    &until) == ETIMEDOUT)
				break;
		done = v->mig_done;
		pthread_mutex_unlock(&v->mu);
		if (done) {
			pthread_join(v->migth, NULL);
			v->mig_joined = 1;
		} else
			cap_warn("--migrate-to: the migration call did not "
			    "return within %d s; leaving it", VIRT_ABORT_WAIT_S);
	}
	if (v->dconn != NULL)
		read_dest_stats(v);
}

json_t *
virt_jobstats_json(struct virt *v)
{
	json_t *doc;

	pthread_mutex_lock(&v->mu);
	/* The event's statistics are the source's view of the job; the
	 * destination's are used when the event was missed. */
	doc = json_deep_copy(v->doc);
	json_object_set_new(doc, "job_source", json_string(v->event_job ?
	    "event" : v->dest_job ? "dest" : "none"));
	if (v->dest_job != NULL)
		json_object_set(doc, "dest_job", v->dest_job);
	json_object_set_new(doc, "qemu_migration", json_deep_copy(
	    v->qemu_events));
	pthread_mutex_unlock(&v->mu);
	return doc;
}

const char *
virt_migration_status(struct virt *v)
{
	const char *s;

	if (v == NULL)
		return "none";
	pthread_mutex_lock(&v->mu);
	s = v->mig_status;
	/* libvirt may report a cancelled job as failed (the closed
	 * stream wins the race); QEMU's "cancelling" says otherwise. */
	if (v->o->migrate_to != NULL && strcmp(s, "failed") == 0 &&
	    v->qemu_cancel)
		s = "cancelled";
	if (v->o->migrate_to == NULL && v->qemu_end != NULL) {
		/* Watching: what QEMU said at the end. */
		if (v->qemu_cancel || strcmp(v->qemu_end, "cancelled") == 0)
			s = "cancelled";
		else if (strcmp(v->qemu_end, "failed") == 0)
			s = "failed";
		else
			s = "succeeded";
	}
	pthread_mutex_unlock(&v->mu);
	return s;
}

static json_t *
ns_or_null(mt_ns t)
{
	return t == MT_NS_NONE ? json_null() : json_integer(t);
}

json_t *
virt_manifest_json(struct virt *v)
{
	json_t *o, *m;

	pthread_mutex_lock(&v->mu);
	o = json_pack("{s:s, s:s, s:o, s:I, s:o, s:b, s:b}",
	    "uri", v->o->libvirt_uri,
	    "domain", v->o->domain,
	    "dest_uri", v->o->libvirt_dest ? json_string(v->o->libvirt_dest) :
	    json_null(),
	    "iterations", (json_int_t)v->niters,
	    "job_completed_ns", ns_or_null(v->completed_ts),
	    "job_stats_event", v->event_job,
	    "dest_stats", v->dest_job != NULL);
	if (v->dest_err[0])
		json_object_set_new(o, "dest_error", json_string(v->dest_err));
	if (v->conn_err[0])
		json_object_set_new(o, "connection_error",
		    json_string(v->conn_err));
	json_object_set_new(o, "qemu_events", json_boolean(v->cb_qemu >= 0));
	if (v->qemu_err[0])
		json_object_set_new(o, "qemu_events_error",
		    json_string(v->qemu_err));
	json_object_set_new(o, "qemu_migration_status", v->qemu_end ?
	    json_string(v->qemu_end) : json_null());
	json_object_set_new(o, "qemu_cancelling", json_boolean(v->qemu_cancel));
	if (v->o->migrate_to != NULL) {
		m = json_pack("{s:s, s:o, s:s, s:s, s:o, s:o}",
		    "to", v->o->migrate_to,
		    "uri", v->o->migrate_uri ? json_string(v->o->migrate_uri) :
		    json_null(),
		    "flags", "live|peer2peer",
		    "status", v->mig_status,
		    "start_ns", ns_or_null(v->mig_start),
		    "end_ns", ns_or_null(v->mig_end));
		if (v->mig_err[0])
			json_object_set_new(m, "error",
			    json_string(v->mig_err));
		json_object_set_new(o, "migration", m);
	}
	pthread_mutex_unlock(&v->mu);
	return o;
}

const char *
virt_migration_error(struct virt *v)
{
	return v && v->mig_err[0] ? v->mig_err : NULL;
}

void
virt_free(struct virt *v)
{
	if (v == NULL)
		return;
	if (v->mig_started && !v->mig_joined) {
		/* A migration call that would not return: do not free what
		 * its thread still uses. */
		return;
	}
	if (v->cb_iter >= 0)
		virConnectDomainEventDeregisterAny(v->conn, v->cb_iter);
	if (v->cb_job >= 0)
		virConnectDomainEventDeregisterAny(v->conn, v->cb_job);
	if (v->cb_qemu >= 0)
		virConnectDomainQemuMonitorEventDeregister(v->conn, v->cb_qemu);
	if (v->conn != NULL)
		(void)virConnectUnregisterCloseCallback(v->conn, on_close);
	if (v->ev_started) {
		atomic_store(&v->quit, 1);
		/* A zero timeout wakes virEventRunDefaultImpl() at once. */
		if (virEventAddTimeout(0, wake_timeout, NULL, NULL) >= 0)
			pthread_join(v->evth, NULL);
	}
	if (v->dom != NULL)
		virDomainFree(v->dom);
	if (v->conn != NULL)
		virConnectClose(v->conn);
	if (v->dconn != NULL)
		virConnectClose(v->dconn);
	json_decref(v->doc);
	json_decref(v->dest_job);
	json_decref(v->qemu_events);
	pthread_cond_destroy(&v->mig_cv);
	pthread_mutex_destroy(&v->mu);
	free(v);
}

/*
 * QEMU's downtime trace events (docs/qemu-trace.md): on for both sides
 * when the domain XML enables them (`-trace enable=vmstate_downtime*` in
 * <qemu:commandline>): the source QEMU was started with them and the
 * destination inherits the XML. The source's monitor is not asked (HMP
 * `info trace-events` would tell a `trace-event` switched on by hand,
 * but any monitor command taints the domain "custom-monitor", and a
 * capture must not change what it watches).
 */
void
virt_trace_check(struct virt *v)
{
	char *xml;
	const char *src = "off or unknown (not in the domain XML; a monitor "
	    "'trace-event' command is not seen)";
	int dst = 0;

	if ((xml = virDomainGetXMLDesc(v->dom, 0)) != NULL) {
		dst = strstr(xml, "enable=vmstate_downtime") != NULL;
		free(xml);
	}
	if (dst)
		src = "on";
	if (strcmp(src, "on") == 0 && dst) {
		if (!v->o->quiet)
			fprintf(stderr, "%s: --domain %s: QEMU downtime trace "
			    "events on for the source and the destination\n",
			    CAP_PROG, v->o->domain);
		return;
	}
	cap_warn("--domain %s: QEMU downtime trace events: source %s, "
	    "destination %s; for both, add '-trace enable=vmstate_downtime*' "
	    "to the domain XML's <qemu:commandline>; for the source alone, "
	    "virsh qemu-monitor-command --hmp %s 'trace-event "
	    "vmstate_downtime* on' (migtrace-capture(8), QEMU TRACES)",
	    v->o->domain, src, dst ? "on (domain XML)" : "off (not in the "
	    "domain XML)", v->o->domain);
}
