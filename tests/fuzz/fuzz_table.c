/*
 * fuzz_table.c: libFuzzer target for the CSV reader behind `--experiment
 * TABLE.csv` (lib/stats/table.c, RFC 4180). Beyond "no crash", a round trip:
 * every table read is written back with table_put_field() and read
 * again, and must come back cell for cell (abort() otherwise, which
 * libFuzzer reports as a crash); in a one-column table, empty cells are
 * blank lines, which the reader skips.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stats/table.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
put_row(FILE *f, char *const *cells, size_t n)
{
	for (size_t c = 0; c < n; c++) {
		if (c > 0)
			fputc(',', f);
		table_put_field(f, cells[c]);
	}
	fputs("\r\n", f);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char errbuf[MT_ERRBUF_SIZE];
	struct table *t, *u;
	char *buf = NULL;
	size_t len = 0;
	double v;
	FILE *f;

	t = table_parse((const char *)data, size, "fuzz.csv", errbuf);
	if (t == NULL)
		return 0;
	for (size_t c = 0; c < t->ncols; c++) {
		(void)table_col_numeric(t, c);
		(void)table_col(t, t->names[c]);
		for (size_t r = 0; r < t->nrows; r++)
			(void)table_num(t, r, c, &v);
	}
	if ((f = open_memstream(&buf, &len)) == NULL)
		abort();
	put_row(f, t->names, t->ncols);
	for (size_t r = 0; r < t->nrows; r++)
		put_row(f, t->cells + r * t->ncols, t->ncols);
	fclose(f);
	u = table_parse(buf, len, "again.csv", errbuf);
	if (u == NULL) {
		fprintf(stderr, "round trip: written table unreadable: %s\n",
		    errbuf);
		abort();
	}
	if (u->ncols != t->ncols)
		abort();
	for (size_t c = 0; c < t->ncols; c++)
		if (strcmp(u->names[c], t->names[c]) != 0)
			abort();
	if (t->ncols > 1) {
		if (u->nrows != t->nrows)
			abort();
		for (size_t i = 0; i < t->nrows * t->ncols; i++)
			if (strcmp(u->cells[i], t->cells[i]) != 0)
				abort();
	} else {
		/* One column: an empty cell is a blank line, which the
		 * reader skips; the other rows come back in order. */
		size_t j = 0;
		for (size_t r = 0; r < t->nrows; r++) {
			if (t->cells[r][0] == '\0')
				continue;
			if (j >= u->nrows || strcmp(u->cells[j++], t->cells[r]) != 0)
				abort();
		}
		if (j != u->nrows)
			abort();
	}
	table_free(u);
	free(buf);
	table_free(t);
	return 0;
}
