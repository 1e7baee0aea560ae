/* check_table.c: the RFC 4180 CSV reader and writer (lib/stats/table.h). */
#include "config.h"

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "stats/table.h"

static struct table *
parse(const char *s, char *errbuf)
{
	return table_parse(s, strlen(s), "t.csv", errbuf);
}

START_TEST(plain)
{
	char err[MT_ERRBUF_SIZE];
	struct table *t = parse("run,mem_mib,flavor\nr1,256,tiny\nr2,512,small\n", err);

	ck_assert_ptr_nonnull(t);
	ck_assert_uint_eq(t->ncols, 3);
	ck_assert_uint_eq(t->nrows, 2);
	ck_assert_str_eq(t->names[1], "mem_mib");
	ck_assert_str_eq(table_cell(t, 1, 2), "small");
	ck_assert_int_eq(table_col(t, "flavor"), 2);
	ck_assert_int_eq(table_col(t, "nope"), -1);
	ck_assert_uint_eq(t->lines[1], 3);
	table_free(t);
}
END_TEST

START_TEST(quoting)
{
	char err[MT_ERRBUF_SIZE];
	/* RFC 4180 2.6 and 2.7: commas, line breaks and "" inside quotes. */
	struct table *t = parse("a,b\r\n\"x, y\",\"say \"\"hi\"\"\"\r\n"
	    "\"two\nlines\",\"\"\r\nlast,row", err);

	ck_assert_msg(t != NULL, "%s", err);
	ck_assert_uint_eq(t->nrows, 3);
	ck_assert_str_eq(table_cell(t, 0, 0), "x, y");
	ck_assert_str_eq(table_cell(t, 0, 1), "say \"hi\"");
	ck_assert_str_eq(table_cell(t, 1, 0), "two\nlines");
	ck_assert_str_eq(table_cell(t, 1, 1), "");
	ck_assert_str_eq(table_cell(t, 2, 1), "row");	/* no final CRLF */
	ck_assert_uint_eq(t->lines[2], 5);
	table_free(t);
}
END_TEST

START_TEST(bom_blank_lines)
{
	char err[MT_ERRBUF_SIZE];
	struct table *t = parse("\xef\xbb\xbfrun,y\n\nr1,1\n\n", err);

	ck_assert_msg(t != NULL, "%s", err);
	ck_assert_str_eq(t->names[0], "run");
	ck_assert_uint_eq(t->nrows, 1);
	table_free(t);
}
END_TEST

static void
bad(const char *text, const char *want)
{
	char err[MT_ERRBUF_SIZE] = "";
	struct table *t = table_parse(text, strlen(text) + (text[0] == 'N'),
	    "t.csv", err);

	ck_assert_ptr_null(t);
	ck_assert_msg(strstr(err, want) != NULL, "error \"%s\" lacks \"%s\"",
	    err, want);
}

START_TEST(errors)
{
	bad("a,b\n1,2\n3\n", "t.csv:3: 1 fields, but the header has 2");
	bad("a,b\n1,2,3\n", "t.csv:2: 3 fields");
	bad("a,b\n\"1,2\n", "t.csv:2: quoted field never closed");
	bad("a,b\n\"1\"x,2\n", "t.csv:2: text after a closing quote");
	bad("a,b\n1\"x,2\n", "t.csv:2: quote inside an unquoted field");
	bad("a,a\n1,2\n", "column \"a\" appears twice");
	bad("a,,c\n1,2,3\n", "column 2 of the header has no name");
	bad("", "t.csv: empty");
	bad("\n\n", "t.csv: empty");
	bad("N,b\n", "NUL byte");	/* length includes the terminating NUL */
}
END_TEST

START_TEST(numbers)
{
	char err[MT_ERRBUF_SIZE];
	struct table *t = parse("a,b,c\n1.5, 2 ,x\n,NA,3e2\n-,1e999,7\n", err);
	double v = 0;

	ck_assert_ptr_nonnull(t);
	ck_assert_int_eq(table_num(t, 0, 0, &v), 0);
	ck_assert_double_eq(v, 1.5);
	ck_assert_int_eq(table_num(t, 0, 1, &v), 0);
	ck_assert_double_eq(v, 2);
	ck_assert_int_eq(table_num(t, 0, 2, &v), -1);
	ck_assert_int_eq(table_num(t, 1, 0, &v), 1);
	ck_assert_int_eq(table_num(t, 1, 1, &v), 1);
	ck_assert_int_eq(table_num(t, 2, 0, &v), 1);
	ck_assert_int_eq(table_num(t, 2, 1, &v), -1);	/* overflow */
	ck_assert_int_eq(table_col_numeric(t, 0), 1);
	ck_assert_int_eq(table_col_numeric(t, 1), 0);
	ck_assert_int_eq(table_col_numeric(t, 2), 0);
	table_free(t);
}
END_TEST

START_TEST(write_roundtrip)
{
	char err[MT_ERRBUF_SIZE], *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	const char *fields[] = { "plain", "a,b", "say \"x\"", "two\nlines",
	    " pad", "" };
	struct table *t;

	ck_assert_ptr_nonnull(f);
	for (size_t i = 0; i < 6; i++) {
		fprintf(f, "c%zu%s", i, i < 5 ? "," : "\n");
	}
	const double nums[] = { 1.0 / 3.0, NAN };

	table_put_fields(f, fields, 6);
	fputc('\n', f);
	table_put_num(f, 0.1);
	table_put_nums(f, nums, 2);
	fputs(",,,\n", f);
	fclose(f);
	ck_assert(strstr(buf, "\"a,b\",\"say \"\"x\"\"\"") != NULL);
	t = table_parse(buf, len, "mem", err);
	ck_assert_msg(t != NULL, "%s", err);
	for (size_t i = 0; i < 6; i++)
		ck_assert_str_eq(table_cell(t, 0, i), fields[i]);
	ck_assert_str_eq(table_cell(t, 1, 0), "0.1");
	ck_assert_double_eq(strtod(table_cell(t, 1, 1), NULL), 1.0 / 3.0);
	ck_assert_str_eq(table_cell(t, 1, 2), "");
	table_free(t);
	free(buf);
}
END_TEST

/*
 * A name or cell that itself begins with a byte order mark, written as
 * the first field of a file, must come back whole, not be taken for the
 * file's mark (found by tests/fuzz/fuzz_table's round trip).
 */
START_TEST(write_leading_bom)
{
	char err[MT_ERRBUF_SIZE], *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct table *t;

	ck_assert_ptr_nonnull(f);
	table_put_field(f, "\xef\xbb\xbfrun");
	fputs(",b\n1,2\n", f);
	fclose(f);
	t = table_parse(buf, len, "mem", err);
	ck_assert_msg(t != NULL, "%s", err);
	ck_assert_str_eq(t->names[0], "\xef\xbb\xbfrun");
	table_free(t);
	free(buf);
}
END_TEST

START_TEST(read_file)
{
	char err[MT_ERRBUF_SIZE], path[] = "/tmp/check_table_XXXXXX";
	int fd = mkstemp(path);
	struct table *t;

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, "x,y\n1,2\n", 8), 8);
	close(fd);
	t = table_read(path, err);
	ck_assert_msg(t != NULL, "%s", err);
	ck_assert_uint_eq(t->nrows, 1);
	table_free(t);
	unlink(path);
	ck_assert_ptr_null(table_read(path, err));
	ck_assert(strstr(err, path) != NULL);
	ck_assert(strstr(err, "No such file") != NULL);
	ck_assert_ptr_null(table_read("/tmp", err));
	ck_assert_str_eq(err, "/tmp: not a regular file");
	table_free(NULL);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("table");
	TCase *tc = tcase_create("csv");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, plain);
	tcase_add_test(tc, quoting);
	tcase_add_test(tc, bom_blank_lines);
	tcase_add_test(tc, errors);
	tcase_add_test(tc, numbers);
	tcase_add_test(tc, write_roundtrip);
	tcase_add_test(tc, write_leading_bom);
	tcase_add_test(tc, read_file);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
