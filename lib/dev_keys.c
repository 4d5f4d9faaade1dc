/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A copy of some keys of a hive (dev.h): the hive layer fills it in its
 * one hivex session, the device join reads it without hivex. */
#include <config.h>
#include <stdlib.h>
#include <string.h>
#include "dev.h"

const struct md_rkey *
md_rkey_child (const struct md_rkey *k, const char *name)
{
  for (uint32_t i = 0; k && i < k->nkids; i++)
    if (md_ascii_casecmp (k->kids[i].name, name) == 0)
      return &k->kids[i];
  return NULL;
}

const struct md_rkey *
md_rkey_path (const struct md_rkey *k, const char *path)
{
  char part[256];
  while (k && *path) {
    size_t n = strcspn (path, "\\");
    if (n >= sizeof part)
      return NULL;
    memcpy (part, path, n);
    part[n] = '\0';
    k = md_rkey_child (k, part);
    path += n + (path[n] == '\\');
  }
  return k;
}

const struct md_rval *
md_rkey_value (const struct md_rkey *k, const char *name)
{
  for (uint32_t i = 0; k && i < k->nvals; i++)
    if (md_ascii_casecmp (k->vals[i].name, name) == 0)
      return &k->vals[i];
  return NULL;
}

struct md_rkey *
md_rkey_add (struct md_rkey *k, const char *name)
{
  if (k->nkids == k->cap_kids) {
    uint32_t cap = k->cap_kids ? k->cap_kids * 2 : 4;
    struct md_rkey *v = realloc (k->kids, cap * sizeof *v);
    if (v == NULL)
      return NULL;
    k->kids = v;
    k->cap_kids = cap;
  }
  struct md_rkey *c = &k->kids[k->nkids];
  memset (c, 0, sizeof *c);
  if ((c->name = strdup (name)) == NULL)
    return NULL;
  k->nkids++;
  return c;
}

struct md_rkey *
md_rkey_get_or_add (struct md_rkey *k, const char *name)
{
  const struct md_rkey *c = md_rkey_child (k, name);
  return c ? (struct md_rkey *) c : md_rkey_add (k, name);
}

int
md_rkey_add_value (struct md_rkey *k, const char *name, uint32_t type,
                   const void *data, size_t len)
{
  if (len > UINT32_MAX)
    return MOUNTDB_E_INVAL;
  struct md_rval *v = realloc (k->vals, (k->nvals + 1) * sizeof *v);
  if (v == NULL)
    return MOUNTDB_E_NOMEM;
  k->vals = v;
  struct md_rval *r = &v[k->nvals];
  r->name = strdup (name);
  r->data = malloc (len ? len : 1);
  if (r->name == NULL || r->data == NULL) {
    free (r->name);
    free (r->data);
    return MOUNTDB_E_NOMEM;
  }
  if (len)
    memcpy (r->data, data, len);
  r->type = type;
  r->len = (uint32_t) len;
  k->nvals++;
  return 0;
}

void
md_rkey_clear (struct md_rkey *k)
{
  if (k == NULL)
    return;
  for (uint32_t i = 0; i < k->nkids; i++)
    md_rkey_clear (&k->kids[i]);
  for (uint32_t i = 0; i < k->nvals; i++) {
    free (k->vals[i].name);
    free (k->vals[i].data);
  }
  free (k->kids);
  free (k->vals);
  free (k->name);
  memset (k, 0, sizeof *k);
}

char *
md_rval_string (const struct md_rval *v)
{
  if (v == NULL || (v->type != MOUNTDB_REG_SZ && v->type != MOUNTDB_REG_EXPAND_SZ))
    return NULL;
  size_t n = v->len / 2;
  uint16_t *u = malloc ((n ? n : 1) * sizeof *u);
  if (u == NULL)
    return NULL;
  md_utf16_load (v->data, n, u);
  size_t m = 0;
  while (m < n && u[m] != 0)
    m++;
  char *s = md_utf16_to_utf8 (u, m, NULL);
  free (u);
  return s;
}

void
md_devkeys_free (struct md_devkeys *dk)
{
  if (dk == NULL)
    return;
  md_rkey_clear (&dk->root);
  free (dk);
}
