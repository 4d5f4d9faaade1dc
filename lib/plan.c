/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Plans: a declarative final state for MountedDevices in an XML file
 * (namespace urn:mountdb:plan:1), applied to a transaction whole or not at
 * all.  lib/mountdb-plan.rng is the one description of the format: it is
 * embedded at build time (lib/rng2c.sh -> lib/plan-rng.h) and every plan
 * is validated against it; this file adds what a schema cannot say well
 * (spec syntax, drive letters, duplicates, conflicts) with messages that
 * name the line.
 *
 *   <mountdb-plan xmlns="urn:mountdb:plan:1">
 *     <remap from="mbr:5cbea03e:1MiB" to="gpt:09931f21-..."/>   W1, 0..n
 *     <letter letter="C" volume="gpt:09931f21-..."/>            W2, 0..n
 *     <no-letter volume="mbr:7c1d9e42:512GiB"/>                  W3, 0..n
 *       (new="true" on either: the volume may be new to the hive, W8)
 *     <automount state="off"/>                                   W7, 0..1
 *   </mountdb-plan>
 *
 * Applied in that order (the schema fixes the document order to match):
 * remaps in document order; then the volume specs of letter and no-letter
 * are resolved, all at once, against the list after the remaps; then the
 * letters in document order (assign with MOVE|TAKE, and the volume's
 * other letters go, so the letter is its only one); then the no-letters
 * (every letter of the volume unassigned, and a #{} marker ensured); then
 * automount.  Resolving before any letter moves makes the plan a final
 * state: a second run resolves to the same volumes and changes nothing.
 * For the same reason letter and no-letter refuse drive-letter specs
 * ("G:" means another volume once the plan has moved G:), a remap whose
 * old ID is gone and new ID present is a no-op, and remaps must not chain
 * (a swap through a third ID would swap back on every run).
 *
 * Errors: MOUNTDB_E_INVAL for anything wrong with the plan itself (XML,
 * schema, specs, letters, duplicates, conflicts), MOUNTDB_E_TOOBIG for
 * the caps, and the code of the operation (NOMATCH, AMBIGUOUS, REFUSED...)
 * when the plan is fine but the hive says no.  On any error the
 * transaction is restored to what it was before the call.
 *
 * Reading and validating the file (limits, parser safety): plan_load.c. */
#include <config.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <libxml/tree.h>
#include "handle.h"
#include "edit.h"
#include "plan.h"

/* ---- the plan in memory -------------------------------------------------------------- */

enum { P_REMAP, P_LETTER, P_NO_LETTER, P_AUTOMOUNT };

struct item {
  int kind;
  long line;
  char letter;               /* P_LETTER: 'A'..'Z' */
  int on;                    /* P_AUTOMOUNT */
  int is_new;                /* letter/no-letter new="true": the volume
                                may be one the hive does not know (W8) */
  mountdb_spec *a;           /* remap from; letter/no-letter volume */
  mountdb_spec *b;           /* remap to */
  uint8_t *id;               /* resolved: the volume's ID / remap's old ID */
  size_t idlen;
  int has_id;
  uint8_t *nid;              /* remap: the new ID */
  size_t nidlen;
};

struct plan {
  const char *path;
  struct item *items;
  size_t n;
};

static void
plan_free (struct plan *pl)
{
  for (size_t i = 0; i < pl->n; i++) {
    mountdb_spec_free (pl->items[i].a);
    mountdb_spec_free (pl->items[i].b);
    free (pl->items[i].id);
    free (pl->items[i].nid);
  }
  free (pl->items);
}

static int
is_xml_space (char c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* An attribute, surrounding whitespace removed; malloc'd (never NULL on
 * success: the schema made it present). */
static int
attr (const struct plan *pl, xmlNodePtr n, const char *name, char **out,
      mountdb_error *err)
{
  xmlChar *v = xmlGetNoNsProp (n, BAD_CAST name);
  if (v == NULL)
    return md_plan_error (err, MOUNTDB_E_NOMEM, pl->path, md_plan_node_line (n),
                       "cannot read attribute %s (out of memory?)", name);
  const char *s = (const char *) v;
  size_t len = strlen (s);
  while (len > 0 && is_xml_space (s[0]))
    s++, len--;
  while (len > 0 && is_xml_space (s[len - 1]))
    len--;
  *out = malloc (len + 1);
  if (*out == NULL) {
    xmlFree (v);
    return md_plan_error (err, MOUNTDB_E_NOMEM, pl->path, md_plan_node_line (n),
                       "out of memory");
  }
  memcpy (*out, s, len);
  (*out)[len] = '\0';
  xmlFree (v);
  return 0;
}

static int
spec_attr (const struct plan *pl, xmlNodePtr n, long line, const char *name,
           int allow_letter, mountdb_spec **out, mountdb_error *err)
{
  char *text;
  int rc = attr (pl, n, name, &text, err);
  if (rc < 0)
    return rc;
  mountdb_error e;
  memset (&e, 0, sizeof e);
  rc = mountdb_spec_parse (text, out, &e);
  if (rc < 0) {
    free (text);
    return md_plan_error (err, rc, pl->path, line, "%s: %s", name, e.message);
  }
  if (!allow_letter && mountdb_spec_kind (*out) == MOUNTDB_SPEC_LETTER) {
    char q[64];
    md_plan_clean_text (text, q, sizeof q);
    free (text);
    mountdb_spec_free (*out);
    *out = NULL;
    return md_plan_error (err, MOUNTDB_E_INVAL, pl->path, line,
                       "%s: '%s' names a volume by the drive letter it has "
                       "now, which the plan may change: name it by volume "
                       "GUID ({GUID}) or ID (mbr:, gpt:, hex:) so the plan "
                       "means the same volume when applied again",
                       name, q);
  }
  free (text);
  return 0;
}

static int
parse_letter (const struct plan *pl, xmlNodePtr n, long line, char *x,
              mountdb_error *err)
{
  char *t;
  int rc = attr (pl, n, "letter", &t, err);
  if (rc < 0)
    return rc;
  size_t len = strlen (t);
  char c = t[0];
  if (c >= 'a' && c <= 'z')
    c = (char) (c - 32);
  if ((len == 1 || (len == 2 && t[1] == ':')) && c >= 'A' && c <= 'Z') {
    *x = c;
    free (t);
    return 0;
  }
  char q[48];
  md_plan_clean_text (t, q, sizeof q);
  free (t);
  return md_plan_error (err, MOUNTDB_E_INVAL, pl->path, line,
                     "letter '%s' is not a drive letter (A-Z, e.g. "
                     "letter=\"C\")", q);
}

/* new="true": the schema allows only true and false. */
static int
new_attr (xmlNodePtr n)
{
  xmlChar *v = xmlGetNoNsProp (n, BAD_CAST "new");
  int yes = v != NULL && strcmp ((const char *) v, "true") == 0;
  xmlFree (v);
  return yes;
}

/* The document -> items, with every check that needs no hive. */
static int
build_plan (struct plan *pl, xmlDocPtr doc, mountdb_error *err)
{
  xmlNodePtr root = xmlDocGetRootElement (doc);
  size_t count = 0;
  for (xmlNodePtr n = root->children; n; n = n->next)
    count += n->type == XML_ELEMENT_NODE;
  pl->items = calloc (count ? count : 1, sizeof *pl->items);
  if (pl->items == NULL)
    return md_plan_error (err, MOUNTDB_E_NOMEM, pl->path, 0, "out of memory");
  long letter_line[26] = { 0 };
  int rc = 0;
  for (xmlNodePtr n = root->children; n && rc == 0; n = n->next) {
    if (n->type != XML_ELEMENT_NODE)
      continue;
    struct item *it = &pl->items[pl->n++];
    const char *name = (const char *) n->name;
    it->line = md_plan_node_line (n);
    if (strcmp (name, "remap") == 0) {
      it->kind = P_REMAP;
      rc = spec_attr (pl, n, it->line, "from", 1, &it->a, err);
      if (rc == 0)
        rc = spec_attr (pl, n, it->line, "to", 1, &it->b, err);
    } else if (strcmp (name, "letter") == 0) {
      it->kind = P_LETTER;
      rc = parse_letter (pl, n, it->line, &it->letter, err);
      if (rc == 0 && letter_line[it->letter - 'A'])
        rc = md_plan_error (err, MOUNTDB_E_INVAL, pl->path, it->line,
                         "letter %c: is already given at line %ld (a "
                         "letter belongs to one volume)", it->letter,
                         letter_line[it->letter - 'A']);
      if (rc == 0) {
        letter_line[it->letter - 'A'] = it->line;
        rc = spec_attr (pl, n, it->line, "volume", 0, &it->a, err);
        it->is_new = new_attr (n);
      }
    } else if (strcmp (name, "no-letter") == 0) {
      it->kind = P_NO_LETTER;
      rc = spec_attr (pl, n, it->line, "volume", 0, &it->a, err);
      it->is_new = new_attr (n);
    } else if (strcmp (name, "automount") == 0) {
      char *state;
      it->kind = P_AUTOMOUNT;
      rc = attr (pl, n, "state", &state, err);
      if (rc == 0) {
        it->on = strcmp (state, "on") == 0;
        if (!it->on && strcmp (state, "off") != 0)
          rc = md_plan_error (err, MOUNTDB_E_INVAL, pl->path, it->line,
                           "automount state must be on or off");
        free (state);
      }
    } else /* the schema allows nothing else */
      rc = md_plan_error (err, MOUNTDB_E_INVAL, pl->path, it->line,
                       "unknown element <%s>", name);
  }
  return rc;
}

/* ---- the transaction: snapshot, and what edit.c has no operation for ------------ */

static int
same_id (const uint8_t *a, size_t alen, const uint8_t *b, size_t blen)
{
  return alen == blen && (alen == 0 || memcmp (a, b, alen) == 0);
}

/* The drive letters (set[0..25]) and no-letter markers holding id. */
static int
txn_names_of (const mountdb_txn *txn, const uint8_t *id, size_t len,
              char set[26], int *markers)
{
  memset (set, 0, 26);
  *markers = 0;
  for (size_t i = 0; i < txn->nvals; i++) {
    const struct md_val *v = &txn->vals[i];
    if (!md_val_holds (v, id, len))
      continue;
    md_name nm;
    if (md_name_classify (v->name16, v->n16, &nm) < 0)
      return MOUNTDB_E_NOMEM;
    if (nm.cls == MOUNTDB_CLASS_DRIVE_LETTER && nm.letter >= 'A'
        && nm.letter <= 'Z')
      set[nm.letter - 'A'] = 1;
    else if (nm.cls == MOUNTDB_CLASS_NO_LETTER)
      (*markers)++;
    md_name_clear (&nm);
  }
  return 0;
}

/* A spec naming exactly this ID (hex:), for mountdb_txn_assign. */
static int
id_spec (const uint8_t *id, size_t len, mountdb_spec **out,
         mountdb_error *e)
{
  static const char hexd[] = "0123456789abcdef";
  char *t = malloc (5 + 2 * len);
  if (t == NULL)
    return MOUNTDB_E_NOMEM;
  memcpy (t, "hex:", 4);
  for (size_t i = 0; i < len; i++) {
    t[4 + 2 * i] = hexd[id[i] >> 4];
    t[5 + 2 * i] = hexd[id[i] & 15];
  }
  t[4 + 2 * len] = '\0';
  int rc = mountdb_spec_parse (t, out, e);
  free (t);
  return rc;
}

static int
copy_id (struct item *it, const uint8_t *id, size_t len)
{
  free (it->id);
  it->id = malloc (len ? len : 1);
  if (it->id == NULL)
    return MOUNTDB_E_NOMEM;
  if (len)
    memcpy (it->id, id, len);
  it->idlen = len;
  it->has_id = 1;
  return 0;
}

/* ---- applying ------------------------------------------------------------------------- */

/* W1.  A remap whose old ID is gone while its new ID is present has been
 * applied already: nothing to do.  Remaps must not chain (a new ID that
 * is another remap's old ID): the second run would apply the chain again,
 * or a swap would undo itself.  it->id keeps the old ID, it->nid the new
 * one (has_id: they differ). */
static int
apply_remap (mountdb_txn *txn, const struct plan *pl, struct item *it,
             mountdb_error *err)
{
  mountdb_error e;
  memset (&e, 0, sizeof e);
  const uint8_t *p;
  size_t nlen, olen;
  int rc = md_spec_resolve (it->b, txn->vals, txn->nvals, &p, &nlen, &e);
  if (rc < 0)
    return md_plan_error (err, rc, pl->path, it->line, "to: %s", e.message);
  it->nid = malloc (nlen ? nlen : 1);
  if (it->nid == NULL)
    return md_plan_error (err, MOUNTDB_E_NOMEM, pl->path, it->line,
                       "out of memory");
  if (nlen)
    memcpy (it->nid, p, nlen);
  it->nidlen = nlen;
  rc = md_spec_resolve (it->a, txn->vals, txn->nvals, &p, &olen, &e);
  if (rc == MOUNTDB_E_NOMATCH && md_txn_has_id (txn, it->nid, nlen))
    return 0;              /* from names nothing any more: applied */
  if (rc < 0)
    return md_plan_error (err, rc, pl->path, it->line, "from: %s", e.message);
  if (copy_id (it, p, olen) < 0)
    return md_plan_error (err, MOUNTDB_E_NOMEM, pl->path, it->line,
                       "out of memory");
  if (same_id (it->id, it->idlen, it->nid, nlen)) {
    it->has_id = 0;        /* replaces nothing */
    return 0;
  }
  for (const struct item *r = pl->items; r < it; r++) {
    if (r->kind != P_REMAP || !r->has_id)
      continue;
    if (same_id (r->id, r->idlen, it->nid, nlen))
      return md_plan_error (err, MOUNTDB_E_INVAL, pl->path, it->line,
                         "to: the ID is the one the remap at line %ld "
                         "replaces: remaps must not chain or swap IDs (the "
                         "plan would change the hive again when applied "
                         "again)", r->line);
    if (same_id (r->nid, r->nidlen, it->id, it->idlen))
      return md_plan_error (err, MOUNTDB_E_INVAL, pl->path, it->line,
                         "from: the ID is the one the remap at line %ld "
                         "gives: remaps must not chain (map the original "
                         "ID to the final one)", r->line);
  }
  if (!md_txn_has_id (txn, it->id, it->idlen)) {
    if (!md_txn_has_id (txn, it->nid, nlen))
      return md_plan_error (err, MOUNTDB_E_NOMATCH, pl->path, it->line,
                         "no value holds the ID that from names, nor the "
                         "one to names: nothing to remap");
    return 0;
  }
  rc = mountdb_txn_remap (txn, it->id, it->idlen, it->nid, nlen, &e);
  if (rc < 0)
    return md_plan_error (err, rc, pl->path, it->line, "%s", e.message);
  return 0;
}

static int
cmp_ids (const struct item *a, const struct item *b)
{
  if (a->idlen != b->idlen)
    return a->idlen < b->idlen ? -1 : 1;
  int c = a->idlen ? memcmp (a->id, b->id, a->idlen) : 0;
  if (c)
    return c;
  return a->line < b->line ? -1 : a->line > b->line;
}

static int
cmp_item_ptr (const void *x, const void *y)
{
  return cmp_ids (*(const struct item *const *) x,
                  *(const struct item *const *) y);
}

/* Resolve every letter/no-letter volume against the list after the
 * remaps, then check that no volume is named twice with different ends. */
static int
resolve_volumes (mountdb_txn *txn, struct plan *pl, mountdb_error *err)
{
  size_t nv = 0;
  for (size_t i = 0; i < pl->n; i++) {
    struct item *it = &pl->items[i];
    if (it->kind != P_LETTER && it->kind != P_NO_LETTER)
      continue;
    mountdb_error e;
    memset (&e, 0, sizeof e);
    const uint8_t *p;
    size_t len;
    int rc = md_spec_resolve (it->a, txn->vals, txn->nvals, &p, &len, &e);
    if (rc < 0)
      return md_plan_error (err, rc, pl->path, it->line, "volume: %s",
                         e.message);
    if (copy_id (it, p, len) < 0)
      return md_plan_error (err, MOUNTDB_E_NOMEM, pl->path, it->line,
                         "out of memory");
    nv++;
    /* An ID a remap replaced: surely meant the new one. */
    for (size_t j = 0; j < pl->n; j++) {
      const struct item *r = &pl->items[j];
      if (r->kind == P_REMAP && r->has_id
          && same_id (r->id, r->idlen, it->id, it->idlen))
        return md_plan_error (err, MOUNTDB_E_INVAL, pl->path, it->line,
                           "volume: '%s' is the ID that the remap at line "
                           "%ld replaces: name the new ID",
                           mountdb_spec_text (it->a), r->line);
    }
    /* Pre-seeding must be said (new="true"): a typo is no new disk. */
    if (!it->is_new && !md_txn_has_id (txn, it->id, it->idlen)) {
      rc = md_new_refused (txn, it->a, it->id, it->idlen, &e);
      return md_plan_error (err, rc, pl->path, it->line, "volume: %s",
                         e.message);
    }
  }
  if (nv < 2)
    return 0;
  struct item **byid = malloc (nv * sizeof *byid);
  if (byid == NULL)
    return md_plan_error (err, MOUNTDB_E_NOMEM, pl->path, 0, "out of memory");
  nv = 0;
  for (size_t i = 0; i < pl->n; i++)
    if (pl->items[i].kind == P_LETTER || pl->items[i].kind == P_NO_LETTER)
      byid[nv++] = &pl->items[i];
  qsort (byid, nv, sizeof *byid, cmp_item_ptr);
  /* Within a run of equal IDs (in line order), the first element that
   * conflicts with an earlier one; report the earliest such line. */
  const struct item *bad = NULL, *first = NULL;
  for (size_t i = 0; i < nv;) {
    size_t j = i + 1;
    while (j < nv && same_id (byid[i]->id, byid[i]->idlen, byid[j]->id,
                              byid[j]->idlen))
      j++;
    const struct item *letter = NULL, *noletter = NULL;
    for (size_t k = i; k < j; k++) {
      const struct item *it = byid[k];
      const struct item *prev = it->kind == P_LETTER
                                ? (letter ? letter : noletter)
                                : letter;
      if (prev && (bad == NULL || it->line < bad->line)) {
        bad = it;
        first = prev;
      }
      if (it->kind == P_LETTER && letter == NULL)
        letter = it;
      if (it->kind == P_NO_LETTER && noletter == NULL)
        noletter = it;
    }
    i = j;
  }
  free (byid);
  if (bad == NULL)
    return 0;
  if (bad->kind == P_LETTER && first->kind == P_LETTER)
    return md_plan_error (err, MOUNTDB_E_INVAL, pl->path, bad->line,
                       "volume: '%s' already gets %c: at line %ld (a volume "
                       "keeps one drive letter)", mountdb_spec_text (bad->a),
                       first->letter, first->line);
  if (bad->kind == P_LETTER)
    return md_plan_error (err, MOUNTDB_E_INVAL, pl->path, bad->line,
                       "volume: '%s' is the volume that no-letter at line "
                       "%ld leaves without a letter",
                       mountdb_spec_text (bad->a), first->line);
  return md_plan_error (err, MOUNTDB_E_INVAL, pl->path, bad->line,
                     "volume: '%s' is the volume that gets %c: at line %ld: "
                     "it cannot also have no letter",
                     mountdb_spec_text (bad->a), first->letter, first->line);
}

/* W2: the letter, and only it. */
static int
apply_letter (mountdb_txn *txn, const struct plan *pl, const struct item *it,
              mountdb_error *err)
{
  mountdb_error e;
  memset (&e, 0, sizeof e);
  mountdb_spec *spec = NULL;
  if (it->idlen == 0)
    return md_plan_error (err, MOUNTDB_E_INVAL, pl->path, it->line,
                       "volume: '%s' has an empty unique ID: no letter can "
                       "be given to it", mountdb_spec_text (it->a));
  int rc = id_spec (it->id, it->idlen, &spec, &e);
  if (rc < 0)
    return md_plan_error (err, rc, pl->path, it->line, "volume: %s",
                       rc == MOUNTDB_E_NOMEM ? "out of memory" : e.message);
  rc = mountdb_txn_assign (txn, it->letter, spec,
                           MOUNTDB_ASSIGN_MOVE | MOUNTDB_ASSIGN_TAKE
                           | (it->is_new ? MOUNTDB_ASSIGN_NEW : 0), &e);
  mountdb_spec_free (spec);
  if (rc < 0)
    return md_plan_error (err, rc, pl->path, it->line, "%s", e.message);
  /* The no-op path of assign keeps other letters the volume may have
   * (Windows would keep only the first in value order, V5). */
  char set[26];
  int markers;
  if (txn_names_of (txn, it->id, it->idlen, set, &markers) < 0)
    return md_plan_error (err, MOUNTDB_E_NOMEM, pl->path, it->line,
                       "out of memory");
  for (int l = 0; l < 26; l++)
    if (set[l] && 'A' + l != it->letter
        && (rc = mountdb_txn_unassign (txn, (char) ('A' + l), 0, &e)) < 0)
      return md_plan_error (err, rc, pl->path, it->line, "%s", e.message);
  return 0;
}

/* W3 for every letter of the volume; the marker even when it had none. */
static int
apply_no_letter (mountdb_txn *txn, const struct plan *pl,
                 const struct item *it, mountdb_error *err)
{
  mountdb_error e;
  memset (&e, 0, sizeof e);
  char set[26];
  int markers, rc;
  if (txn_names_of (txn, it->id, it->idlen, set, &markers) < 0)
    return md_plan_error (err, MOUNTDB_E_NOMEM, pl->path, it->line,
                       "out of memory");
  for (int l = 0; l < 26; l++)
    if (set[l] && (rc = mountdb_txn_unassign (txn, (char) ('A' + l), 0,
                                              &e)) < 0)
      return md_plan_error (err, rc, pl->path, it->line, "%s", e.message);
  if (txn_names_of (txn, it->id, it->idlen, set, &markers) < 0)
    return md_plan_error (err, MOUNTDB_E_NOMEM, pl->path, it->line,
                       "out of memory");
  if (markers == 0 && (rc = md_txn_add_marker (txn, it->id, it->idlen)) < 0)
    return md_plan_error (err, rc, pl->path, it->line, "%s",
                       rc == MOUNTDB_E_NOMEM ? "out of memory"
                       : "hashing failed");
  return 0;
}

static int
apply_plan (mountdb_txn *txn, struct plan *pl, mountdb_error *err)
{
  int rc = 0;
  for (size_t i = 0; i < pl->n && rc == 0; i++)
    if (pl->items[i].kind == P_REMAP)
      rc = apply_remap (txn, pl, &pl->items[i], err);
  if (rc == 0)
    rc = resolve_volumes (txn, pl, err);
  for (size_t i = 0; i < pl->n && rc == 0; i++)
    if (pl->items[i].kind == P_LETTER)
      rc = apply_letter (txn, pl, &pl->items[i], err);
  for (size_t i = 0; i < pl->n && rc == 0; i++)
    if (pl->items[i].kind == P_NO_LETTER)
      rc = apply_no_letter (txn, pl, &pl->items[i], err);
  for (size_t i = 0; i < pl->n && rc == 0; i++)
    if (pl->items[i].kind == P_AUTOMOUNT) {
      mountdb_error e;
      memset (&e, 0, sizeof e);
      rc = mountdb_txn_automount (txn, pl->items[i].on, &e);
      if (rc < 0)
        rc = md_plan_error (err, rc, pl->path, pl->items[i].line, "%s",
                         e.message);
    }
  return rc;
}

/* ---- public ---------------------------------------------------------------------------- */

int
mountdb_txn_apply_plan (mountdb_txn *txn, const char *path,
                        mountdb_error *err)
{
  if (txn == NULL || path == NULL)
    return md_error (err, MOUNTDB_E_INVAL, 0, path, "invalid argument");
  if (md_hive_writable (txn->db, err) < 0)
    return MOUNTDB_E_REFUSED;
  xmlDocPtr doc = NULL;
  int rc = md_plan_load (path, &doc, err);
  if (rc < 0)
    return rc;
  struct plan pl = { .path = path };
  rc = build_plan (&pl, doc, err);
  xmlFreeDoc (doc);
  if (rc == 0) {
    struct md_txn_save s;
    if (md_txn_save (txn, &s) < 0)
      rc = md_error (err, MOUNTDB_E_NOMEM, 0, path, "out of memory");
    else {
      rc = apply_plan (txn, &pl, err);
      if (rc < 0)
        md_txn_restore (txn, &s);
      else {
        md_txn_save_drop (&s);
        md_txn_invalidate (txn);
      }
    }
  }
  plan_free (&pl);
  return rc < 0 ? rc : 0;
}
