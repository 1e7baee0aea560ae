/*
 * report_overlay.h: the report's tunnel keys and lines (report_overlay.c).
 */
#ifndef MT_REPORT_OVERLAY_H
#define MT_REPORT_OVERLAY_H

#include <jansson.h>
#include <stdio.h>

#include "base/mt.h"

struct analysis;

/* Add encapsulation, vni, endpoints and moves to the "vm" object vm
 * when the VM's frames came through a tunnel; nothing otherwise. */
void overlay_vm_json(const struct analysis *a, json_t *vm);

/* The same as text lines under the report's "VM" heading, from the "vm"
 * object of the document alone; times relative to first (the capture's
 * first_ns). Nothing when vm has no encapsulation. */
void overlay_write_text(const json_t *vm, mt_ns first, FILE *f);

#endif /* MT_REPORT_OVERLAY_H */
