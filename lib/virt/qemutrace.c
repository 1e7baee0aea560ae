/*
 * qemutrace.c: QEMU's downtime trace events from a libvirt per-domain
 * QEMU log (the "log" trace backend, scripts/tracetool/backend/log.py;
 * the events are declared in migration/trace-events and
 * system/trace-events). Every line is hostile: copied into a bounded
 * buffer, numbers parsed with overflow checks, anything unexpected
 * counted and skipped. Facts: docs/qemu-trace.md.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "virt/qemutrace.h"

/*
 * The checkpoint names QEMU 8.2 to 10.x emits (migration/migration.c,
 * migration/savevm.c). Others are kept, and marked unknown.
 */
static const char *const known_checkpoints[] = {
	"src-downtime-start", "src-vm-stopped", "src-iterable-saved",
	"src-non-iterable-saved", "src-downtime-end",
	"dst-precopy-loadvm-completed", "dst-precopy-bh-enter",
	"dst-precopy-bh-announced", "dst-precopy-bh-vm-started",
	"dst-postcopy-bh-enter", "dst-postcopy-bh-announced",
	"dst-postcopy-bh-vm-started",
};

const char *
qtrace_side_name(enum qt_side s)
{
	return s == QT_SIDE_SOURCE ? "source" : s == QT_SIDE_DEST ?
	    "destination" : "unknown";
}

enum qt_side
qtrace_checkpoint_side(const char *name)
{
	if (strncmp(name, "src-", 4) == 0)
		return QT_SIDE_SOURCE;
	if (strncmp(name, "dst-", 4) == 0)
		return QT_SIDE_DEST;
	return QT_SIDE_UNKNOWN;
}

/* Times beyond this (the year 2255) would not fit an int64 of ns. */
#define QT_MAX_SECONDS	9000000000LL

static int
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Unsigned decimal at *p (at least one digit, at most max): advance *p. */
static int
get_uint(const char **p, int64_t max, int64_t *v)
{
	const char *s = *p;
	int64_t x = 0;

	if (!is_digit(*s))
		return -1;
	for (; is_digit(*s); s++) {
		if (x > (max - (*s - '0')) / 10)
			return -1;
		x = x * 10 + (*s - '0');
	}
	*v = x;
	*p = s;
	return 0;
}

/* Signed decimal (a '-' allowed). */
static int
get_int(const char **p, int64_t max, int64_t *v)
{
	int neg = **p == '-';

	if (neg)
		(*p)++;
	if (get_uint(p, max, v) < 0)
		return -1;
	if (neg)
		*v = -*v;
	return 0;
}

/* Exactly n digits. */
static int
get_fixed(const char **p, int n, int *v)
{
	int x = 0;

	for (int i = 0; i < n; i++) {
		if (!is_digit((*p)[i]))
			return -1;
		x = x * 10 + ((*p)[i] - '0');
	}
	*p += n;
	*v = x;
	return 0;
}

/*
 * `THREAD@SECONDS.MICROSECONDS:` (QEMU's log backend up to 10.x):
 * return the event's start, or NULL.
 */
static const char *
stamp_tid(const char *s, mt_ns *ns, long *tid)
{
	int64_t t, sec;
	int us;

	if (get_uint(&s, 1 << 30, &t) < 0 || *s++ != '@')
		return NULL;
	if (get_uint(&s, QT_MAX_SECONDS, &sec) < 0 || *s++ != '.')
		return NULL;
	if (get_fixed(&s, 6, &us) < 0 || *s++ != ':')
		return NULL;
	*ns = sec * MT_NS_PER_S + (mt_ns)us * 1000;
	*tid = (long)t;
	return s;
}

/*
 * `YYYY-MM-DDTHH:MM:SS.ffffffZ ` (qemu_log's own timestamp in later QEMU,
 * util/log.c, UTC): return the event's start, or NULL.
 */
static const char *
stamp_iso(const char *s, mt_ns *ns)
{
	struct tm tm;
	int y, mo, d, h, mi, se, frac = 0, digits = 0;
	time_t t;

	if (get_fixed(&s, 4, &y) < 0 || *s++ != '-' ||
	    get_fixed(&s, 2, &mo) < 0 || *s++ != '-' ||
	    get_fixed(&s, 2, &d) < 0 || *s++ != 'T' ||
	    get_fixed(&s, 2, &h) < 0 || *s++ != ':' ||
	    get_fixed(&s, 2, &mi) < 0 || *s++ != ':' ||
	    get_fixed(&s, 2, &se) < 0)
		return NULL;
	if (*s == '.') {
		for (s++; is_digit(*s); s++, digits++)
			if (digits < 9)
				frac = frac * 10 + (*s - '0');
		if (digits == 0)
			return NULL;
		for (int i = digits; i < 9; i++)
			frac *= 10;
	}
	if (*s++ != 'Z' || *s++ != ' ')
		return NULL;
	if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 ||
	    mi > 59 || se > 60)
		return NULL;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = se;
	t = timegm(&tm);
	if (t == (time_t)-1 || t > QT_MAX_SECONDS)
		return NULL;
	*ns = (mt_ns)t * MT_NS_PER_S + frac;
	return s;
}

/*
 * Copy a name up to stop (not included), cut at QT_NAME_MAX - 1: 0, or
 * -1 when it holds a byte that is not printable ASCII (QEMU's names are;
 * anything else is a damaged line).
 */
static int
copy_name(char *dst, const char *s, const char *stop)
{
	size_t n = (size_t)(stop - s);

	for (const char *p = s; p < stop; p++)
		if (*p < 0x21 || *p > 0x7e)
			return -1;
	if (n >= QT_NAME_MAX)
		n = QT_NAME_MAX - 1;
	memcpy(dst, s, n);
	dst[n] = '\0';
	return 0;
}

/* The last occurrence of needle in s. */
static const char *
last_of(const char *s, const char *needle)
{
	const char *r = NULL, *p = s;

	while ((p = strstr(p, needle)) != NULL)
		r = p++;
	return r;
}

/* `type=T idstr=S instance_id=N downtime=US` (migration/trace-events). */
static int
parse_device(const char *a, struct qt_event *ev)
{
	const char *id, *inst;
	int64_t v;

	if (strncmp(a, "type=", 5) != 0)
		return -1;
	a += 5;
	if (strncmp(a, "iterable ", 9) == 0) {
		ev->iterable = 1;
		a += 8;
	} else if (strncmp(a, "non-iterable ", 13) == 0) {
		ev->iterable = 0;
		a += 12;
	} else
		return -1;
	if (strncmp(a, " idstr=", 7) != 0)
		return -1;
	id = a + 7;
	/* An idstr is a QOM path or name: the last " instance_id=" ends it. */
	if ((inst = last_of(id, " instance_id=")) == NULL || inst == id)
		return -1;
	if (copy_name(ev->name, id, inst) < 0)
		return -1;
	a = inst + 13;
	/* instance_id is a uint32_t printed with %d: it may read negative. */
	if (get_int(&a, 4294967295LL, &v) < 0 || v < INT32_MIN)
		return -1;
	ev->instance_id = (uint32_t)v;
	if (strncmp(a, " downtime=", 10) != 0)
		return -1;
	a += 10;
	if (get_int(&a, INT64_MAX / 1000, &v) < 0 || *a != '\0')
		return -1;
	ev->us = v;
	return 0;
}

/* `current_run_state N (NAME) new_state N (NAME)` (system/trace-events). */
static int
parse_runstate(const char *a, struct qt_event *ev)
{
	const char *p = strstr(a, " new_state "), *close;
	int64_t v;

	if (strncmp(a, "current_run_state ", 18) != 0 || p == NULL)
		return -1;
	p += 11;
	if (get_uint(&p, 1000, &v) < 0 || strncmp(p, " (", 2) != 0)
		return -1;
	p += 2;
	if ((close = strchr(p, ')')) == NULL || close == p || close[1] != '\0')
		return -1;
	ev->state = (int)v;
	return copy_name(ev->name, p, close);
}

int
qtrace_parse_line(const char *line, size_t len, struct qt_event *ev)
{
	char buf[QT_LINE_MAX + 1];
	const char *s, *args;
	size_t elen;
	int timed = 1, r;

	if (len > QT_LINE_MAX)
		return 0;
	memcpy(buf, line, len);
	buf[len] = '\0';
	/* A log copied from another system may end its lines in CR. */
	while (len > 0 && (buf[len - 1] == '\r' || buf[len - 1] == ' '))
		buf[--len] = '\0';
	memset(ev, 0, sizeof(*ev));
	ev->tid = -1;
	if ((s = stamp_tid(buf, &ev->ns, &ev->tid)) == NULL &&
	    (s = stamp_iso(buf, &ev->ns)) == NULL) {
		s = buf;
		timed = 0;
		ev->ns = MT_NS_NONE;
	}
	for (elen = 0; (s[elen] >= 'a' && s[elen] <= 'z') || s[elen] == '_' ||
	    is_digit(s[elen]); elen++)
		;
	args = s + elen;
	if (*args == ' ')
		args++;
	else if (*args != '\0')
		return 0;
#define IS(name) (elen == sizeof(name) - 1 && memcmp(s, name, elen) == 0)
	if (IS("vmstate_downtime_checkpoint")) {
		ev->kind = QT_CHECKPOINT;
		if (*args == '\0' || copy_name(ev->name, args, args +
		    strlen(args)) < 0)
			return -1;
		ev->side = qtrace_checkpoint_side(ev->name);
		ev->known = 0;
		for (size_t i = 0; i < sizeof(known_checkpoints) /
		    sizeof(known_checkpoints[0]); i++)
			if (strcmp(ev->name, known_checkpoints[i]) == 0)
				ev->known = 1;
		r = 0;
	} else if (IS("vmstate_downtime_save") || IS("vmstate_downtime_load")) {
		ev->kind = s[17] == 's' ? QT_SAVE : QT_LOAD;
		ev->side = ev->kind == QT_SAVE ? QT_SIDE_SOURCE : QT_SIDE_DEST;
		r = parse_device(args, ev);
	} else if (IS("runstate_set")) {
		ev->kind = QT_RUNSTATE;
		ev->side = QT_SIDE_UNKNOWN;
		r = parse_runstate(args, ev);
	} else
		return 0;
#undef IS
	if (r < 0)
		return -1;
	return timed ? 1 : -2;
}

static struct qtrace *
qtrace_new(const char *name, char *errbuf)
{
	struct qtrace *t = calloc(1, sizeof(*t));

	if (t == NULL || (t->path = strdup(name)) == NULL) {
		free(t);
		snprintf(errbuf, MT_ERRBUF_SIZE, "%.300s: out of memory", name);
		return NULL;
	}
	return t;
}

/* Take one line: 0, or -1 when out of memory. */
static int
feed(struct qtrace *t, const char *line, size_t len)
{
	struct qt_event ev;
	int r;

	t->lines++;
	if (len > QT_LINE_MAX) {
		t->long_lines++;
		return 0;
	}
	r = qtrace_parse_line(line, len, &ev);
	if (r == 0) {
		/* Count timed lines of events we do not read. */
		if (len > 0 && is_digit(line[0]) && memchr(line, '@', len) &&
		    memchr(line, ':', len))
			t->other_events++;
		return 0;
	}
	if (r == -1) {
		if (t->bad++ == 0)
			t->first_bad = t->lines;
		return 0;
	}
	if (r == -2) {
		if (t->untimed++ == 0)
			t->first_untimed = t->lines;
		return 0;
	}
	if (t->n >= QT_MAX_EVENTS) {
		t->dropped++;
		return 0;
	}
	if (t->n == t->cap) {
		size_t nc = t->cap ? t->cap * 2 : 64;
		struct qt_event *nv = realloc(t->ev, nc * sizeof(*nv));
		if (nv == NULL)
			return -1;
		t->ev = nv;
		t->cap = nc;
	}
	ev.line = t->lines;
	t->ev[t->n++] = ev;
	return 0;
}

struct qtrace *
qtrace_parse_mem(const char *name, const char *data, size_t size,
    char *errbuf)
{
	struct qtrace *t = qtrace_new(name, errbuf);
	const char *p = data, *end = data + size, *nl;

	if (t == NULL)
		return NULL;
	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			nl = end;
		if (feed(t, p, (size_t)(nl - p)) < 0) {
			snprintf(errbuf, MT_ERRBUF_SIZE, "%.300s: out of memory",
			    name);
			qtrace_free(t);
			return NULL;
		}
		p = nl + 1;
	}
	return t;
}

struct qtrace *
qtrace_load(const char *path, char *errbuf)
{
	struct qtrace *t;
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;

	if (f == NULL) {
		snprintf(errbuf, MT_ERRBUF_SIZE, "%.300s: %s", path,
		    strerror(errno));
		return NULL;
	}
	if ((t = qtrace_new(path, errbuf)) == NULL) {
		fclose(f);
		return NULL;
	}
	errno = 0;
	while ((n = getline(&line, &cap, f)) > 0) {
		size_t len = (size_t)n;
		if (line[len - 1] == '\n')
			len--;
		if (feed(t, line, len) < 0) {
			errno = ENOMEM;
			break;
		}
		errno = 0;
	}
	free(line);
	if (ferror(f) || errno == ENOMEM) {
		snprintf(errbuf, MT_ERRBUF_SIZE, "%.300s: %s", path,
		    errno ? strerror(errno) : "read error");
		fclose(f);
		qtrace_free(t);
		return NULL;
	}
	fclose(f);
	return t;
}

void
qtrace_free(struct qtrace *t)
{
	if (t == NULL)
		return;
	free(t->ev);
	free(t->path);
	free(t);
}
