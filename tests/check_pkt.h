/*
 * check_pkt.h: what the parts of the frame decoder's Check suite share:
 * link type numbers, addresses, the frame builders and the sample
 * frames (check_pkt_frames.c).
 */
#ifndef CHECK_PKT_H
#define CHECK_PKT_H

#include <stddef.h>
#include <stdint.h>

#include <check.h>

#include "input/pkt.h"
#include "testutil.h"

/* Link types by number, as pcap_datalink() gives them on Linux. */
#define DLT_NULL_	0
#define DLT_EN10MB_	1
#define DLT_RAW_	12
#define DLT_RAW14_	14
#define LINKTYPE_RAW_	101
#define DLT_LOOP_	108
#define DLT_SLL_	113
#define DLT_IPV4_	228
#define DLT_IPV6_	229
#define DLT_SLL2_	276

extern const uint8_t MAC_A[6];
extern const uint8_t MAC_B[6];
extern const uint8_t BCAST[6];
extern const uint8_t IP_A[4];
extern const uint8_t IP_B[4];
extern const uint8_t IP6_A[16];
extern const uint8_t IP6_B[16];

#define ck_mac(m, want)	ck_assert_mem_eq((m).a, (want), 6)

void pfill(struct fb *f, unsigned v, size_t n);
void reset(struct fb *f);
void eth(struct fb *f, unsigned type);
void vlan(struct fb *f, unsigned vid, unsigned type);
void sll(struct fb *f, unsigned hatype, unsigned halen, unsigned proto);
void sll2(struct fb *f, unsigned hatype, unsigned halen, unsigned proto);
void ip4(struct fb *f, unsigned proto, unsigned l4len, unsigned frag,
    unsigned optwords);
void ip6(struct fb *f, unsigned nh, unsigned plen);
void ip6ext(struct fb *f, unsigned nh, unsigned len8);
void ip6frag(struct fb *f, unsigned nh, unsigned offset8, int more);
void tcp(struct fb *f, unsigned flags, unsigned optwords);
void udp(struct fb *f, unsigned len);
void icmp(struct fb *f, unsigned type, unsigned code, unsigned id, unsigned seq);
void arp(struct fb *f, unsigned htype, unsigned hlen, unsigned op,
    const uint8_t *sha, const uint8_t *spa, const uint8_t *tha,
    const uint8_t *tpa);
int dec(int dlt, const struct fb *f, struct pkt *p);
void ck_ipv4_ab(const struct pkt *p);
void ck_ipv6_ab(const struct pkt *p);
int fr_eth_tcp(struct fb *f);
int fr_eth_udp6(struct fb *f);
int fr_sll_echo(struct fb *f);
int fr_sll2_echo6(struct fb *f);
int fr_raw4(struct fb *f);
int fr_raw6(struct fb *f);
int fr_null_le(struct fb *f);
int fr_loop6(struct fb *f);
int fr_qinq(struct fb *f);
int fr_rarp(struct fb *f);
int fr_vlan_arp(struct fb *f);
int fr_ip6_ext(struct fb *f);
int fr_ip4_opts(struct fb *f);
int fr_padded_echo(struct fb *f);

/* Sample frames, shared by the field tests and the prefix/fuzz loop. */
typedef int (*frame_fn)(struct fb *);
struct frame_def {
	const char *name;
	frame_fn fn;
};
extern const struct frame_def frames[];
extern const size_t nframes;
#define NFRAMES nframes

/* The test cases of check_pkt_ip.c. */
void	pkt_tcase_ip(TCase *);
void	pkt_tcase_l4(TCase *);
void	pkt_tcase_no_overread(TCase *);

#endif /* CHECK_PKT_H */
