/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The hivex layer: what the reader (hive.c) and the writer's engine
 * (write_hive.c) both ask hivex, in one place.  Both work on the sealed
 * in-memory copy, never on the evidence file. */
#ifndef MOUNTDB_HIVE_H
#define MOUNTDB_HIVE_H

#include <hivex.h>
#include "evidence.h"

/* hivex_open of the copy (HIVEX_OPEN_* flags); NULL with errno set. */
MD_HIDDEN hive_h *md_hive_open (const md_image *img, int hflags);
/* hivex_close, when h is not NULL (its commit already wrote or failed). */
MD_HIDDEN void md_hive_close (hive_h *h);
/* ControlSetNNN under root; 0 when n is not 1-999 or there is none
 * (errno nonzero when hivex failed rather than found nothing). */
MD_HIDDEN hive_node_h md_hive_control_set (hive_h *h, hive_node_h root,
                                           uint32_t n);
/* The exact name units of value v of the copy (H8), from its vk cell, and
 * its data length (the big-data bit cleared): -1 when the name cannot be
 * read exactly (past its cell, half a UTF-16 unit, no cell). */
MD_HIDDEN int md_hive_value_name (const md_image *img, hive_value_h v,
                                  uint16_t **out, size_t *n,
                                  uint32_t *data_len);

/* The exact name of the vk cell at offset v of the image map (size bytes):
 * 0, or MD_NAME_PAST_CELL / MD_NAME_ODD when the stored name runs past
 * its cell / is UTF-16 of odd length (*out then holds what can be read:
 * such a name cannot be written back as it is), or -1. */
enum { MD_NAME_PAST_CELL = 1, MD_NAME_ODD = 2 };
MD_HIDDEN int md_hive_vk_name (const uint8_t *map, uint64_t size,
                                uint64_t v, uint16_t **out, size_t *n,
                                int *latin1, uint32_t *data_len);

#endif
