/* The connection count per client address of the accept thread (http/accept.c): an
 * open-addressed hash table with linear probing and backward-shift deletion, so no
 * tombstones accumulate — an address whose last connection closed leaves the table, and
 * insert, lookup and removal touch a few slots whatever came and went before. Sized
 * for at most max_live addresses at once (a power of two at least twice that: the load
 * stays at or below one half, so inserting never fails while that bound holds). Not
 * thread-safe: the caller locks. */
#ifndef QLVB_HTTP_ADDR_TABLE_H
#define QLVB_HTTP_ADDR_TABLE_H

#include <stdbool.h>

struct addr_key {
    unsigned char bytes[16]; /* IPv4 as ::ffff:a.b.c.d */
};

struct addr_slot {
    struct addr_key key;
    unsigned hash;
    unsigned count;
    bool used;
};

struct addr_table {
    struct addr_slot *slots;
    unsigned mask;   /* slots - 1 */
    unsigned live;   /* used slots */
    unsigned probes; /* slots looked at by the last call (tests) */
};

/* false when out of memory (t is then empty: every lookup finds nothing). */
bool addr_table_init(struct addr_table *t, unsigned max_live);
void addr_table_free(struct addr_table *t);
/* The count of k; with create, a new entry at 0 when k has none. NULL when k has no
 * entry (create false) or the table is full. */
unsigned *addr_table_slot(struct addr_table *t, const struct addr_key *k, bool create);
/* Removes k's entry (a no-op when it has none). */
void addr_table_remove(struct addr_table *t, const struct addr_key *k);

#endif
