/* pkt.c: placeholder being written */
#include "config.h"
#include <string.h>
#include "pkt.h"
int pkt_dlt_supported(int dlt) { (void)dlt; return 0; }
const char *pkt_dlt_name(int dlt) { (void)dlt; return "?"; }
int pkt_decode(int dlt, const uint8_t *data, uint32_t caplen, struct pkt *out) { (void)dlt; (void)data; (void)caplen; (void)out; return PKT_INVALID; }
