// peak: single-core and multi-thread FP32 FMA throughput with AVX-512 (zmm)
// and AVX2 (ymm) registers. The loop body is inline assembly so the compiler
// can neither fold the chains nor spill the accumulators: NCHAIN independent
// vfmadd231ps per iteration, enough to cover FMA latency x FMA ports.
//
// Build: gcc -O2 -mavx512f -mfma -pthread -o peak peak.c
// Run:   ./peak [threads]        (default: 1 and 2 threads)
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define ITERS 20000000L // iterations of the unrolled body per timed run
#define REPS 31 // timed runs per figure (~45 ms each); best and median are reported

static double now(void) {
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

// 12 chains of vfmadd231ps: acc_i = acc_i + x*y.
#define FMA12(R)                                                             \
	"vfmadd231ps %%" R "12, %%" R "13, %%" R "0\n\t"                         \
	"vfmadd231ps %%" R "12, %%" R "13, %%" R "1\n\t"                         \
	"vfmadd231ps %%" R "12, %%" R "13, %%" R "2\n\t"                         \
	"vfmadd231ps %%" R "12, %%" R "13, %%" R "3\n\t"                         \
	"vfmadd231ps %%" R "12, %%" R "13, %%" R "4\n\t"                         \
	"vfmadd231ps %%" R "12, %%" R "13, %%" R "5\n\t"                         \
	"vfmadd231ps %%" R "12, %%" R "13, %%" R "6\n\t"                         \
	"vfmadd231ps %%" R "12, %%" R "13, %%" R "7\n\t"                         \
	"vfmadd231ps %%" R "12, %%" R "13, %%" R "8\n\t"                         \
	"vfmadd231ps %%" R "12, %%" R "13, %%" R "9\n\t"                         \
	"vfmadd231ps %%" R "12, %%" R "13, %%" R "10\n\t"                        \
	"vfmadd231ps %%" R "12, %%" R "13, %%" R "11\n\t"

// vxorps on xmm zeroes the whole zmm register.
#define ZERO14                                                               \
	"vxorps %%xmm0, %%xmm0, %%xmm0\n\t"                                     \
	"vxorps %%xmm1, %%xmm1, %%xmm1\n\t"                                     \
	"vxorps %%xmm2, %%xmm2, %%xmm2\n\t"                                     \
	"vxorps %%xmm3, %%xmm3, %%xmm3\n\t"                                     \
	"vxorps %%xmm4, %%xmm4, %%xmm4\n\t"                                     \
	"vxorps %%xmm5, %%xmm5, %%xmm5\n\t"                                     \
	"vxorps %%xmm6, %%xmm6, %%xmm6\n\t"                                     \
	"vxorps %%xmm7, %%xmm7, %%xmm7\n\t"                                     \
	"vxorps %%xmm8, %%xmm8, %%xmm8\n\t"                                     \
	"vxorps %%xmm9, %%xmm9, %%xmm9\n\t"                                     \
	"vxorps %%xmm10, %%xmm10, %%xmm10\n\t"                                  \
	"vxorps %%xmm11, %%xmm11, %%xmm11\n\t"                                  \
	"vxorps %%xmm12, %%xmm12, %%xmm12\n\t"                                  \
	"vxorps %%xmm13, %%xmm13, %%xmm13\n\t"

#define CLOBBER(R)                                                           \
	R "0", R "1", R "2", R "3", R "4", R "5", R "6", R "7", R "8", R "9",    \
	    R "10", R "11", R "12", R "13"

// Each returns the FLOPs executed: ITERS * 12 FMAs * lanes * 2.
static double run_zmm(void) {
	long n = ITERS;
	__asm__ volatile(
	    ZERO14 // all operands 0: no denormal assists, no overflow
	    "1:\n\t" FMA12("zmm") "dec %0\n\t"
	    "jnz 1b\n\t"
	    "vzeroupper\n\t"
	    : "+r"(n)
	    :
	    : CLOBBER("zmm"), "cc");
	return (double)ITERS * 12 * 16 * 2;
}

static double run_ymm(void) {
	long n = ITERS;
	__asm__ volatile(
	    ZERO14
	    "1:\n\t" FMA12("ymm") "dec %0\n\t"
	    "jnz 1b\n\t"
	    "vzeroupper\n\t"
	    : "+r"(n)
	    :
	    : CLOBBER("ymm"), "cc");
	return (double)ITERS * 12 * 8 * 2;
}

// Core clock estimate: a chain of dependent imul (3-cycle latency). Not
// add-immediate: recent Intel cores eliminate those at rename and would
// report several times the real clock.
static double run_clock(void) {
	long n = ITERS, x = 3;
	__asm__ volatile(
	    "1:\n\t"
	    "imul %1, %1\n\timul %1, %1\n\timul %1, %1\n\timul %1, %1\n\t"
	    "dec %0\n\tjnz 1b\n\t"
	    : "+r"(n), "+r"(x)
	    :
	    : "cc");
	return (double)ITERS * 4 * 3; // cycles
}

typedef double (*kernel_fn)(void);

struct job {
	kernel_fn fn;
	int cpu;
	pthread_barrier_t *start;
	double work;
};

static void *worker(void *p) {
	struct job *j = p;
	cpu_set_t set;
	CPU_ZERO(&set);
	CPU_SET(j->cpu, &set);
	pthread_setaffinity_np(pthread_self(), sizeof set, &set); // best effort
	j->fn();                                                  // warm up (clock ramp, AVX power-up)
	pthread_barrier_wait(j->start);
	j->work = j->fn();
	pthread_barrier_wait(j->start);
	return NULL;
}

// One timed run of fn on nthreads threads; returns work per second (all threads).
static double timed(kernel_fn fn, int nthreads) {
	pthread_t th[64];
	struct job jobs[64];
	pthread_barrier_t start;
	pthread_barrier_init(&start, NULL, nthreads + 1);
	for (int i = 0; i < nthreads; i++) {
		jobs[i] = (struct job){fn, i, &start, 0};
		pthread_create(&th[i], NULL, worker, &jobs[i]);
	}
	pthread_barrier_wait(&start);
	double t0 = now();
	pthread_barrier_wait(&start);
	double t = now() - t0;
	double work = 0;
	for (int i = 0; i < nthreads; i++) {
		pthread_join(th[i], NULL);
		work += jobs[i].work;
	}
	pthread_barrier_destroy(&start);
	return work / t;
}

static int cmp(const void *a, const void *b) {
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static void report(const char *name, kernel_fn fn, int nthreads, double unit, const char *uname,
                   double ghz, double flops_per_cycle) {
	double r[REPS];
	for (int i = 0; i < REPS; i++)
		r[i] = timed(fn, nthreads) / unit;
	qsort(r, REPS, sizeof r[0], cmp);
	printf("%-6s threads=%d  best %8.2f  median %8.2f  min %8.2f %s", name, nthreads, r[REPS - 1],
	       r[REPS / 2], r[0], uname);
	if (ghz > 0)
		printf("  (%.1f%% of %.0f FLOP/cycle x %d core(s) at %.2f GHz)",
		       100 * r[REPS - 1] / (flops_per_cycle * ghz * nthreads), flops_per_cycle, nthreads,
		       ghz);
	printf("\n");
}

int main(int argc, char **argv) {
	setvbuf(stdout, NULL, _IOLBF, 0); // progress shows through a pipe
	int lo = 1, hi = 2;
	if (argc > 1)
		lo = hi = atoi(argv[1]);
	// Clock first (scalar only), so the FMA figures can be read as FLOP/cycle.
	double r[REPS];
	for (int i = 0; i < REPS; i++)
		r[i] = timed(run_clock, 1) / 1e9;
	qsort(r, REPS, sizeof r[0], cmp);
	double ghz = r[REPS - 1];
	printf("clock  threads=1  best %8.3f  median %8.3f  min %8.3f GHz (dependent imul chain)\n",
	       r[REPS - 1], r[REPS / 2], r[0]);
	for (int t = lo; t <= hi; t++) {
		report("zmm", run_zmm, t, 1e9, "GFLOP/s", ghz, 64);
		report("ymm", run_ymm, t, 1e9, "GFLOP/s", ghz, 32);
	}
	return 0;
}
