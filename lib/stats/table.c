/* table.c: a strict RFC 4180 CSV reader and field writer (see table.h). */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "stats/table.h"

/* A growing byte buffer for the field being read. */
struct buf {
	char *p;
	size_t len, cap;
};

/* A growing list of strings (one row's fields, or all cells). */
struct strv {
	char **v;
	size_t len, cap;
};

static int
buf_put(struct buf *b, char c)
{
	if (b->len + 1 >= b->cap) {
		size_t ncap = b->cap ? b->cap * 2 : 64;
		char *np = realloc(b->p, ncap);

		if (np == NULL)
			return -1;
		b->p = np;
		b->cap = ncap;
	}
	b->p[b->len++] = c;
	b->p[b->len] = '\0';
	return 0;
}

static int
strv_push(struct strv *s, char *str)
{
	if (s->len == s->cap) {
		size_t ncap = s->cap ? s->cap * 2 : 16;
		char **nv = realloc(s->v, ncap * sizeof(*nv));

		if (nv == NULL)
			return -1;
		s->v = nv;
		s->cap = ncap;
	}
	s->v[s->len++] = str;
	return 0;
}

static void
strv_clear(struct strv *s)
{
	for (size_t i = 0; i < s->len; i++)
		free(s->v[i]);
	s->len = 0;
}

void
table_free(struct table *t)
{
	if (t == NULL)
		return;
	for (size_t i = 0; i < t->ncols; i++)
		free(t->names[i]);
	for (size_t i = 0; i < t->ncols * t->nrows; i++)
		free(t->cells[i]);
	free(t->names);
	free(t->cells);
	free(t->lines);
	free(t);
}

/*
 * Finish one record: the first becomes the header, the others rows.
 * Return 0, or -1 with errbuf set.
 */
static int
end_record(struct table *t, struct strv *row, struct strv *cells,
    size_t **lines, size_t *lcap, size_t line, const char *name,
    char *errbuf)
{
	/* A blank line: one empty field. Skip it. */
	if (row->len == 1 && row->v[0][0] == '\0') {
		strv_clear(row);
		return 0;
	}
	if (t->names == NULL) {
		for (size_t i = 0; i < row->len; i++) {
			if (row->v[i][0] == '\0') {
				mt_seterr(errbuf, "%s:%zu: column %zu of the header "
				    "has no name", name, line, i + 1);
				return -1;
			}
			for (size_t j = 0; j < i; j++)
				if (strcmp(row->v[i], row->v[j]) == 0) {
					mt_seterr(errbuf, "%s:%zu: column \"%s\" "
					    "appears twice in the header",
					    name, line, row->v[i]);
					return -1;
				}
		}
		t->ncols = row->len;
		t->names = row->v;
		row->v = NULL;
		row->len = row->cap = 0;
		return 0;
	}
	if (row->len != t->ncols) {
		mt_seterr(errbuf, "%s:%zu: %zu fields, but the header has %zu",
		    name, line, row->len, t->ncols);
		return -1;
	}
	for (size_t i = 0; i < row->len; i++)
		if (strv_push(cells, row->v[i]) == -1) {
			mt_seterr(errbuf, "%s: out of memory", name);
			return -1;
		}
	row->len = 0;
	if (t->nrows == *lcap) {
		size_t ncap = *lcap ? *lcap * 2 : 16;
		size_t *nl = realloc(*lines, ncap * sizeof(*nl));

		if (nl == NULL) {
			mt_seterr(errbuf, "%s: out of memory", name);
			return -1;
		}
		*lines = nl;
		*lcap = ncap;
	}
	(*lines)[t->nrows++] = line;
	return 0;
}

struct table *
table_parse(const char *in, size_t len, const char *name, char *errbuf)
{
	struct table *t;
	struct buf f = { NULL, 0, 0 };
	struct strv row = { NULL, 0, 0 }, cells = { NULL, 0, 0 };
	size_t *lines = NULL, lcap = 0;
	size_t i = 0, line = 1, recline = 1;
	enum { FIELD_START, UNQUOTED, QUOTED, QUOTE_END } st = FIELD_START;
	int in_record = 0;

	if ((t = calloc(1, sizeof(*t))) == NULL) {
		mt_seterr(errbuf, "%s: out of memory", name);
		return NULL;
	}
	if (len >= 3 && memcmp(in, "\xef\xbb\xbf", 3) == 0)
		i = 3;			/* UTF-8 byte order mark */

	for (;; i++) {
		int eof = i >= len;
		char c = eof ? '\n' : in[i];
		int eol = 0;

		if (!eof && c == '\0') {
			mt_seterr(errbuf, "%s:%zu: NUL byte (not a text file?)",
			    name, line);
			goto fail;
		}
		if (eof && !in_record && st == FIELD_START)
			break;
		if (!in_record) {
			in_record = 1;
			recline = line;
		}
		switch (st) {
		case QUOTED:
			if (eof) {
				mt_seterr(errbuf, "%s:%zu: quoted field never "
				    "closed", name, recline);
				goto fail;
			}
			if (c == '"') {
				st = QUOTE_END;
				continue;
			}
			if (c == '\n')
				line++;
			if (buf_put(&f, c) == -1)
				goto oom;
			continue;
		case QUOTE_END:
			if (c == '"') {		/* "" inside quotes */
				if (buf_put(&f, '"') == -1)
					goto oom;
				st = QUOTED;
				continue;
			}
			if (c != ',' && c != '\n' && c != '\r') {
				mt_seterr(errbuf, "%s:%zu: text after a closing "
				    "quote", name, line);
				goto fail;
			}
			break;
		case FIELD_START:
			if (c == '"') {
				st = QUOTED;
				if (buf_put(&f, '\0') == -1)	/* "" is a field */
					goto oom;
				f.len = 0;
				continue;
			}
			/* FALLTHROUGH */
		case UNQUOTED:
			if (c == '"') {
				mt_seterr(errbuf, "%s:%zu: quote inside an "
				    "unquoted field", name, line);
				goto fail;
			}
			if (c != ',' && c != '\n' && c != '\r') {
				st = UNQUOTED;
				if (buf_put(&f, c) == -1)
					goto oom;
				continue;
			}
			break;
		}
		/* c ends the field: ',', '\n' or '\r' (CR LF or a lone CR). */
		if (c == '\r') {
			if (i + 1 < len && in[i + 1] == '\n')
				i++;
			c = '\n';
		}
		if (c == '\n')
			eol = 1;
		if (strv_push(&row, f.p ? f.p : strdup("")) == -1)
			goto oom;
		if (row.v[row.len - 1] == NULL)
			goto oom;
		f.p = NULL;
		f.len = f.cap = 0;
		st = FIELD_START;
		if (eol) {
			if (end_record(t, &row, &cells, &lines, &lcap, recline,
			    name, errbuf) == -1)
				goto fail;
			in_record = 0;
			line++;
		}
		if (eof)
			break;
	}
	if (t->names == NULL) {
		mt_seterr(errbuf, "%s: empty (no header row)", name);
		goto fail;
	}
	t->cells = cells.v;
	t->lines = lines;
	free(row.v);
	return t;

oom:
	mt_seterr(errbuf, "%s: out of memory", name);
fail:
	free(f.p);
	strv_clear(&row);
	free(row.v);
	strv_clear(&cells);
	free(cells.v);
	free(lines);
	t->nrows = 0;
	table_free(t);
	return NULL;
}

struct table *
table_read(const char *path, char *errbuf)
{
	FILE *fp;
	struct stat sb;
	char *data;
	size_t n;
	struct table *t;

	if ((fp = fopen(path, "rb")) == NULL) {
		mt_seterr(errbuf, "%s: %s", path, strerror(errno));
		return NULL;
	}
	if (fstat(fileno(fp), &sb) == -1 || !S_ISREG(sb.st_mode)) {
		mt_seterr(errbuf, "%s: not a regular file", path);
		fclose(fp);
		return NULL;
	}
	if ((unsigned long long)sb.st_size > TABLE_MAX_BYTES) {
		mt_seterr(errbuf, "%s: too large for a table (%lld bytes, "
		    "limit %u)", path, (long long)sb.st_size, TABLE_MAX_BYTES);
		fclose(fp);
		return NULL;
	}
	if ((data = malloc((size_t)sb.st_size + 1)) == NULL) {
		mt_seterr(errbuf, "%s: out of memory", path);
		fclose(fp);
		return NULL;
	}
	n = fread(data, 1, (size_t)sb.st_size, fp);
	if (ferror(fp)) {
		mt_seterr(errbuf, "%s: read error", path);
		free(data);
		fclose(fp);
		return NULL;
	}
	fclose(fp);
	t = table_parse(data, n, path, errbuf);
	free(data);
	return t;
}

int
table_col(const struct table *t, const char *name)
{
	for (size_t i = 0; i < t->ncols; i++)
		if (strcmp(t->names[i], name) == 0)
			return (int)i;
	return -1;
}

const char *
table_cell(const struct table *t, size_t r, size_t c)
{
	if (r >= t->nrows || c >= t->ncols)
		return "";
	return t->cells[r * t->ncols + c];
}

int
table_num(const struct table *t, size_t r, size_t c, double *out)
{
	const char *s = table_cell(t, r, c);
	char *end;
	double v;

	while (*s == ' ' || *s == '\t')
		s++;
	if (*s == '\0' || strcasecmp(s, "NA") == 0 ||
	    strcasecmp(s, "NaN") == 0 || strcmp(s, "-") == 0)
		return 1;
	errno = 0;
	v = strtod(s, &end);
	if (end == s || errno == ERANGE || !isfinite(v))
		return -1;
	while (*end == ' ' || *end == '\t')
		end++;
	if (*end != '\0')
		return -1;
	*out = v;
	return 0;
}

int
table_col_numeric(const struct table *t, size_t c)
{
	int seen = 0;
	double v;

	for (size_t r = 0; r < t->nrows; r++) {
		int rc = table_num(t, r, c, &v);

		if (rc == -1)
			return 0;
		if (rc == 0)
			seen = 1;
	}
	return seen;
}

void
table_put_field(FILE *f, const char *s)
{
	size_t n;

	if (s == NULL)
		return;
	n = strlen(s);
	/*
	 * A field starting with a UTF-8 byte order mark is quoted too: as
	 * the first field of a file it would be read back as the file's
	 * mark and lose it (found by tests/fuzz/fuzz_table's round trip).
	 */
	if (strpbrk(s, ",\"\r\n") == NULL &&
	    !(n > 0 && (s[0] == ' ' || s[n - 1] == ' ')) &&
	    !(n >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0)) {
		fputs(s, f);
		return;
	}
	putc('"', f);
	for (; *s; s++) {
		if (*s == '"')
			putc('"', f);
		putc(*s, f);
	}
	putc('"', f);
}

void
table_put_num(FILE *f, double v)
{
	char b[64];

	if (!isfinite(v))
		return;
	if (v == floor(v) && fabs(v) < 1e15) {	/* integers in full */
		fprintf(f, "%.0f", v);
		return;
	}
	/* The shortest %g precision that reads back exactly. */
	for (int prec = 6; prec <= 17; prec++) {
		snprintf(b, sizeof(b), "%.*g", prec, v);
		if (strtod(b, NULL) == v)
			break;
	}
	fputs(b, f);
}

void
table_put_fields(FILE *f, const char *const *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (i)
			putc(',', f);
		table_put_field(f, v[i]);
	}
}

void
table_put_nums(FILE *f, const double *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		putc(',', f);
		table_put_num(f, v[i]);
	}
}
