/* bench_queue.c: throughput of the event queue in the classic hold model:
 * with n entries pending, pop the first and push one at its time plus a
 * random increment, so the queue size stays constant. Prints the median of
 * seven repetitions for each size, in the process's CPU time. */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 199309L /* clock_gettime under -std=c17 */
#endif
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "errors.h"
#include "queue.h"

#define REPS 7

/* A small local generator, so the bench measures only the queue. */
static uint64_t next_rand(uint64_t *x)
{
  uint64_t z = (*x += UINT64_C(0x9e3779b97f4a7c15));
  z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
  z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
  return z ^ (z >> 31);
}

static double now_seconds(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);   /* CPU time: the machine is shared */
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int cmp_double(const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* Events per second (one pop plus one push each) for one repetition. */
static double hold_once(size_t n, long events, uint64_t seed, int64_t *sink)
{
  dt_queue_t q;
  dt_qentry_t e;
  uint64_t rs = seed;
  dt_queue_init(&q);
  for (size_t i = 0; i < n; i++) {
    if (dt_queue_push(&q, (int64_t)(next_rand(&rs) & 0xfffff),
                      (int32_t)(next_rand(&rs) & 3), 0, NULL, 0, NULL) != 0) {
      fprintf(stderr, "bench_queue: out of memory\n");
      exit(1);
    }
  }
  /* Warm up into the steady state before timing. */
  for (long i = 0; i < (long)n * 4; i++) {
    dt_queue_pop(&q, &e);
    dt_queue_push(&q, e.time + (int64_t)(next_rand(&rs) & 0xfffff),
                  (int32_t)(rs & 3), 0, NULL, 0, NULL);
  }
  double t0 = now_seconds();
  int64_t acc = 0;
  for (long i = 0; i < events; i++) {
    dt_queue_pop(&q, &e);
    acc += e.arg;
    dt_queue_push(&q, e.time + (int64_t)(next_rand(&rs) & 0xfffff),
                  (int32_t)(rs & 3), 0, NULL, e.arg + 1, NULL);
  }
  double t1 = now_seconds();
  *sink += acc;
  dt_queue_close(&q);
  return (double)events / (t1 - t0);
}

int main(int argc, char **argv)
{
  static const size_t sizes[] = {100, 10000};
  long events = 5000000;
  if (argc > 1) {
    char *end;
    events = strtol(argv[1], &end, 10);
    if (*argv[1] == '\0' || *end != '\0' || events <= 0) {
      fprintf(stderr, "usage: bench_queue [events per repetition]\n");
      return 2;
    }
  }
  int64_t sink = 0;
  for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
    double rate[REPS];
    for (int r = 0; r < REPS; r++)
      rate[r] = hold_once(sizes[s], events, (uint64_t)r + 1, &sink);
    qsort(rate, REPS, sizeof rate[0], cmp_double);
    printf("queue hold n=%zu: %.1f M events/s (median of %d)\n", sizes[s],
           rate[REPS / 2] / 1e6, REPS);
  }
  return sink == 42 ? 1 : 0;
}
