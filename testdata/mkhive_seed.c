/* SPDX-License-Identifier: GPL-2.0-or-later */
/* mkhive: the minimal hive mkhive writes itself (hivex cannot create one). */
#include "mkhive.h"

/* ----------------------------------------------------------- seed hive */

uint32_t
xor_sum (const uint8_t *b)
{
  uint32_t s = 0;
  for (int i = 0; i < 127; i++)
    s ^= rd32 (b + 4 * i);
  return s;
}

uint32_t
windows_sum (const uint8_t *b)
{
  uint32_t s = xor_sum (b);
  if (s == 0) return 1;
  if (s == 0xFFFFFFFFu) return 0xFFFFFFFEu;
  return s;
}

static size_t
put_sid (uint8_t *p, uint8_t auth, const uint32_t *sub, int nsub)
{
  p[0] = 1;
  p[1] = (uint8_t) nsub;
  memset (p + 2, 0, 5);
  p[7] = auth;
  for (int i = 0; i < nsub; i++)
    wr32 (p + 8 + 4 * i, sub[i]);
  return 8 + 4 * (size_t) nsub;
}

/* Self-relative security descriptor: owner Administrators, group SYSTEM,
 * DACL: Everyone read, SYSTEM and Administrators full control. */
static size_t
make_sd (uint8_t *sd)
{
  static const uint32_t s_everyone[] = { 0 }, s_system[] = { 18 }, s_admins[] = { 32, 544 };
  size_t o = 20;
  memset (sd, 0, 128);
  sd[0] = 1;
  wr16 (sd + 2, 0x8004);                 /* SE_SELF_RELATIVE | SE_DACL_PRESENT */
  wr32 (sd + 16, 20);                    /* DACL */
  size_t acl = o;
  sd[acl] = 2;                           /* ACL_REVISION */
  o += 8;
  struct { uint32_t mask; uint8_t auth; const uint32_t *sub; int n; } ace[3] = {
    { 0x00020019, 1, s_everyone, 1 },    /* KEY_READ */
    { 0x000F003F, 5, s_system, 1 },      /* KEY_ALL_ACCESS */
    { 0x000F003F, 5, s_admins, 2 },
  };
  for (int i = 0; i < 3; i++) {
    size_t a = o;
    sd[a] = 0;                           /* ACCESS_ALLOWED_ACE_TYPE */
    sd[a + 1] = 2;                       /* CONTAINER_INHERIT_ACE */
    wr32 (sd + a + 4, ace[i].mask);
    size_t sl = put_sid (sd + a + 8, ace[i].auth, ace[i].sub, ace[i].n);
    wr16 (sd + a + 2, (uint16_t) (8 + sl));
    o += 8 + sl;
  }
  wr16 (sd + acl + 2, (uint16_t) (o - acl));
  wr16 (sd + acl + 4, 3);
  wr32 (sd + 4, (uint32_t) o);           /* owner */
  o += put_sid (sd + o, 5, s_admins, 2);
  wr32 (sd + 8, (uint32_t) o);           /* group */
  o += put_sid (sd + o, 5, s_system, 1);
  return o;                              /* 120 */
}

/* Base block + one 4 KiB hbin: root nk, sk, one free cell. */
void
make_seed (const struct desc *d, uint8_t *b)
{
  memset (b, 0, 2 * HBIN_SIZE);
  int latin = auto_enc (&d->root_name) == ENC_LATIN1;
  size_t nlen = latin ? d->root_name.n : 2 * d->root_name.n;

  uint8_t *h = b + 4096;
  memcpy (h, "hbin", 4);
  wr32 (h + 4, 0);
  wr32 (h + 8, HBIN_SIZE);

  size_t nk = 0x20, nksz = r8 (80 + nlen);
  uint8_t *n = h + nk;
  wr32 (n, (uint32_t) -(int32_t) nksz);
  memcpy (n + 4, "nk", 2);
  wr16 (n + 6, (uint16_t) (0x0C | (latin ? 0x20 : 0)));   /* HIVE_ENTRY | NO_DELETE [| COMP_NAME] */
  wr32 (n + 20, 0);                       /* parent: meaningless for the root */
  wr32 (n + 32, 0xFFFFFFFFu);             /* subkey list */
  wr32 (n + 36, 0xFFFFFFFFu);             /* volatile subkey list */
  wr32 (n + 44, 0xFFFFFFFFu);             /* value list */
  wr32 (n + 52, 0xFFFFFFFFu);             /* class name */
  wr16 (n + 76, (uint16_t) nlen);
  for (size_t i = 0; i < d->root_name.n; i++) {
    if (latin) n[80 + i] = (uint8_t) d->root_name.u[i];
    else wr16 (n + 80 + 2 * i, d->root_name.u[i]);
  }

  size_t sk = nk + nksz;
  uint8_t sd[128];
  size_t sdlen = make_sd (sd);
  size_t sksz = r8 (24 + sdlen);
  uint8_t *s = h + sk;
  wr32 (s, (uint32_t) -(int32_t) sksz);
  memcpy (s + 4, "sk", 2);
  wr32 (s + 8, (uint32_t) sk);            /* flink: the only entry */
  wr32 (s + 12, (uint32_t) sk);           /* blink */
  wr32 (s + 16, 1);                       /* refcount (hivex adds one per new key) */
  wr32 (s + 20, (uint32_t) sdlen);
  memcpy (s + 24, sd, sdlen);
  wr32 (n + 48, (uint32_t) sk);

  size_t fr = sk + sksz;
  wr32 (h + fr, (uint32_t) (HBIN_SIZE - fr)); /* free cell up to the end */

  memcpy (b, "regf", 4);
  wr32 (b + 4, 1);
  wr32 (b + 8, 1);
  wr32 (b + 20, d->major);
  wr32 (b + 24, d->minor);
  wr32 (b + 28, 0);                       /* primary file */
  wr32 (b + 32, 1);                       /* direct memory load */
  wr32 (b + 36, (uint32_t) nk);
  wr32 (b + 40, HBIN_SIZE);
  wr32 (b + 44, 1);                       /* clustering factor */
  wr32 (b + 508, xor_sum (b));            /* hivex checks the raw XOR */
}
