/*
 * table.h: read and write CSV tables (RFC 4180) with a header row.
 *
 * Why our own reader: Debian's libcsv-dev (3.0.3, upstream unchanged
 * since 2013) ships no pkg-config file, and a table of runs needs only
 * RFC 4180: comma separators, CRLF or LF line ends, fields in double
 * quotes holding commas, quotes ("") and line breaks. The reader is
 * strict where ambiguity would corrupt data: a row with the wrong number
 * of fields, an unterminated quote, text after a closing quote, a NUL
 * byte, an empty or repeated column name are errors naming the file and
 * line. A UTF-8 byte order mark and a missing final line end are
 * accepted; blank lines are skipped.
 *
 * Ownership: table_read()/table_parse() return a table the caller frees
 * with table_free() (NULL is fine); cell strings belong to the table.
 */
#ifndef MT_TABLE_H
#define MT_TABLE_H

#include <stddef.h>
#include <stdio.h>

#include "base/mt.h"

#define TABLE_MAX_BYTES (64u * 1024 * 1024)	/* refuse larger files */

struct table {
	size_t ncols;
	size_t nrows;		/* data rows, header excluded */
	char **names;		/* ncols column names */
	char **cells;		/* nrows * ncols, row-major; "" when empty */
	size_t *lines;		/* nrows: line number where each row began */
};

/*
 * Read the CSV file at path. Return the table, or NULL with errbuf set
 * to "PATH: problem" (or "PATH:LINE: problem").
 */
struct table *table_read(const char *path, char *errbuf);

/* Parse len bytes of CSV text; name is used in error messages. */
struct table *table_parse(const char *buf, size_t len, const char *name,
    char *errbuf);

void table_free(struct table *t);

/* Column index of name (exact match), or -1. */
int table_col(const struct table *t, const char *name);

/* Cell text of row r, column c (never NULL). */
const char *table_cell(const struct table *t, size_t r, size_t c);

/*
 * Parse the cell as a number (strtod, whole cell, surrounding spaces
 * allowed, finite). Return 0 and set *out, 1 if the cell is empty (or
 * NA / NaN / -), -1 if it is text.
 */
int table_num(const struct table *t, size_t r, size_t c, double *out);

/*
 * 1 if every non-empty cell of column c is a number and at least one
 * is; 0 otherwise.
 */
int table_col_numeric(const struct table *t, size_t c);

/*
 * Write one field to f, quoted when it holds a comma, quote, CR, LF or
 * leading/trailing space (RFC 4180 section 2). NULL writes nothing.
 */
void table_put_field(FILE *f, const char *s);

/*
 * Write a double the way our CSV outputs do: "%.17g" trimmed to the
 * shortest text that reads back to the same value; nothing for NaN.
 */
void table_put_num(FILE *f, double v);

/* Write n fields (table_put_field) separated by commas. */
void table_put_fields(FILE *f, const char *const *v, size_t n);

/* Write n numbers (table_put_num), each after a comma: the rest of a row
 * whose first fields are written. */
void table_put_nums(FILE *f, const double *v, size_t n);

#endif /* MT_TABLE_H */
