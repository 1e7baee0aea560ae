/*
 * vmfind.h: find the migrated VM in a capture when the user did not name
 * it: the host that answers echo requests and whose MAC is announced by
 * RARP (docs/wire-formats.md), and learn the address the user did not
 * give (IP from MAC, MAC from IP).
 */
#ifndef MT_VMFIND_H
#define MT_VMFIND_H

#include "base/mt.h"
#include "input/pkt.h"

struct vm_choice {
	struct mt_addr ip;	/* family 0 if unknown */
	struct mt_mac mac;
	int have_mac;
	char reason[256];	/* why this one, for the report */
};

struct vmfind;

struct vmfind *vmfind_new(void);	/* NULL when out of memory */
void vmfind_free(struct vmfind *v);

/* Feed a packet. 0, or -1 when out of memory. */
int vmfind_add(struct vmfind *v, const struct pkt *p);

/*
 * Pick the VM. 'given' holds what the user gave (ip family 0 and have_mac
 * 0 when nothing): the missing address is filled in from what was seen.
 * Return 0 with *out set, or -1 when no VM can be told (out->reason says
 * why).
 */
int vmfind_pick(struct vmfind *v, const struct vm_choice *given,
    struct vm_choice *out);

/*
 * The hosts seen answering echo requests, most replies first, at most
 * 5, as "192.0.2.10 (120 replies), 192.0.2.1 (3 replies)" into buf (len
 * bytes; "none" when there were none). Returns buf. For the message
 * when the VM given with --vm is not in the captures.
 */
char *vmfind_answering(struct vmfind *v, char *buf, size_t len);

#endif /* MT_VMFIND_H */
