/*
 * clock.h: put captures stamped by several hosts on one clock. Which
 * host stamped which file comes from the user (--host, --clock-ref,
 * --clock-offset); the offsets between the hosts' clocks are measured
 * from the frames two capture points share, as NTP does with its four
 * timestamps (RFC 5905 8): a frame crossing from host a to host b and
 * one crossing back give the offset as half the difference of the two
 * smallest one-way times, give or take half the smallest round trip
 * (docs/clocks.md). The hosts are joined into a tree rooted at the
 * reference, each reached through the link with the least uncertainty.
 *
 * Ownership: clk_spec_* fill a caller's struct clk_spec, freed with
 * clk_spec_free(); clk_plan() and clk_estimate() fill caller's arrays.
 */
#ifndef MT_CLOCK_H
#define MT_CLOCK_H

#include "base/mt.h"

#define CLK_MAX_HOSTS	16

/* What the user said about clocks, as given on the command line. */
struct clk_spec {
	int nhosts;
	struct clk_host {
		char *name;
		char **files;
		int nfiles;
	} host[CLK_MAX_HOSTS];
	char *ref;			/* --clock-ref NAME, or NULL */
	int ngiven;
	struct clk_given {
		char *file;
		mt_ns offset;
	} *given;			/* --clock-offset FILE=DURATION */
};

/*
 * Add "--host NAME=FILE[,FILE...]", "--clock-offset FILE=DURATION" (a
 * signed duration: -41.7ms) and "--clock-ref NAME" to c (zeroed before
 * the first call). Return 0, or -1 with errbuf naming the problem: a
 * host given twice, a file in two hosts or given twice, an empty name,
 * a bad duration, more than CLK_MAX_HOSTS hosts.
 */
int clk_spec_host(struct clk_spec *c, const char *arg, char *errbuf);
int clk_spec_offset(struct clk_spec *c, const char *arg, char *errbuf);
int clk_spec_ref(struct clk_spec *c, const char *name, char *errbuf);
/* 1 if c says anything (a host, a reference or an offset). */
int clk_spec_used(const struct clk_spec *c);
void clk_spec_free(struct clk_spec *c);

/*
 * The captures to analyse: files[0..nfiles-1], then each --host file
 * that names none of them (clk_plan's rule). Return a new array of
 * pointers into files and c (free() it; *nout set), or NULL when out of
 * memory.
 */
char **clk_spec_files(const struct clk_spec *c, char *const *files,
    int nfiles, int *nout);

/* How a file's offset is known. */
enum clk_how {
	CLK_REFERENCE,		/* stamped by the reference host: 0 */
	CLK_ESTIMATED,		/* measured from shared frames */
	CLK_GIVEN,		/* --clock-offset */
	CLK_UNKNOWN,		/* shares no frame with a host on the tree */
};

/* The hosts of one analysis and which stamped each file. */
struct clk_plan {
	int nhosts;
	const char *name[CLK_MAX_HOSTS + 1];	/* point into the spec */
	int ref;			/* the reference host */
	int *host_of;			/* per file */
	mt_ns *given;			/* per file; MT_NS_NONE: not given */
};

/*
 * Say which host stamped each of files[0..nfiles-1]. A file of the spec
 * names an input by its path or by the path's last component(s) ("a.pcap"
 * names "run1/a.pcap"). Files no host names belong to the reference host:
 * the one --clock-ref names (a new host when it names none of --host's),
 * else one called "reference", else (every file named) the first host.
 * Return 0 (p filled; free with clk_plan_free), or -1 with errbuf set: a
 * spec file that names no input or several, a reference host with no file.
 */
int clk_plan(const struct clk_spec *c, char *const *files, int nfiles,
    struct clk_plan *p, char *errbuf);
void clk_plan_free(struct clk_plan *p);

/* Each file's clock: its timestamp ts on the reference clock is
 * ts + offset + drift * (ts - t0). */
struct clk_result {
	enum clk_how how;
	mt_ns offset;
	double drift;			/* ns per ns; 0 unless measured */
	mt_ns t0;
	mt_ns uncertainty;		/* MT_NS_NONE: not measured */
	uint64_t pairs;			/* frames matched on the link to via */
	int via;			/* host it was reached through, -1 */
};

/*
 * Read files (paths; one read each, apart from the analysis) to match
 * the frames they share, estimate every host's offset to the reference
 * and fill out[0..nfiles-1]. A file given by hand is not read. Return 0,
 * or -1 with errbuf set (a file that cannot be read, standard input,
 * out of memory). Hosts that share nothing with the tree are
 * CLK_UNKNOWN (offset 0), not an error.
 */
int clk_estimate(const struct clk_plan *p, char *const *files, int nfiles,
    struct clk_result *out, char *errbuf);

#endif /* MT_CLOCK_H */
