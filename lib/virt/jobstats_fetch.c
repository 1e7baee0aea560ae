/*
 * jobstats_fetch.c: the live fetch (--libvirt URI --domain NAME), with
 * libvirt loaded at run time.
 *
 * Only this rare option needs libvirt's code, and linking libvirt costs
 * every run of migtrace-analyze the pages of the ~65 shared libraries it
 * pulls in (13 MB of resident memory, bench/RESULTS.md). So the analyzer
 * does not link it: the first fetch dlopen()s libvirt.so.0 and looks up
 * the few functions below. libvirt's ABI is stable, so its soname is the
 * contract; the types come from its headers and are checked against its
 * prototypes at compile time (__typeof__). The library stays loaded: its
 * thread-local error storage has destructors that must outlive threads.
 */
#include "config.h"

#include <dlfcn.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libvirt/virterror.h>

#include "virt/jobstats_int.h"

#define JS_LIBVIRT_SONAME "libvirt.so.0"

/* The functions jobstats_fetch() calls, with libvirt's own prototypes. */
struct js_libvirt {
	__typeof__(virSetErrorFunc) *virSetErrorFunc;
	__typeof__(virGetLastErrorMessage) *virGetLastErrorMessage;
	__typeof__(virConnectOpen) *virConnectOpen;
	__typeof__(virConnectClose) *virConnectClose;
	__typeof__(virDomainLookupByName) *virDomainLookupByName;
	__typeof__(virDomainFree) *virDomainFree;
	__typeof__(virDomainGetJobStats) *virDomainGetJobStats;
	__typeof__(virTypedParamsFree) *virTypedParamsFree;
};

#define SYM(f) { #f, offsetof(struct js_libvirt, f) }
static const struct {
	const char *name;
	size_t off;
} js_libvirt_syms[] = {
	SYM(virSetErrorFunc),
	SYM(virGetLastErrorMessage),
	SYM(virConnectOpen),
	SYM(virConnectClose),
	SYM(virDomainLookupByName),
	SYM(virDomainFree),
	SYM(virDomainGetJobStats),
	SYM(virTypedParamsFree),
};
#undef SYM
#define JS_NSYMS (sizeof(js_libvirt_syms) / sizeof(js_libvirt_syms[0]))

/* POSIX: a function's address fits in the void * dlsym() returns. */
_Static_assert(sizeof(void *) == sizeof(void (*)(void)),
    "function pointers and void * differ in size");

/* Load libvirt and fill lv. Return 0, or -1 with errbuf set. */
static int
js_libvirt_load(struct js_libvirt *lv, char *errbuf)
{
	const char *e;
	void *h, *sym;

	/* dlopen() of a loaded library only takes a reference. */
	if ((h = dlopen(JS_LIBVIRT_SONAME, RTLD_NOW | RTLD_LOCAL)) == NULL) {
		e = dlerror();
		js_err(errbuf, "--libvirt: cannot load %s: %s", JS_LIBVIRT_SONAME,
		    e != NULL ? e : "unknown error");
		return -1;
	}
	for (size_t i = 0; i < JS_NSYMS; i++) {
		dlerror();
		if ((sym = dlsym(h, js_libvirt_syms[i].name)) == NULL) {
			js_err(errbuf, "--libvirt: %s has no %s (libvirt too "
			    "old?)", JS_LIBVIRT_SONAME, js_libvirt_syms[i].name);
			return -1;
		}
		memcpy((char *)lv + js_libvirt_syms[i].off, &sym, sizeof(sym));
	}
	return 0;
}

/* libvirt prints its errors on stderr unless told otherwise. */
static void
js_quiet(void *ud, virErrorPtr e)
{
	(void)ud;
	(void)e;
}

struct jobstats *
jobstats_fetch(const char *uri, const char *domain, mt_warn_fn warn,
    void *ctx, char *errbuf)
{
	struct js_libvirt lv;
	virConnectPtr conn = NULL;
	virDomainPtr dom = NULL;
	virTypedParameterPtr params = NULL;
	int nparams = 0, type = -1;
	struct jobstats *js = NULL;
	char name[MT_ERRBUF_SIZE / 2];

	if (uri == NULL || domain == NULL) {
		js_err(errbuf, "--libvirt needs a URI and a domain name");
		return NULL;
	}
	if (js_libvirt_load(&lv, errbuf) < 0)
		return NULL;
	snprintf(name, sizeof(name), "%s %s", uri, domain);
	lv.virSetErrorFunc(NULL, js_quiet);
	if ((conn = lv.virConnectOpen(uri)) == NULL) {
		js_err(errbuf, "%s: cannot connect: %s", uri,
		    lv.virGetLastErrorMessage());
		return NULL;
	}
	if ((dom = lv.virDomainLookupByName(conn, domain)) == NULL) {
		js_err(errbuf, "%s: domain '%s': %s", uri, domain,
		    lv.virGetLastErrorMessage());
		goto out;
	}
	/*
	 * COMPLETED: the last completed job (docs/libvirt-jobstats.md);
	 * KEEP_COMPLETED so that the next reader still finds it.
	 */
	if (lv.virDomainGetJobStats(dom, &type, &params, &nparams,
	    VIR_DOMAIN_JOB_STATS_COMPLETED |
	    VIR_DOMAIN_JOB_STATS_KEEP_COMPLETED) < 0) {
		js_err(errbuf, "%s: domain '%s': cannot get job statistics: %s",
		    uri, domain, lv.virGetLastErrorMessage());
		goto out;
	}
	if (type == VIR_DOMAIN_JOB_NONE || nparams == 0) {
		js_err(errbuf, "%s: domain '%s': no completed job (read the "
		    "statistics on the destination after the migration)",
		    uri, domain);
		goto out;
	}
	js = jobstats_from_params(name, type, params, nparams, warn, ctx,
	    errbuf);
	if (js != NULL && (js->domain = strdup(domain)) == NULL) {
		jobstats_free(js);
		js = NULL;
		js_err(errbuf, "%s: out of memory", name);
	}
out:
	lv.virTypedParamsFree(params, nparams);
	if (dom != NULL)
		lv.virDomainFree(dom);
	lv.virConnectClose(conn);
	return js;
}
