/* The accept thread's table of connection counts per address (http/addr_table.h):
 * counts found again, an address gone with its last connection, no slow-down after a
 * long churn of addresses (the old table kept tombstones and scanned all its 4096 slots
 * once none was never used), removals that keep every other entry reachable (checked
 * against a plain array through random operations on a small, colliding table), and a
 * full table refusing a new address. */
#include <stdint.h>
#include <stdlib.h>

#include "check.h"
#include "http/addr_table.h"

static struct addr_key key4(uint32_t ip)
{
    struct addr_key k = {{0}};
    k.bytes[10] = k.bytes[11] = 0xff;
    k.bytes[12] = (unsigned char)(ip >> 24);
    k.bytes[13] = (unsigned char)(ip >> 16);
    k.bytes[14] = (unsigned char)(ip >> 8);
    k.bytes[15] = (unsigned char)ip;
    return k;
}

TEST(counts_and_removal)
{
    struct addr_table t;
    CHECK(addr_table_init(&t, 1024));
    struct addr_key a = key4(0x0a000001), b = key4(0x0a000002);
    CHECK(addr_table_slot(&t, &a, false) == NULL);
    unsigned *n = addr_table_slot(&t, &a, true);
    CHECK(n && *n == 0);
    if (n)
        *n = 3;
    n = addr_table_slot(&t, &a, false);
    CHECK(n && *n == 3);
    CHECK(addr_table_slot(&t, &b, false) == NULL);
    addr_table_remove(&t, &b); /* absent: nothing happens */
    CHECK_INT(t.live, 1);
    addr_table_remove(&t, &a);
    CHECK(addr_table_slot(&t, &a, false) == NULL);
    CHECK_INT(t.live, 0);
    addr_table_free(&t);
}

TEST(no_slowdown_after_churn)
{
    struct addr_table t;
    CHECK(addr_table_init(&t, 1024));
    for (uint32_t i = 0; i < 8; i++) {
        struct addr_key k = key4(0xc0a80000 + i);
        unsigned *n = addr_table_slot(&t, &k, true);
        CHECK(n != NULL);
        if (n)
            *n = i + 1;
    }
    /* 200 000 addresses come and go, 64 at a time. */
    unsigned worst = 0;
    for (uint32_t base = 0; base < 200000; base += 64) {
        for (uint32_t i = 0; i < 64; i++) {
            struct addr_key k = key4(0x01000000 + base + i);
            unsigned *n = addr_table_slot(&t, &k, true);
            CHECK(n != NULL);
            if (n)
                (*n)++;
            if (t.probes > worst)
                worst = t.probes;
        }
        for (uint32_t i = 0; i < 64; i++) {
            struct addr_key k = key4(0x01000000 + base + i);
            addr_table_remove(&t, &k);
        }
    }
    CHECK_INT(t.live, 8);
    CHECK(worst < 32); /* at load <= 72/2048 runs stay short */
    struct addr_key fresh = key4(0x7f000001);
    CHECK(addr_table_slot(&t, &fresh, false) == NULL);
    CHECK(t.probes <= 8);
    for (uint32_t i = 0; i < 8; i++) {
        struct addr_key k = key4(0xc0a80000 + i);
        unsigned *n = addr_table_slot(&t, &k, false);
        CHECK(n && *n == i + 1);
    }
    addr_table_free(&t);
}

/* Random increments and decrements on 48 addresses in a 64-slot table (max_live 32),
 * an address removed when its count reaches 0 as accept.c does, against an array. */
TEST(random_against_a_model)
{
    struct addr_table t;
    CHECK(addr_table_init(&t, 32));
    CHECK_INT(t.mask + 1, 64);
    unsigned model[48] = {0}, live = 0;
    srand(12345);
    for (int step = 0; step < 200000; step++) {
        unsigned a = (unsigned)rand() % 48;
        struct addr_key k = key4(0x0a0a0000 + a * 7919u);
        if (rand() % 2 && (model[a] || live < 32)) {
            unsigned *n = addr_table_slot(&t, &k, true);
            CHECK(n != NULL);
            if (!n)
                break;
            if (!model[a])
                live++;
            (*n)++;
            model[a]++;
        } else if (model[a]) {
            unsigned *n = addr_table_slot(&t, &k, false);
            CHECK(n && *n == model[a]);
            if (!n)
                break;
            if (--*n == 0)
                addr_table_remove(&t, &k);
            if (--model[a] == 0)
                live--;
        }
        if (step % 1000 == 0)
            for (unsigned i = 0; i < 48; i++) {
                struct addr_key q = key4(0x0a0a0000 + i * 7919u);
                unsigned *n = addr_table_slot(&t, &q, false);
                CHECK(model[i] ? (n && *n == model[i]) : n == NULL);
            }
    }
    CHECK_INT(t.live, live);
    addr_table_free(&t);
}

TEST(full_table_refuses_a_new_address)
{
    struct addr_table t;
    CHECK(addr_table_init(&t, 32)); /* 64 slots, one always left empty */
    for (uint32_t i = 0; i < 63; i++) {
        struct addr_key k = key4(0x0b000000 + i);
        CHECK(addr_table_slot(&t, &k, true) != NULL);
    }
    struct addr_key k = key4(0x0c000000);
    CHECK(addr_table_slot(&t, &k, true) == NULL);
    struct addr_key old = key4(0x0b000005);
    CHECK(addr_table_slot(&t, &old, false) != NULL);
    addr_table_remove(&t, &old);
    CHECK(addr_table_slot(&t, &k, true) != NULL);
    addr_table_free(&t);
}

int main(void)
{
    RUN(counts_and_removal);
    RUN(no_slowdown_after_churn);
    RUN(random_against_a_model);
    RUN(full_table_refuses_a_new_address);
    return CHECK_DONE("test_addr_table");
}
