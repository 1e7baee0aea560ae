/*
 * source_again.c: read a file of a set again (source.h: srcset_marks,
 * srcset_replay), for dedup.c, which thereby keeps nothing of a frame
 * that no other capture point shares yet.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "input/source_int.h"

void
srcset_marks(struct srcset *s, mt_ns span)
{
	for (int i = 0; i < s->n; i++)
		if (srcset_can_replay(s, i))	/* no marks for the rest */
			s->f[i]->mspan = span > 0 ? span : 1;
}

int
srcset_can_replay(struct srcset *s, int i)
{
	struct srcfile *f = s->f[i];
	uint8_t m[4];
	struct stat sb;
	FILE *fp;

	if (f->replay >= 0)
		return f->replay;
	f->replay = 0;
	if (!f->reopen || f->st.once || stat(f->path, &sb) < 0 ||
	    !S_ISREG(sb.st_mode) || (fp = fopen(f->path, "rb")) == NULL)
		return 0;
	/* pcap's magic, micro- or nanosecond, either byte order. */
	if (fread(m, 1, 4, fp) == 4 &&
	    ((m[0] == 0xa1 && m[1] == 0xb2 && (m[2] == 0xc3 || m[2] == 0x3c) &&
	    (m[3] == 0xd4 || m[3] == 0x4d)) ||
	    ((m[0] == 0xd4 || m[0] == 0x4d) && (m[1] == 0xc3 || m[1] == 0x3c) &&
	    m[2] == 0xb2 && m[3] == 0xa1)))
		f->replay = 1;
	fclose(fp);
	return f->replay;
}

int
srcset_replay(struct srcset *s, int i, mt_ns since, srcset_visit_fn visit,
    void *ctx, char *errbuf)
{
	struct srcfile *f = s->f[i];
	char pcerr[PCAP_ERRBUF_SIZE];
	const struct srcmark *m;
	struct pcap_pkthdr *h;
	const u_char *data;
	struct pkt p;
	pcap_t *pc;
	FILE *fp;
	int r = 0;

	if (!srcset_can_replay(s, i) || f->mspan == 0 || f->nmarks == 0 ||
	    f->marks_lost) {
		snprintf(errbuf, MT_ERRBUF_SIZE, "%s: cannot be read again%s",
		    f->path, f->marks_lost ? " (out of memory)" : "");
		return -1;
	}
	m = &f->marks[0];
	for (size_t k = 1; k < f->nmarks && f->marks[k].ts <= since; k++)
		m = &f->marks[k];
	if ((fp = fopen(f->path, "rb")) == NULL) {
		snprintf(errbuf, MT_ERRBUF_SIZE, "%s: cannot be opened again "
		    "(%s)", f->path, strerror(errno));
		return -1;
	}
	pcerr[0] = '\0';
	if ((pc = pcap_fopen_offline_with_tstamp_precision(fp,
	    PCAP_TSTAMP_PRECISION_NANO, pcerr)) == NULL) {
		fclose(fp);
		snprintf(errbuf, MT_ERRBUF_SIZE, "%s: changed while being "
		    "read (%s)", f->path, pcerr);
		return -1;
	}
	if (fseeko(fp, (off_t)m->pos, SEEK_SET) != 0) {
		snprintf(errbuf, MT_ERRBUF_SIZE, "%s: cannot be read again "
		    "(%s)", f->path, strerror(errno));
		pcap_close(pc);
		return -1;
	}
	for (uint64_t n = m->index; n < f->st.packets; n++) {
		if (pcap_next_ex(pc, &h, &data) != 1) {
			snprintf(errbuf, MT_ERRBUF_SIZE, "%s: changed while "
			    "being read (record %" PRIu64 " is gone)", f->path,
			    n + 1);
			r = -1;
			break;
		}
		memset(&p, 0, sizeof(p));
		p.ts = (mt_ns)h->ts.tv_sec * MT_NS_PER_S + h->ts.tv_usec;
		if (f->reclocked && reclock(f, &p.ts) < 0)
			continue;	/* as the first reading: never */
		p.wire_len = h->len;
		p.src = f->src;
		(void)pkt_decode(f->dlt, data, h->caplen, &p);
		visit(ctx, &p);
	}
	pcap_close(pc);		/* and fp */
	return r;
}
