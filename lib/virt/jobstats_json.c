/*
 * jobstats_json.c: jobstats.json, the job statistics migtrace-capture
 * records (format in jobstats.h): writing it from typed parameters, and
 * reading it back into the same typed parameters, so a file and a live
 * fetch go through one path, jobstats_from_params(). libvirt's header
 * types only: no libvirt function is called (the analyzer does not link
 * libvirt), the parameters are filled in by hand.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "virt/jobstats_int.h"

#define JS_FORMAT "migtrace-jobstats"
#define JS_VERSION 1

/* ---- writing ---- */

static json_t *
js_str_or_null(const char *s)
{
	return s != NULL ? json_string(s) : json_null();
}

json_t *
jobstats_doc_new(const char *domain, const char *source_uri,
    const char *dest_uri)
{
	json_t *doc;

	if ((doc = json_object()) == NULL)
		return NULL;
	if (json_object_set_new(doc, "format", json_string(JS_FORMAT)) < 0 ||
	    json_object_set_new(doc, "version", json_integer(JS_VERSION)) < 0 ||
	    json_object_set_new(doc, "domain", js_str_or_null(domain)) < 0 ||
	    json_object_set_new(doc, "source_uri",
	    js_str_or_null(source_uri)) < 0 ||
	    json_object_set_new(doc, "dest_uri", js_str_or_null(dest_uri)) < 0 ||
	    json_object_set_new(doc, "job", json_null()) < 0 ||
	    json_object_set_new(doc, "iterations", json_array()) < 0 ||
	    json_object_set_new(doc, "completed_ts_ns", json_null()) < 0) {
		json_decref(doc);
		return NULL;
	}
	return doc;
}

int
jobstats_doc_add_iteration(json_t *doc, int iteration, mt_ns ts_ns)
{
	json_t *a, *it;

	if ((a = json_object_get(doc, "iterations")) == NULL ||
	    !json_is_array(a)) {
		if (json_object_set_new(doc, "iterations", json_array()) < 0)
			return -1;
		a = json_object_get(doc, "iterations");
	}
	if ((it = json_object()) == NULL)
		return -1;
	if (json_object_set_new(it, "iteration", json_integer(iteration)) < 0 ||
	    json_object_set_new(it, "ts_ns", ts_ns == MT_NS_NONE ? json_null() :
	    json_integer(ts_ns)) < 0) {
		json_decref(it);
		return -1;
	}
	return json_array_append_new(a, it);
}

static json_t *
js_param_value(const virTypedParameter *p)
{
	switch (p->type) {
	case VIR_TYPED_PARAM_INT:
		return json_integer(p->value.i);
	case VIR_TYPED_PARAM_UINT:
		return json_integer(p->value.ui);
	case VIR_TYPED_PARAM_LLONG:
		return json_integer(p->value.l);
	case VIR_TYPED_PARAM_ULLONG:
		/* jansson's integers are signed 64-bit: keep the exact
		 * value as a decimal string rather than wrap it. */
		if (p->value.ul > (unsigned long long)INT64_MAX) {
			char buf[32];
			snprintf(buf, sizeof(buf), "%llu", p->value.ul);
			return json_string(buf);
		}
		return json_integer((json_int_t)p->value.ul);
	case VIR_TYPED_PARAM_DOUBLE:
		/* JSON has no NaN or infinity. */
		return isfinite(p->value.d) ? json_real(p->value.d) :
		    json_null();
	case VIR_TYPED_PARAM_BOOLEAN:
		return json_boolean(p->value.b);
	case VIR_TYPED_PARAM_STRING:
		return js_str_or_null(p->value.s);
	}
	return json_null();
}

static const char *const js_types[] = {
	[VIR_TYPED_PARAM_INT] = "int",
	[VIR_TYPED_PARAM_UINT] = "uint",
	[VIR_TYPED_PARAM_LLONG] = "llong",
	[VIR_TYPED_PARAM_ULLONG] = "ullong",
	[VIR_TYPED_PARAM_DOUBLE] = "double",
	[VIR_TYPED_PARAM_BOOLEAN] = "boolean",
	[VIR_TYPED_PARAM_STRING] = "string",
};
#define JS_NTYPES ((int)(sizeof(js_types) / sizeof(js_types[0])))

json_t *
jobstats_params_to_json(virTypedParameterPtr params, int nparams)
{
	json_t *a;

	if ((a = json_array()) == NULL)
		return NULL;
	for (int i = 0; i < nparams; i++) {
		const virTypedParameter *p = &params[i];
		char field[VIR_TYPED_PARAM_FIELD_LENGTH + 1];
		json_t *o;

		if (p->type <= 0 || p->type >= JS_NTYPES ||
		    js_types[p->type] == NULL)
			continue;	/* a type newer than libvirt 9.0 */
		memcpy(field, p->field, VIR_TYPED_PARAM_FIELD_LENGTH);
		field[VIR_TYPED_PARAM_FIELD_LENGTH] = '\0';
		if ((o = json_object()) == NULL ||
		    json_object_set_new(o, "name", json_string(field)) < 0 ||
		    json_object_set_new(o, "type",
		    json_string(js_types[p->type])) < 0 ||
		    json_object_set_new(o, "value", js_param_value(p)) < 0 ||
		    json_array_append_new(a, o) < 0) {
			json_decref(a);
			return NULL;
		}
	}
	return a;
}

int
jobstats_doc_set_job(json_t *doc, int job_type, virTypedParameterPtr params,
    int nparams, mt_ns completed_ts_ns, char *errbuf)
{
	json_t *job, *pa;

	if (!json_is_object(doc) || nparams < 0 ||
	    (nparams > 0 && params == NULL)) {
		js_err(errbuf, "jobstats: bad arguments to jobstats_doc_set_job");
		return -1;
	}
	if ((pa = jobstats_params_to_json(params, nparams)) == NULL ||
	    (job = json_object()) == NULL) {
		json_decref(pa);
		js_err(errbuf, "jobstats: out of memory");
		return -1;
	}
	if (json_object_set_new(job, "type", json_integer(job_type)) < 0 ||
	    json_object_set_new(job, "params", pa) < 0 ||
	    json_object_set_new(doc, "job", job) < 0 ||
	    json_object_set_new(doc, "completed_ts_ns",
	    completed_ts_ns == MT_NS_NONE ? json_null() :
	    json_integer(completed_ts_ns)) < 0) {
		js_err(errbuf, "jobstats: out of memory");
		return -1;
	}
	return 0;
}

int
jobstats_json_write(const char *path, const json_t *doc, char *errbuf)
{
	char *tmp;
	size_t n = strlen(path) + 8;
	FILE *f;
	int fd;

	if ((tmp = malloc(n)) == NULL) {
		js_err(errbuf, "%s: out of memory", path);
		return -1;
	}
	snprintf(tmp, n, "%s.XXXXXX", path);
	if ((fd = mkstemp(tmp)) < 0) {
		js_err(errbuf, "%s: %s", path, strerror(errno));
		free(tmp);
		return -1;
	}
	if ((f = fdopen(fd, "w")) == NULL) {
		js_err(errbuf, "%s: %s", path, strerror(errno));
		close(fd);
		goto fail;
	}
	if (json_dumpf(doc, f, JSON_INDENT(2)) < 0 || fputc('\n', f) == EOF ||
	    fflush(f) == EOF || fsync(fileno(f)) < 0) {
		js_err(errbuf, "%s: write failed: %s", path,
		    errno ? strerror(errno) : "cannot encode JSON");
		fclose(f);
		goto fail;
	}
	if (fclose(f) == EOF) {
		js_err(errbuf, "%s: %s", path, strerror(errno));
		goto fail;
	}
	/* mkstemp makes 0600; a results file is for everyone to read. */
	if (chmod(tmp, 0644) < 0 || rename(tmp, path) < 0) {
		js_err(errbuf, "%s: %s", path, strerror(errno));
		goto fail;
	}
	free(tmp);
	return 0;
fail:
	unlink(tmp);
	free(tmp);
	return -1;
}

/* ---- reading ---- */

/*
 * One element of job.params to the typed parameter p (zeroed by the
 * caller; a string value points into the document, which must outlive p).
 * Return 1 when p was filled in, 0 for a null value (written for a
 * non-finite double: absent), -1 with errbuf set.
 */
static int
js_param_read(const char *name, int idx, json_t *el, virTypedParameterPtr p,
    char *errbuf)
{
	const char *pname, *ptype;
	json_t *val;
	json_int_t iv = 0;
	int t;

	if (!json_is_object(el) ||
	    (pname = json_string_value(json_object_get(el, "name"))) == NULL ||
	    (ptype = json_string_value(json_object_get(el, "type"))) == NULL ||
	    (val = json_object_get(el, "value")) == NULL) {
		js_err(errbuf, "%s: job.params[%d]: expected {\"name\", "
		    "\"type\", \"value\"}", name, idx);
		return -1;
	}
	if (strlen(pname) == 0 ||
	    strlen(pname) >= VIR_TYPED_PARAM_FIELD_LENGTH) {
		js_err(errbuf, "%s: job.params[%d]: bad parameter name '%s'",
		    name, idx, pname);
		return -1;
	}
	for (t = 1; t < JS_NTYPES; t++)
		if (js_types[t] != NULL && strcmp(js_types[t], ptype) == 0)
			break;
	if (t == JS_NTYPES) {
		js_err(errbuf, "%s: job.params[%d] ('%s'): unknown type '%s'",
		    name, idx, pname, ptype);
		return -1;
	}
	if (json_is_null(val))
		return 0;
	if (json_is_integer(val))
		iv = json_integer_value(val);

#define BAD(what) do { js_err(errbuf, "%s: job.params[%d] ('%s'): %s", \
	    name, idx, pname, what); return -1; } while (0)
	switch (t) {
	case VIR_TYPED_PARAM_INT:
		if (!json_is_integer(val))
			BAD("int value is not an integer");
		if (iv < INT_MIN || iv > INT_MAX)
			BAD("int value out of range");
		p->value.i = (int)iv;
		break;
	case VIR_TYPED_PARAM_UINT:
		if (!json_is_integer(val))
			BAD("uint value is not an integer");
		if (iv < 0 || iv > UINT_MAX)
			BAD(iv < 0 ? "uint value is negative" :
			    "uint value out of range");
		p->value.ui = (unsigned int)iv;
		break;
	case VIR_TYPED_PARAM_LLONG:
		if (!json_is_integer(val))
			BAD("llong value is not an integer");
		p->value.l = iv;
		break;
	case VIR_TYPED_PARAM_ULLONG: {
		unsigned long long u;

		if (json_is_integer(val)) {
			if (iv < 0)
				BAD("ullong value is negative");
			u = (unsigned long long)iv;
		} else if (json_is_string(val)) {
			/* Above INT64_MAX the writer uses a decimal string. */
			const char *s = json_string_value(val);
			char *e;

			if (*s < '0' || *s > '9')
				BAD("ullong value is not a decimal number");
			errno = 0;
			u = strtoull(s, &e, 10);
			if (errno == ERANGE)
				BAD("ullong value out of range");
			if (*e != '\0')
				BAD("ullong value is not a decimal number");
		} else
			BAD("ullong value is not an integer");
		p->value.ul = u;
		break;
	}
	case VIR_TYPED_PARAM_DOUBLE:
		if (!json_is_number(val))
			BAD("double value is not a number");
		p->value.d = json_number_value(val);
		break;
	case VIR_TYPED_PARAM_BOOLEAN:
		if (!json_is_boolean(val))
			BAD("boolean value is not true or false");
		p->value.b = json_is_true(val);
		break;
	case VIR_TYPED_PARAM_STRING:
		if (!json_is_string(val))
			BAD("string value is not a string");
		/* Only read (jobstats_from_params() copies what it keeps). */
		p->value.s = (char *)(uintptr_t)json_string_value(val);
		break;
	}
#undef BAD
	/* As virTypedParamsAdd*() would: the name fits, NUL-terminated. */
	memcpy(p->field, pname, strlen(pname) + 1);
	p->type = t;
	return 1;
}

static int
js_dup_str(const char *name, json_t *doc, const char *key, char **out,
    mt_warn_fn warn, void *ctx)
{
	json_t *v = json_object_get(doc, key);

	if (v == NULL || json_is_null(v))
		return 0;
	if (!json_is_string(v)) {
		js_warn(warn, ctx, "%s: \"%s\" is not a string, ignored",
		    name, key);
		return 0;
	}
	if ((*out = strdup(json_string_value(v))) == NULL)
		return -1;
	return 0;
}

struct jobstats *
js_parse_json(const char *name, const char *buf, size_t len, mt_warn_fn warn,
    void *ctx, char *errbuf)
{
	json_t *doc, *job, *pa, *v, *it;
	json_error_t jerr;
	virTypedParameterPtr params = NULL;
	int n = 0, r, type;
	struct jobstats *js = NULL;
	const char *fmt;
	size_t i;

	if ((doc = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &jerr)) ==
	    NULL) {
		js_err(errbuf, "%s: line %d column %d: bad JSON: %s", name,
		    jerr.line, jerr.column, jerr.text);
		return NULL;
	}
	if (!json_is_object(doc) ||
	    (fmt = json_string_value(json_object_get(doc, "format"))) == NULL ||
	    strcmp(fmt, JS_FORMAT) != 0) {
		js_err(errbuf, "%s: JSON but not job statistics (no \"format\": "
		    "\"%s\")", name, JS_FORMAT);
		goto out;
	}
	v = json_object_get(doc, "version");
	if (!json_is_integer(v) || json_integer_value(v) != JS_VERSION) {
		if (json_is_integer(v))
			js_err(errbuf, "%s: jobstats.json version %lld not "
			    "supported (this migtrace reads version %d)", name,
			    (long long)json_integer_value(v), JS_VERSION);
		else
			js_err(errbuf, "%s: jobstats.json without an integer "
			    "\"version\"", name);
		goto out;
	}
	job = json_object_get(doc, "job");
	if (job == NULL || json_is_null(job)) {
		js_err(errbuf, "%s: no completed job recorded (\"job\" is "
		    "null: migtrace-capture did not get the statistics)", name);
		goto out;
	}
	v = json_object_get(job, "type");
	pa = json_object_get(job, "params");
	if (!json_is_object(job) || !json_is_integer(v) ||
	    json_integer_value(v) < 0 || json_integer_value(v) > 5 ||
	    !json_is_array(pa)) {
		js_err(errbuf, "%s: \"job\" must be {\"type\": 0-5, \"params\": "
		    "[...]}", name);
		goto out;
	}
	type = (int)json_integer_value(v);
	if (type == VIR_DOMAIN_JOB_NONE) {
		js_err(errbuf, "%s: no job (type 0, VIR_DOMAIN_JOB_NONE)", name);
		goto out;
	}
	if (json_array_size(pa) == 0) {
		js_err(errbuf, "%s: \"job\" has no parameters", name);
		goto out;
	}
	if ((params = calloc(json_array_size(pa), sizeof(*params))) == NULL)
		goto nomem;
	json_array_foreach(pa, i, v) {
		if ((r = js_param_read(name, (int)i, v, &params[n], errbuf)) < 0)
			goto out;
		n += r;
	}
	if ((js = jobstats_from_params(name, type, params, n, warn, ctx,
	    errbuf)) == NULL)
		goto out;
	js->form = JOBSTATS_FORM_JSON;
	if (type != VIR_DOMAIN_JOB_COMPLETED)
		js_warn(warn, ctx, "%s: job type %d, not a completed job",
		    name, type);
	if (js_dup_str(name, doc, "domain", &js->domain, warn, ctx) < 0 ||
	    js_dup_str(name, doc, "source_uri", &js->source_uri, warn,
	    ctx) < 0 ||
	    js_dup_str(name, doc, "dest_uri", &js->dest_uri, warn, ctx) < 0)
		goto nomem;
	v = json_object_get(doc, "completed_ts_ns");
	if (json_is_integer(v))
		js->completed_ts_ns = json_integer_value(v);
	else if (v != NULL && !json_is_null(v))
		js_warn(warn, ctx, "%s: \"completed_ts_ns\" is not an integer, "
		    "ignored", name);
	v = json_object_get(doc, "iterations");
	if (json_is_array(v) && json_array_size(v) > 0) {
		if ((js->iters = calloc(json_array_size(v),
		    sizeof(*js->iters))) == NULL)
			goto nomem;
		json_array_foreach(v, i, it) {
			json_t *num = json_object_get(it, "iteration");
			json_t *ts = json_object_get(it, "ts_ns");

			if (!json_is_integer(num) || !json_is_integer(ts) ||
			    json_integer_value(num) < 0 ||
			    json_integer_value(num) > INT_MAX) {
				js_warn(warn, ctx, "%s: iterations[%zu] is not "
				    "{\"iteration\": N, \"ts_ns\": T}, ignored",
				    name, i);
				continue;
			}
			js->iters[js->niters].iteration =
			    (int)json_integer_value(num);
			js->iters[js->niters].ts_ns = json_integer_value(ts);
			js->niters++;
		}
	} else if (v != NULL && !json_is_null(v) && !json_is_array(v))
		js_warn(warn, ctx, "%s: \"iterations\" is not an array, "
		    "ignored", name);
	goto out;
nomem:
	js_err(errbuf, "%s: out of memory", name);
	jobstats_free(js);
	js = NULL;
out:
	free(params);		/* the strings belong to doc */
	json_decref(doc);
	return js;
}
