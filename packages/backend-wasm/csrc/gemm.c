/*
 * Matrix products. float32: a packed, register-blocked SIMD GEMM in the BLIS layout (B panels of
 * KC x NC, A panels of MC x KC, both packed into slivers so the micro-kernel streams them with unit
 * stride; a 6 x 8 micro-kernel keeps 12 f32x4 accumulators in registers). Transposes and batch
 * broadcasting are absorbed by the packing routines (arbitrary row/column strides, per-batch
 * offsets). float64: a plain loop with f64x2 on unit-stride rows.
 *
 * Job record (i32 words), shared with src/jobs.ts:
 *   0 kind, 1 batches, 2 n, 3 m, 4 k, 5 a, 6 b, 7 c, 8 ars, 9 acs, 10 brs, 11 bcs, 12 ldc,
 *   13 c batch stride, 14 a batch offsets, 15 b batch offsets, 16 workspace, 17 workspace bytes
 *   per thread, 18 epilogue (0 none, 1 rff cos, 2 rff cos+sin, 3 squared distances, 4 times F,
 *   5 exp(scale * squared distances)), 19 bias (rff), x row norms (distances) or F (times F: laid
 *   out as C), 20-21 scale (f64, 8-byte aligned; epilogue 5 rounds it to float32), 22 D, 23 y row
 *   norms.
 */
#include "common.h"

#ifndef MR
#define MR 4
#endif
#ifndef NR
#define NR 8
#endif
#ifndef KC
#define KC 256
#endif
#ifndef MC
#define MC 128
#endif
#ifndef NC
#define NC 1024
#endif
#ifndef CHUNKS_PER_THREAD
#define CHUNKS_PER_THREAD 2
#endif

void rff_epilogue_f32(float *c, int ldc, int rows, int cols, const float *bias, double scale, int cosSin, int D);
void sqdist_epilogue_f32(float *c, int ldc, int rows, int cols, const float *xn, const float *yn, int withExp, float rate);

/* Ap[s][p][r] = A[s*MR + r, p], zero-padded to whole slivers. */
static void pack_a(int mc, int kc, const float *A, int ars, int acs, float *Ap) {
  for (int s = 0; s < mc; s += MR) {
    const int mr = imin(MR, mc - s);
    const float *a = A + s * ars;
    if (mr == MR && ars == 1) {
      for (int p = 0; p < kc; p++, Ap += MR) {
        const float *ap = a + p * acs;
        for (int r = 0; r < MR; r++) Ap[r] = ap[r];
      }
    } else {
      for (int p = 0; p < kc; p++, Ap += MR) {
        const float *ap = a + p * acs;
        int r = 0;
        for (; r < mr; r++) Ap[r] = ap[r * ars];
        for (; r < MR; r++) Ap[r] = 0.0f;
      }
    }
  }
}

/* Bp[s][p][c] = B[p, s*NR + c], zero-padded to whole slivers. */
static void pack_b(int kc, int nc, const float *B, int brs, int bcs, float *Bp) {
  for (int s = 0; s < nc; s += NR) {
    const int nr = imin(NR, nc - s);
    const float *b = B + s * bcs;
    if (nr == NR && bcs == 1) {
      for (int p = 0; p < kc; p++, Bp += NR) {
        const float *bp = b + p * brs;
        for (int c = 0; c < NR; c += 4) wasm_v128_store(Bp + c, wasm_v128_load(bp + c));
      }
    } else {
      for (int p = 0; p < kc; p++, Bp += NR) {
        const float *bp = b + p * brs;
        int c = 0;
        for (; c < nr; c++) Bp[c] = bp[c * bcs];
        for (; c < NR; c++) Bp[c] = 0.0f;
      }
    }
  }
}

/*
 * C (MR x NR tile, row stride ldc) = (accumulate ? C : 0) + Ap-sliver · Bp-sliver over kc.
 * The loops over the tile are fully unrolled, so clang keeps the MR·NR/4 accumulators in wasm locals
 * (registers once V8 compiles it); mul + add, as wasm SIMD128 has no fused multiply-add.
 */
static inline void micro_kernel(int kc, const float *Ap, const float *Bp, float *C, int ldc, int accumulate) {
  v128_t acc[MR][NR / 4];
#pragma clang loop unroll(full)
  for (int r = 0; r < MR; r++)
#pragma clang loop unroll(full)
    for (int c = 0; c < NR / 4; c++) acc[r][c] = wasm_f32x4_splat(0.0f);
#ifdef KUNROLL
#pragma clang loop unroll_count(KUNROLL)
#endif
  for (int p = 0; p < kc; p++, Ap += MR, Bp += NR) {
    v128_t b[NR / 4];
#pragma clang loop unroll(full)
    for (int c = 0; c < NR / 4; c++) b[c] = wasm_v128_load(Bp + 4 * c);
#if MR == 4 && defined(SPLAT_SHUFFLE)
    const v128_t av = wasm_v128_load(Ap);
#endif
#pragma clang loop unroll(full)
    for (int r = 0; r < MR; r++) {
#if MR == 4 && defined(SPLAT_SHUFFLE)
      const v128_t a = r == 0 ? wasm_i32x4_shuffle(av, av, 0, 0, 0, 0) : r == 1 ? wasm_i32x4_shuffle(av, av, 1, 1, 1, 1) : r == 2 ? wasm_i32x4_shuffle(av, av, 2, 2, 2, 2) : wasm_i32x4_shuffle(av, av, 3, 3, 3, 3);
#else
      const v128_t a = wasm_v128_load32_splat(Ap + r);
#endif
#pragma clang loop unroll(full)
      for (int c = 0; c < NR / 4; c++) acc[r][c] = wasm_f32x4_add(acc[r][c], wasm_f32x4_mul(a, b[c]));
    }
  }
#pragma clang loop unroll(full)
  for (int r = 0; r < MR; r++)
#pragma clang loop unroll(full)
    for (int c = 0; c < NR / 4; c++) {
      float *cr = C + r * ldc + 4 * c;
      wasm_v128_store(cr, accumulate ? wasm_f32x4_add(wasm_v128_load(cr), acc[r][c]) : acc[r][c]);
    }
}

/* A partial tile (mr < MR or nr < NR) through a full-size scratch tile. */
static void micro_edge(int kc, const float *Ap, const float *Bp, float *C, int ldc, int mr, int nr, int accumulate) {
  float tile[MR * NR] __attribute__((aligned(16)));
  micro_kernel(kc, Ap, Bp, tile, NR, 0);
  for (int r = 0; r < mr; r++)
    for (int c = 0; c < nr; c++) C[r * ldc + c] = accumulate ? C[r * ldc + c] + tile[r * NR + c] : tile[r * NR + c];
}

/* The job's epilogue on the finished block C[i0 .. i0+rows, jc .. jc+cols) of matrix t (in cache still). */
static void epilogue_block(const i32 *job, int t, int k, float *C, int ldc, int i0, int rows, int jc, int cols) {
  const int epilogue = job[18];
  if (epilogue == 1 || epilogue == 2) {
    const double scale = *(const double *)&job[20];
    rff_epilogue_f32(C + i0 * ldc + jc, ldc, rows, cols, (const float *)job[19] + jc, scale, epilogue == 2, job[22]);
  } else if (epilogue == 4) {
    /* elementwise product with F, laid out as C (same ldc and batch stride) */
    const float *f = (const float *)job[19] + t * job[13] + i0 * ldc + jc;
    float *c = C + i0 * ldc + jc;
    for (int i = 0; i < rows; i++, c += ldc, f += ldc) {
      int j = 0;
      for (; j + 4 <= cols; j += 4) wasm_v128_store(c + j, wasm_f32x4_mul(wasm_v128_load(c + j), wasm_v128_load(f + j)));
      for (; j < cols; j++) c[j] *= f[j];
    }
  } else if (epilogue == 3 || epilogue == 5) {
    /* norms are indexed like the rows of x and y: batch offset / d + row */
    const i32 *aoffs = (const i32 *)job[14], *boffs = (const i32 *)job[15];
    const float *xn = (const float *)job[19] + aoffs[t] / k + i0;
    const float *yn = (const float *)job[23] + boffs[t] / k + jc;
    const float rate = epilogue == 5 ? (float)*(const double *)&job[20] : 0.0f;
    sqdist_epilogue_f32(C + i0 * ldc + jc, ldc, rows, cols, xn, yn, epilogue == 5, rate);
  }
}

/*
 * Rows [r0, r1) of C = op(A) op(B) for one matrix; Ap/Bp are this thread's packing buffers. The
 * epilogue runs on each MC x NC block right after its last k panel, while the block is in cache.
 */
static void sgemm_rows(int r0, int r1, int m, int k, const float *A, int ars, int acs, const float *B, int brs, int bcs, float *C, int ldc,
                       float *Ap, float *Bp, const i32 *job, int t) {
  if (r0 >= r1 || m == 0) return;
  const int epilogue = job[18];
  if (k == 0) {
    for (int i = r0; i < r1; i++)
      for (int j = 0; j < m; j++) C[i * ldc + j] = 0.0f;
    if (epilogue != 0)
      for (int jc = 0; jc < m; jc += NC) epilogue_block(job, t, k, C, ldc, r0, r1 - r0, jc, imin(NC, m - jc));
    return;
  }
  for (int jc = 0; jc < m; jc += NC) {
    const int nc = imin(NC, m - jc);
    for (int pc = 0; pc < k; pc += KC) {
      const int kc = imin(KC, k - pc);
      pack_b(kc, nc, B + pc * brs + jc * bcs, brs, bcs, Bp);
      for (int ic = r0; ic < r1; ic += MC) {
        const int mc = imin(MC, r1 - ic);
        pack_a(mc, kc, A + ic * ars + pc * acs, ars, acs, Ap);
        for (int jr = 0; jr < nc; jr += NR) {
          const int nr = imin(NR, nc - jr);
          const float *bp = Bp + jr * kc;
          for (int ir = 0; ir < mc; ir += MR) {
            const int mr = imin(MR, mc - ir);
            float *c = C + (ic + ir) * ldc + jc + jr;
            if (mr == MR && nr == NR) micro_kernel(kc, Ap + ir * kc, bp, c, ldc, pc > 0);
            else micro_edge(kc, Ap + ir * kc, bp, c, ldc, mr, nr, pc > 0);
          }
        }
        if (epilogue != 0 && pc + kc >= k) epilogue_block(job, t, k, C, ldc, ic, mc, jc, nc);
      }
    }
  }
}

/*
 * Rows [r0, r1) of a product with at most TINY_OUTPUTS outputs per matrix (e.g. the batched 1 x k x 1
 * dot products of attention gradients): plain dot products, f32x4 when both operands run with unit
 * stride along k. Packing would move k * (MR + NR) floats and run a padded MR x NR tile for each
 * one-element output, which cost ten times the products themselves.
 */
#define TINY_OUTPUTS 16
static void sgemm_tiny(int r0, int r1, int m, int k, const float *A, int ars, int acs, const float *B, int brs, int bcs, float *C, int ldc) {
  for (int i = r0; i < r1; i++) {
    for (int j = 0; j < m; j++) {
      const float *a = A + i * ars, *b = B + j * bcs;
      float s = 0.0f;
      int p = 0;
      if (acs == 1 && brs == 1) {
        v128_t acc = wasm_f32x4_splat(0.0f);
        for (; p + 4 <= k; p += 4) acc = wasm_f32x4_add(acc, wasm_f32x4_mul(wasm_v128_load(a + p), wasm_v128_load(b + p)));
        s = (wasm_f32x4_extract_lane(acc, 0) + wasm_f32x4_extract_lane(acc, 1)) + (wasm_f32x4_extract_lane(acc, 2) + wasm_f32x4_extract_lane(acc, 3));
      }
      for (; p < k; p++) s += a[p * acs] * b[p * brs];
      C[i * ldc + j] = s;
    }
  }
}

/*
 * Work split: whole matrices when there are enough of them, else each matrix's rows in MR-aligned
 * chunks, so both a batch of small products and one large product use every thread. Threads take
 * units from a shared counter (job word 31, zeroed with the record) rather than a fixed half each:
 * the two cores of a virtual machine often run at different speeds, and a static split waits for
 * the slower one. Each chunk packs its own B panels (k x m floats), so a chunk is CHUNKS_PER_THREAD
 * shares of the rows per thread (at least MC rows, or one thread's share when that is smaller):
 * at 1024 x 1024 on two threads, chunks of 256 rows instead of 128 halved the packing and cut the
 * two threads' extra CPU over one thread from about 18% to 9%.
 */
static void split_units(const i32 *job, int nt, int *chunkRows, int *chunks) {
  const int batches = job[1], n = job[2];
  int rows = n;
  if (nt > 1 && batches < 2 * nt && n > 0) {
    const int share = ((n + nt - 1) / nt + MR - 1) / MR * MR;
    const int per = (n + CHUNKS_PER_THREAD * nt - 1) / (CHUNKS_PER_THREAD * nt);
    rows = imax(imin(MC, share), (per + MR - 1) / MR * MR);
    if (rows < MR) rows = MR;
  }
  *chunkRows = rows > 0 ? rows : 1;
  *chunks = n > 0 ? (n + *chunkRows - 1) / *chunkRows : 0;
}

#define GEMM_NEXT_UNIT 31

void gemm_f32_job(const i32 *job, int tid, int nt) {
  const int batches = job[1], n = job[2], m = job[3], k = job[4];
  const float *A = (const float *)job[5], *B = (const float *)job[6];
  float *C = (float *)job[7];
  const i32 *aoffs = (const i32 *)job[14], *boffs = (const i32 *)job[15];
  float *Ap = (float *)(job[16] + tid * job[17]);
  float *Bp = Ap + MC * KC;
  int chunkRows, chunks;
  split_units(job, nt, &chunkRows, &chunks);
  const int units = batches * chunks;
  i32 *next = (i32 *)&job[GEMM_NEXT_UNIT];
  for (int u = __atomic_fetch_add(next, 1, __ATOMIC_RELAXED); u < units; u = __atomic_fetch_add(next, 1, __ATOMIC_RELAXED)) {
    const int t = u / chunks, ch = u % chunks;
    const int r0 = ch * chunkRows, r1 = imin(n, r0 + chunkRows);
    if (n * m <= TINY_OUTPUTS && job[18] == 0)
      sgemm_tiny(r0, r1, m, k, A + aoffs[t], job[8], job[9], B + boffs[t], job[10], job[11], C + t * job[13], job[12]);
    else
      sgemm_rows(r0, r1, m, k, A + aoffs[t], job[8], job[9], B + boffs[t], job[10], job[11], C + t * job[13], job[12], Ap, Bp, job, t);
  }
}

/* float64: for each output row, C[i, :] = sum_p A[i, p] * B[p, :], f64x2 when B rows are unit-stride. */
void gemm_f64_job(const i32 *job, int tid, int nt) {
  const int batches = job[1], n = job[2], m = job[3], k = job[4];
  const double *A0 = (const double *)job[5], *B0 = (const double *)job[6];
  double *C0 = (double *)job[7];
  const int ars = job[8], acs = job[9], brs = job[10], bcs = job[11], ldc = job[12];
  const i32 *aoffs = (const i32 *)job[14], *boffs = (const i32 *)job[15];
  int u0, u1;
  share(batches * n, tid, nt, &u0, &u1);
  for (int u = u0; u < u1; u++) {
    const int t = u / (n > 0 ? n : 1), i = u % (n > 0 ? n : 1);
    const double *A = A0 + aoffs[t] + i * ars, *B = B0 + boffs[t];
    double *c = C0 + t * job[13] + i * ldc;
    for (int j = 0; j < m; j++) c[j] = 0.0;
    for (int p = 0; p < k; p++) {
      const double a = A[p * acs];
      const double *b = B + p * brs;
      if (bcs == 1) {
        const v128_t av = wasm_f64x2_splat(a);
        int j = 0;
        for (; j + 2 <= m; j += 2) wasm_v128_store(c + j, wasm_f64x2_add(wasm_v128_load(c + j), wasm_f64x2_mul(av, wasm_v128_load(b + j))));
        for (; j < m; j++) c[j] += a * b[j];
      } else {
        for (int j = 0; j < m; j++) c[j] += a * b[j * bcs];
      }
    }
  }
}

/* Bytes of packing workspace one thread needs for gemm_f32_job (A block + B panel). */
EXPORT(gemm_workspace_bytes) int gemm_workspace_bytes(void) { return (MC * KC + KC * NC) * (int)sizeof(float); }
