/*
 * guest.c: leave out the runs whose guest did not survive the migration
 * cleanly (see guest.h).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "runs/guest.h"

/* Columns the lab's table records about a run that are not factors. */
static const char *const record_cols[] = { "guest_ok", "guest_reason",
	"qemu", "libvirt", "converged", "load1", "switchover_pending_b",
	"expected_downtime_ms" };

int
guest_is_record_col(const char *col)
{
	for (size_t i = 0; i < sizeof(record_cols) / sizeof(record_cols[0]);
	    i++)
		if (strcmp(col, record_cols[i]) == 0)
			return 1;
	return 0;
}

/* Whether a guest_ok cell says clean. */
static int
cell_clean(const char *s)
{
	return strcmp(s, "1") == 0 || strcmp(s, "true") == 0;
}

/*
 * The guest check of rundir/run/run.json: 1 clean (or no run.json), 0 not,
 * with the reason in why (at most len bytes).
 */
static int
rundir_clean(const char *rundir, const char *run, char *why, size_t len)
{
	char path[4096];
	json_t *doc, *gc, *st;
	int clean = 1;

	why[0] = '\0';
	if (snprintf(path, sizeof(path), "%s/%s/run.json", rundir, run) >=
	    (int)sizeof(path))
		return 1;
	if ((doc = json_load_file(path, 0, NULL)) == NULL)
		return 1;
	gc = json_object_get(doc, "guest_check");
	if (json_is_object(gc)) {
		clean = json_is_true(json_object_get(gc, "ok"));
		if (!clean) {
			const char *r = json_string_value(json_object_get(gc,
			    "reason"));

			snprintf(why, len, "%s", r ? r : "guest check failed");
		}
	} else if (json_is_string(st = json_object_get(doc, "status")) &&
	    strcmp(json_string_value(st), "ok") != 0) {
		const char *r = json_string_value(json_object_get(doc,
		    "reason"));

		clean = 0;
		snprintf(why, len, "status %s%s%s", json_string_value(st),
		    r ? ": " : "", r ? r : "");
	}
	json_decref(doc);
	return clean;
}

/* Append "run (why)" to *acc, separated by "; ". -1 on ENOMEM. */
static int
add_why(char **acc, const char *run, const char *why)
{
	char *s;
	int n;

	if (*acc)
		n = asprintf(&s, "%s; %s (%s)", *acc, run, why);
	else
		n = asprintf(&s, "%s (%s)", run, why);
	if (n == -1)
		return -1;
	free(*acc);
	*acc = s;
	return 0;
}

int
guest_leave_out(struct table *t, const char *rundir, size_t *left_out,
    char **why)
{
	int okcol = table_col(t, "guest_ok");
	int rcol = table_col(t, "guest_reason");
	int runcol = table_col(t, "run");
	size_t keep = 0;
	char buf[512];

	*left_out = 0;
	*why = NULL;
	if (okcol == -1 && (rundir == NULL || runcol == -1))
		return 0;
	for (size_t r = 0; r < t->nrows; r++) {
		char **row = &t->cells[r * t->ncols];
		const char *run = runcol >= 0 ? row[runcol] : "";
		int clean;
		char rowname[32];

		if (okcol >= 0) {
			clean = cell_clean(row[okcol]);
			snprintf(buf, sizeof(buf), "%s", rcol >= 0 &&
			    row[rcol][0] ? row[rcol] : "guest_ok is not 1");
		} else
			clean = rundir_clean(rundir, run, buf, sizeof(buf));
		if (clean) {
			if (keep != r) {
				memmove(&t->cells[keep * t->ncols], row,
				    t->ncols * sizeof(*row));
				t->lines[keep] = t->lines[r];
			}
			keep++;
			continue;
		}
		if (!run[0]) {
			snprintf(rowname, sizeof(rowname), "line %zu",
			    t->lines[r]);
			run = rowname;
		}
		if (add_why(why, run, buf) == -1) {
			free(*why);
			*why = NULL;
			return -1;
		}
		for (size_t c = 0; c < t->ncols; c++)
			free(row[c]);
		(*left_out)++;
	}
	t->nrows = keep;
	return 0;
}
