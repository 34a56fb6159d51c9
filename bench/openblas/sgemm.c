// OpenBLAS reference figures: cblas_sgemm (row-major) on the MLP shapes and
// cubes, and one-image 784-256-10 inference with sgemv -> ReLU -> sgemv.
// Threads come from OPENBLAS_NUM_THREADS; the kernel OpenBLAS picked is
// printed, since OPENBLAS_CORETYPE can force an older one.
//
// Build: gcc -O2 -o sgemm sgemm.c -lopenblas
// Run:   OPENBLAS_NUM_THREADS=1 ./sgemm [reps]
//        ./sgemm core      (prints only the kernel name OpenBLAS picked)
#include <cblas.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int reps = 7;               // timed runs per figure (>= 5)
static const double min_run = 0.05; // seconds per timed run: tiny shapes loop

static double now(void) {
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static int cmp(const void *a, const void *b) {
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static float *randvec(size_t n, unsigned *seed) {
	float *x = aligned_alloc(64, (n * sizeof(float) + 63) / 64 * 64);
	for (size_t i = 0; i < n; i++)
		x[i] = 2.0f * rand_r(seed) / RAND_MAX - 1.0f;
	return x;
}

// Seconds per call of fn(arg): reps runs, each long enough to time; sorted.
static void time_calls(void (*fn)(void *), void *arg, double *sec) {
	fn(arg); // warm up caches and the thread pool
	long n = 1;
	for (;;) { // calibrate calls per run
		double t0 = now();
		for (long i = 0; i < n; i++)
			fn(arg);
		double t = now() - t0;
		if (t >= min_run / 4)
			break;
		n *= 4;
	}
	for (int r = 0; r < reps; r++) {
		double t0 = now();
		for (long i = 0; i < n; i++)
			fn(arg);
		double t = now() - t0;
		if (t < min_run) { // first runs after calibration can be short
			long more = (long)(n * (min_run / t)) + 1;
			t0 = now();
			for (long i = 0; i < more; i++)
				fn(arg);
			t = now() - t0;
			sec[r] = t / more;
		} else {
			sec[r] = t / n;
		}
	}
	qsort(sec, reps, sizeof sec[0], cmp);
}

struct gemm {
	int ta, tb, m, n, k;
	float *a, *b, *c;
};

static void run_gemm(void *p) {
	struct gemm *g = p;
	int lda = g->ta ? g->m : g->k; // A is M×K, stored K×M when transposed
	int ldb = g->tb ? g->k : g->n; // B is K×N, stored N×K when transposed
	cblas_sgemm(CblasRowMajor, g->ta ? CblasTrans : CblasNoTrans, g->tb ? CblasTrans : CblasNoTrans,
	            g->m, g->n, g->k, 1.0f, g->a, lda, g->b, ldb, 0.0f, g->c, g->n);
}

static void bench_gemm(int ta, int tb, int m, int n, int k) {
	unsigned seed = 1;
	struct gemm g = {ta, tb, m, n, k, randvec((size_t)m * k, &seed), randvec((size_t)k * n, &seed),
	                 randvec((size_t)m * n, &seed)};
	double sec[64];
	time_calls(run_gemm, &g, sec);
	double fl = 2.0 * m * n * k / 1e9;
	printf("sgemm threads=%d trans=%c%c M=%d N=%d K=%d best_gflops=%.2f median_gflops=%.2f "
	       "worst_gflops=%.2f median_us=%.3f reps=%d\n",
	       openblas_get_num_threads(), ta ? 'T' : 'N', tb ? 'T' : 'N', m, n, k, fl / sec[0],
	       fl / sec[reps / 2], fl / sec[reps - 1], sec[reps / 2] * 1e6, reps);
	fflush(stdout);
	free(g.a);
	free(g.b);
	free(g.c);
}

// 784-256-10 MLP, one image: h = relu(W1·x + b1); y = W2·h + b2.
// W1 is 256×784 and W2 10×256, row-major (nn.Linear layout).
enum { IN = 784, HID = 256, OUT = 10, NIMG = 512 };

struct mlp {
	float *w1, *b1, *w2, *b2, *x, *h, *y;
	int next; // cycles through NIMG inputs so x is not always hot in L1
};

static void run_infer(void *p) {
	struct mlp *q = p;
	const float *x = q->x + (size_t)q->next * IN;
	q->next = (q->next + 1) % NIMG;
	memcpy(q->h, q->b1, HID * sizeof(float));
	cblas_sgemv(CblasRowMajor, CblasNoTrans, HID, IN, 1.0f, q->w1, IN, x, 1, 1.0f, q->h, 1);
	for (int i = 0; i < HID; i++)
		q->h[i] = q->h[i] > 0 ? q->h[i] : 0;
	memcpy(q->y, q->b2, OUT * sizeof(float));
	cblas_sgemv(CblasRowMajor, CblasNoTrans, OUT, HID, 1.0f, q->w2, HID, q->h, 1, 1.0f, q->y, 1);
}

static void bench_infer(void) {
	unsigned seed = 2;
	struct mlp q = {randvec(HID * IN, &seed), randvec(HID, &seed), randvec(OUT * HID, &seed),
	                randvec(OUT, &seed), randvec((size_t)NIMG * IN, &seed), randvec(HID, &seed),
	                randvec(OUT, &seed), 0};
	double sec[64];
	time_calls(run_infer, &q, sec);
	printf("infer1 threads=%d net=784-256-10 best_us=%.3f median_us=%.3f worst_us=%.3f reps=%d\n",
	       openblas_get_num_threads(), sec[0] * 1e6, sec[reps / 2] * 1e6, sec[reps - 1] * 1e6, reps);
	fflush(stdout);
}

int main(int argc, char **argv) {
	if (argc > 1 && strcmp(argv[1], "core") == 0) {
		printf("%s\n", openblas_get_corename());
		return 0;
	}
	if (argc > 1)
		reps = atoi(argv[1]);
	if (reps < 1 || reps > 64) {
		fprintf(stderr, "reps must be in 1..64\n");
		return 2;
	}
	const char *ct = getenv("OPENBLAS_CORETYPE"), *l2 = getenv("OPENBLAS_L2_SIZE");
	printf("openblas-corename: %s\n", openblas_get_corename());
	printf("openblas-config: %s\n", openblas_get_config());
	printf("openblas-threads: %d\n", openblas_get_num_threads());
	printf("env-OPENBLAS_CORETYPE: %s\n", ct ? ct : "(unset)");
	printf("env-OPENBLAS_L2_SIZE: %s\n", l2 ? l2 : "(unset)");

	// MLP shapes at batch 256 and 1, in the transposes a 784-256-10 MLP
	// uses (X·Wᵀ forward, dYᵀ·X for weight gradients, dY·W for input
	// gradients); cubes without transpose.
	static const int mlp[][3] = {{256, 256, 784}, {256, 784, 256}, {784, 256, 256},
	                             {256, 10, 256},  {1, 256, 784},   {1, 10, 256}};
	static const int tr[][2] = {{0, 0}, {0, 1}, {1, 0}};
	for (int t = 0; t < 3; t++)
		for (int s = 0; s < 6; s++)
			bench_gemm(tr[t][0], tr[t][1], mlp[s][0], mlp[s][1], mlp[s][2]);
	static const int cube[] = {512, 1024, 2048};
	for (int s = 0; s < 3; s++)
		bench_gemm(0, 0, cube[s], cube[s], cube[s]);
	bench_infer();
	return 0;
}
