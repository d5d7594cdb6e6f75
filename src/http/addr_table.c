/* Linear probing with backward-shift deletion (Knuth, TAOCP vol. 3, 6.4 Algorithm R):
 * removing an entry moves later entries of the same run back into the hole when their
 * home slot is not between the hole and where they are, so every run stays unbroken and
 * a lookup can stop at the first empty slot. */
#include "http/addr_table.h"

#include <stdlib.h>
#include <string.h>

static unsigned key_hash(const struct addr_key *k)
{
    unsigned h = 2166136261u; /* FNV-1a */
    for (int i = 0; i < 16; i++)
        h = (h ^ k->bytes[i]) * 16777619u;
    return h ^ (h >> 15);
}

bool addr_table_init(struct addr_table *t, unsigned max_live)
{
    unsigned n = 64;
    while (n < 2u * max_live && n < (1u << 30))
        n <<= 1;
    memset(t, 0, sizeof(*t));
    t->slots = calloc(n, sizeof(*t->slots));
    if (!t->slots)
        return false;
    t->mask = n - 1;
    return true;
}

void addr_table_free(struct addr_table *t)
{
    free(t->slots);
    memset(t, 0, sizeof(*t));
}

/* k's slot, or the empty slot that ends its run (-1 when the table has no slots). */
static long find(struct addr_table *t, const struct addr_key *k, unsigned h)
{
    t->probes = 0;
    if (!t->slots)
        return -1;
    for (unsigned i = h & t->mask;; i = (i + 1) & t->mask) {
        t->probes++;
        struct addr_slot *s = &t->slots[i];
        if (!s->used || (s->hash == h && memcmp(&s->key, k, sizeof(*k)) == 0))
            return (long)i;
    }
}

unsigned *addr_table_slot(struct addr_table *t, const struct addr_key *k, bool create)
{
    unsigned h = key_hash(k);
    long i = find(t, k, h);
    if (i < 0)
        return NULL;
    struct addr_slot *s = &t->slots[i];
    if (s->used)
        return &s->count;
    /* Keep one slot empty at least, so every run ends. */
    if (!create || t->live >= t->mask)
        return NULL;
    *s = (struct addr_slot){.key = *k, .hash = h, .count = 0, .used = true};
    t->live++;
    return &s->count;
}

void addr_table_remove(struct addr_table *t, const struct addr_key *k)
{
    long found = find(t, k, key_hash(k));
    if (found < 0 || !t->slots[found].used)
        return;
    unsigned hole = (unsigned)found;
    for (unsigned j = (hole + 1) & t->mask; t->slots[j].used; j = (j + 1) & t->mask) {
        t->probes++;
        unsigned home = t->slots[j].hash & t->mask;
        /* The entry at j may fill the hole unless its home lies cyclically in (hole, j]. */
        bool stays = hole <= j ? (home > hole && home <= j) : (home > hole || home <= j);
        if (!stays) {
            t->slots[hole] = t->slots[j];
            hole = j;
        }
    }
    t->slots[hole] = (struct addr_slot){0};
    t->live--;
}
