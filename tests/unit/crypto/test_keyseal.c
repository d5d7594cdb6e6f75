/* The master key file (crypto/keyseal.c): created once, whole, by whichever of several
 * starting processes wins; the others read the same 32 bytes (docs/operations.md). */
#include <dirent.h>
#include <stdint.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "crypto/keyseal.h"

#define RACERS 8

static char dir[64], path[128];
static unsigned char keys[RACERS][KEYSEAL_KEY_LEN];
static result_t results[RACERS];
static pthread_barrier_t start;

static void *racer(void *arg)
{
    int i = (int)(intptr_t)arg;
    pthread_barrier_wait(&start);
    results[i] = keyseal_load_master(path, keys[i]);
    return NULL;
}

static int entries(const char *d)
{
    int n = 0;
    DIR *h = opendir(d);
    for (struct dirent *e; h && (e = readdir(h));)
        n += e->d_name[0] != '.';
    if (h)
        closedir(h);
    return n;
}

TEST(concurrent_first_start_agrees_on_one_whole_key)
{
    for (int round = 0; round < 20; round++) {
        snprintf(dir, sizeof(dir), "/tmp/qlvb-keyseal-XXXXXX");
        CHECK(mkdtemp(dir) != NULL);
        snprintf(path, sizeof(path), "%s/master.key", dir);
        pthread_t t[RACERS];
        pthread_barrier_init(&start, NULL, RACERS);
        for (int i = 0; i < RACERS; i++)
            pthread_create(&t[i], NULL, racer, (void *)(intptr_t)i);
        for (int i = 0; i < RACERS; i++)
            pthread_join(t[i], NULL);
        pthread_barrier_destroy(&start);
        for (int i = 0; i < RACERS; i++) {
            CHECK_INT(results[i], RES_OK);
            CHECK(memcmp(keys[i], keys[0], KEYSEAL_KEY_LEN) == 0);
        }
        struct stat st;
        CHECK(stat(path, &st) == 0 && st.st_size == KEYSEAL_KEY_LEN);
        CHECK_INT(st.st_mode & 0777, 0600);
        CHECK_INT(entries(dir), 1); /* no temporary file left behind */
        /* a later start reads the same key */
        unsigned char again[KEYSEAL_KEY_LEN];
        CHECK_INT(keyseal_load_master(path, again), RES_OK);
        CHECK(memcmp(again, keys[0], KEYSEAL_KEY_LEN) == 0);
        unlink(path);
        rmdir(dir);
    }
}

int main(void)
{
    RUN(concurrent_first_start_agrees_on_one_whole_key);
    return CHECK_DONE("test_keyseal");
}
