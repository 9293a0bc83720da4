/* SPDX-License-Identifier: MIT */
/*
 * cpu.fp: double-precision matrix multiply C = A * B of n x n, blocked for
 * the cache (the dgemm kernel of every FP benchmark); us per multiply, with
 * the rate as the extra gflops. Hardware virtualization runs it natively;
 * binary translation turns each SSE/AVX instruction into helper code. The
 * inputs are small integers, so every product is exact and the result is
 * checked exactly: its total against the closed form sum_k colsum(A)_k *
 * rowsum(B)_k, and one element against a plain dot product.
 */
#include "../bench.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BLK 32

enum { P_N };

struct fp_state {
	double *a, *b, *c;
	size_t n;
	double total;   /* the sum of all of C, known in advance */
};

static int fp_setup(struct vb_inst *in, char *why, size_t whylen)
{
	struct fp_state *s = calloc(1, sizeof(*s));
	long long n = in->param[P_N];

	if (!s) {
		snprintf(why, whylen, "out of memory");
		return -1;
	}
	in->priv = s;
	s->n = (size_t)n;
	s->a = malloc(s->n * s->n * sizeof(double));
	s->b = malloc(s->n * s->n * sizeof(double));
	s->c = malloc(s->n * s->n * sizeof(double));
	if (!s->a || !s->b || !s->c) {
		snprintf(why, whylen, "cannot allocate 3 matrices of %lld^2", n);
		return -1;
	}
	for (size_t i = 0; i < s->n; i++)
		for (size_t j = 0; j < s->n; j++) {
			s->a[i * s->n + j] = (double)((int)((i + 2 * j) % 7) - 3);
			s->b[i * s->n + j] = (double)((int)((3 * i + j) % 5) - 2);
		}
	for (size_t k = 0; k < s->n; k++) {
		double cola = 0, rowb = 0;

		for (size_t i = 0; i < s->n; i++) {
			cola += s->a[i * s->n + k];
			rowb += s->b[k * s->n + i];
		}
		s->total += cola * rowb;
	}
	return 0;
}

static void dgemm(const double *a, const double *b, double *c, size_t n)
{
	memset(c, 0, n * n * sizeof(*c));
	for (size_t ii = 0; ii < n; ii += BLK)
		for (size_t kk = 0; kk < n; kk += BLK)
			for (size_t jj = 0; jj < n; jj += BLK) {
				size_t ie = ii + BLK < n ? ii + BLK : n;
				size_t ke = kk + BLK < n ? kk + BLK : n;
				size_t je = jj + BLK < n ? jj + BLK : n;

				for (size_t i = ii; i < ie; i++)
					for (size_t k = kk; k < ke; k++) {
						double aik = a[i * n + k];

						for (size_t j = jj; j < je; j++)
							c[i * n + j] += aik * b[k * n + j];
					}
			}
}

static int fp_check(const struct fp_state *s, char *why, size_t whylen)
{
	size_t n = s->n, r = n - 1, col = n / 2;
	double total = 0, dot = 0;

	for (size_t i = 0; i < n * n; i++)
		total += s->c[i];
	for (size_t k = 0; k < n; k++)
		dot += s->a[r * n + k] * s->b[k * n + col];
	if (total != s->total || s->c[r * n + col] != dot) {
		snprintf(why, whylen, "dgemm result wrong: total %g (expected %g)", total,
			 s->total);
		return -1;
	}
	return 0;
}

static int fp_run(struct vb_inst *in, uint64_t iters, char *why, size_t whylen)
{
	struct fp_state *s = in->priv;
	uint64_t t0 = vb_now_ns(), ns;

	for (uint64_t it = 0; it < iters; it++) {
		dgemm(s->a, s->b, s->c, s->n);
		VB_KEEP(s->c);
	}
	ns = vb_now_ns() - t0;
	if (iters && fp_check(s, why, whylen))
		return -1;
	vb_extra_set(in, "gflops", 2.0 * (double)s->n * (double)s->n * (double)s->n *
					   (double)iters / (double)(ns ? ns : 1));
	return 0;
}

static void fp_teardown(struct vb_inst *in)
{
	struct fp_state *s = in->priv;

	if (s) {
		free(s->a);
		free(s->b);
		free(s->c);
		free(s);
	}
	in->priv = NULL;
}

const struct vb_workload vb_wl_cpu_fp = {
	.name = "cpu.fp",
	.desc = "blocked double-precision matrix multiply (dgemm) of n x n, exact check",
	.version = 1,
	.metric = VB_US_PER_OP,
	.dir = VB_LOWER_IS_BETTER,
	.min_iters = 1,
	.params = { { "n", 128, 1, 4096, "rows and columns", "matrix order" } },
	.setup = fp_setup,
	.run = fp_run,
	.teardown = fp_teardown,
};
