/*
 * Fused linear attention on positive features given in log space (φ = exp(ℓ)), float32:
 * out = Σ_j exp(ℓq_i + ℓk_j) v_j / Σ_j exp(ℓq_i + ℓk_j) over every key (non-causal) or j <= i (causal),
 * with the same exact stabilisation as core's composed path: keys are shifted per feature by their
 * maximum c_r over the keys a query sees, queries by the row maximum t_i of ℓq_i + c, so every factor
 * is at most 1 and the largest term of every denominator is exactly 1.
 *
 * Non-causal runs in two threaded phases around two GEMMs (src/backend.ts drives them):
 *   keys:    c = column max of ℓK, φK = exp(ℓK − c), z = Σ_j φK_j   (threads split 16-feature blocks)
 *   [GEMM]   S = φKᵀ V
 *   queries: φQ_i = exp(ℓq_i + c − t_i) / max(φQ_i·z, 1e-30)           (threads split rows)
 *   [GEMM]   out = φQ S
 * Causal is one sequential pass per (batch, block of value columns), a thread per block: for each
 * row i, the running per-feature maximum c over keys j <= i grows with key i (the rows of the prefix
 * state S = Σ φ(k) vᵀ and of z = Σ φ(k) whose maximum grew are rescaled by exp(c_old − c_new) <= 1,
 * as online softmax does), then S and the query's product are updated in one sweep over S. Every
 * key is shifted by the maximum over exactly the keys query i sees: no key is ever out-shifted by a
 * later one.
 */
#include "common.h"
#include "vexp32.h"

static inline float hsum(v128_t v) {
  return (wasm_f32x4_extract_lane(v, 0) + wasm_f32x4_extract_lane(v, 1)) +
         (wasm_f32x4_extract_lane(v, 2) + wasm_f32x4_extract_lane(v, 3));
}

/* 1 / max(den, 1e-30), NaN propagating (den is 0 only without keys, then the numerator is 0 too). */
static inline float inv_den(float den) { return den != den ? den : 1.0f / (den > 1e-30f ? den : 1e-30f); }

/*
 * One query's weights, shared by both paths: ℓq += c in place, φq = exp(ℓq − t) with t the largest
 * term (so that term is exactly 1), and 1 / Σ φq z.
 */
static inline __attribute__((always_inline)) float query_weights(const float *lqIn, float *lq, const float *c, const float *z,
                                                                 float *pq, int Dp, const ExpK *e) {
  v128_t mx = wasm_f32x4_splat(-__builtin_inff());
  for (int r = 0; r < Dp; r += 4) {
    const v128_t s = wasm_f32x4_add(wasm_v128_load(lqIn + r), wasm_v128_load(c + r));
    wasm_v128_store(lq + r, s);
    mx = wasm_f32x4_max(mx, s);
  }
  const v128_t t = wasm_f32x4_splat(hmax(mx));
  /* Two vectors per step: exp's dependency chains of both overlap, and den has two accumulators. */
  v128_t den0 = e->zero, den1 = e->zero;
  int r = 0;
  for (; r + 8 <= Dp; r += 8) {
    const v128_t p0 = exp_nonpos_f32x4(wasm_f32x4_sub(wasm_v128_load(lq + r), t), e);
    const v128_t p1 = exp_nonpos_f32x4(wasm_f32x4_sub(wasm_v128_load(lq + r + 4), t), e);
    wasm_v128_store(pq + r, p0);
    wasm_v128_store(pq + r + 4, p1);
    den0 = wasm_f32x4_add(den0, wasm_f32x4_mul(p0, wasm_v128_load(z + r)));
    den1 = wasm_f32x4_add(den1, wasm_f32x4_mul(p1, wasm_v128_load(z + r + 4)));
  }
  if (r < Dp) {
    const v128_t p = exp_nonpos_f32x4(wasm_f32x4_sub(wasm_v128_load(lq + r), t), e);
    wasm_v128_store(pq + r, p);
    den0 = wasm_f32x4_add(den0, wasm_f32x4_mul(p, wasm_v128_load(z + r)));
  }
  return inv_den(hsum(wasm_f32x4_add(den0, den1)));
}

/* Copies a row of D floats into a buffer padded to a multiple of 4 with `pad`. */
static inline void padded_row(const float *src, int D, int Dp, float pad, float *dst) {
  int r = 0;
  for (; r + 4 <= D; r += 4) wasm_v128_store(dst + r, wasm_v128_load(src + r));
  for (; r < D; r++) dst[r] = src[r];
  for (; r < Dp; r++) dst[r] = pad;
}

/*
 * Keys phase. Job: 0 kind, 1 batches, 2 m, 3 D, 4 ℓK (batches, m, D), 5 φK out (batches, m, D),
 * 6 c out (batches, D), 7 z out (batches, D). Threads split (batch, block of 16 features) units:
 * a block is one 64-byte line of each row.
 */
void la_keys_f32_job(const i32 *job, int tid, int nt) {
  const int batches = job[1], m = job[2], D = job[3];
  const float *LK = (const float *)job[4];
  float *PK = (float *)job[5], *C = (float *)job[6], *Z = (float *)job[7];
  const ExpK e = exp_consts();
  const int groups = (D + 15) / 16;
  int u0, u1;
  share(batches * groups, tid, nt, &u0, &u1);
  for (int u = u0; u < u1; u++) {
    const int b = u / groups, r0 = (u % groups) * 16, w = imin(16, D - r0);
    const float *lk = LK + (i64)b * m * D + r0;
    float *pk = PK + (i64)b * m * D + r0;
    if (w == 16) {
      v128_t m0 = wasm_f32x4_splat(-__builtin_inff()), m1 = m0, m2 = m0, m3 = m0;
      for (int j = 0; j < m; j++) {
        const float *row = lk + (i64)j * D;
        m0 = wasm_f32x4_max(m0, wasm_v128_load(row));
        m1 = wasm_f32x4_max(m1, wasm_v128_load(row + 4));
        m2 = wasm_f32x4_max(m2, wasm_v128_load(row + 8));
        m3 = wasm_f32x4_max(m3, wasm_v128_load(row + 12));
      }
      v128_t z0 = e.zero, z1 = e.zero, z2 = e.zero, z3 = e.zero;
      for (int j = 0; j < m; j++) {
        const float *row = lk + (i64)j * D;
        float *out = pk + (i64)j * D;
        const v128_t p0 = exp_nonpos_f32x4(wasm_f32x4_sub(wasm_v128_load(row), m0), &e);
        const v128_t p1 = exp_nonpos_f32x4(wasm_f32x4_sub(wasm_v128_load(row + 4), m1), &e);
        const v128_t p2 = exp_nonpos_f32x4(wasm_f32x4_sub(wasm_v128_load(row + 8), m2), &e);
        const v128_t p3 = exp_nonpos_f32x4(wasm_f32x4_sub(wasm_v128_load(row + 12), m3), &e);
        wasm_v128_store(out, p0);
        wasm_v128_store(out + 4, p1);
        wasm_v128_store(out + 8, p2);
        wasm_v128_store(out + 12, p3);
        z0 = wasm_f32x4_add(z0, p0);
        z1 = wasm_f32x4_add(z1, p1);
        z2 = wasm_f32x4_add(z2, p2);
        z3 = wasm_f32x4_add(z3, p3);
      }
      float *c = C + (i64)b * D + r0, *z = Z + (i64)b * D + r0;
      wasm_v128_store(c, m0);
      wasm_v128_store(c + 4, m1);
      wasm_v128_store(c + 8, m2);
      wasm_v128_store(c + 12, m3);
      wasm_v128_store(z, z0);
      wasm_v128_store(z + 4, z1);
      wasm_v128_store(z + 8, z2);
      wasm_v128_store(z + 12, z3);
    } else {
      for (int q = 0; q < w; q++) {
        float mx = -__builtin_inff();
        for (int j = 0; j < m; j++) mx = fmaxp(mx, lk[(i64)j * D + q]);
        float z = 0.0f;
        for (int j = 0; j < m; j++) {
          const float p = wasm_f32x4_extract_lane(exp_nonpos_f32x4(wasm_f32x4_splat(lk[(i64)j * D + q] - mx), &e), 0);
          pk[(i64)j * D + q] = p;
          z += p;
        }
        C[(i64)b * D + r0 + q] = mx;
        Z[(i64)b * D + r0 + q] = z;
      }
    }
  }
}

/*
 * Queries phase. Job: 0 kind, 1 batches, 2 n, 3 D, 4 ℓQ (batches, n, D), 5 c (batches, D),
 * 6 z (batches, D), 7 φQ out (batches, n, D), already divided by the row's denominator,
 * 8 scratch (4·⌈D/4⌉ floats per thread). Threads split the rows.
 */
void la_queries_f32_job(const i32 *job, int tid, int nt) {
  const int batches = job[1], n = job[2], D = job[3];
  const float *LQ = (const float *)job[4], *C = (const float *)job[5], *Z = (const float *)job[6];
  float *PQ = (float *)job[7];
  const int Dp = (D + 3) & ~3;
  float *a = (float *)job[8] + (i64)tid * 4 * Dp;
  float *cp = a + Dp, *zp = a + 2 * Dp, *pq = a + 3 * Dp;
  const ExpK e = exp_consts();
  int u0, u1;
  share(batches * n, tid, nt, &u0, &u1);
  int lastBatch = -1;
  for (int u = u0; u < u1; u++) {
    const int b = u / n;
    if (b != lastBatch) {
      /* c pads with 0 and z with 0: a padded feature's query term exp(−∞) is 0 times 0. */
      padded_row(C + (i64)b * D, D, Dp, 0.0f, cp);
      padded_row(Z + (i64)b * D, D, Dp, 0.0f, zp);
      lastBatch = b;
    }
    float *out = PQ + (i64)u * D;
    if (D == Dp) {
      /* Whole vectors: read ℓq in place, write φq straight into the output row, scale it there. */
      const v128_t inv = wasm_f32x4_splat(query_weights(LQ + (i64)u * D, a, cp, zp, out, D, &e));
      for (int r = 0; r < D; r += 4) wasm_v128_store(out + r, wasm_f32x4_mul(wasm_v128_load(out + r), inv));
      continue;
    }
    padded_row(LQ + (i64)u * D, D, Dp, -__builtin_inff(), a);
    const v128_t inv = wasm_f32x4_splat(query_weights(a, a, cp, zp, pq, Dp, &e));
    int r = 0;
    for (; r + 4 <= D; r += 4) wasm_v128_store(out + r, wasm_f32x4_mul(wasm_v128_load(pq + r), inv));
    const float iv = wasm_f32x4_extract_lane(inv, 0);
    for (; r < D; r++) out[r] = pq[r] * iv;
  }
}

/*
 * One causal (batch, value-column block) unit: columns [c0, c0 + w) of the output, w <= dv.
 * ws holds c, z, φk, φq, ℓk, ℓq (Dp each), the value row and the output row (wp each), and S (Dp·wp).
 */
static void causal_unit(const float *LQ, const float *LK, const float *V, float *O, int n, int D, int dv, int c0,
                        int w, float *ws, const ExpK *e) {
  const int Dp = (D + 3) & ~3, wp = (w + 3) & ~3;
  float *c = ws, *z = c + Dp, *pk = z + Dp, *pq = pk + Dp, *lk = pq + Dp, *lq = lk + Dp;
  float *vrow = lq + Dp, *orow = vrow + wp, *S = orow + wp;
  for (int r = 0; r < Dp; r++) {
    c[r] = -__builtin_inff();
    z[r] = 0.0f;
  }
  for (int q = 0; q < Dp * wp; q++) S[q] = 0.0f;
  for (int q = w; q < wp; q++) vrow[q] = 0.0f;
  for (int i = 0; i < n; i++) {
    /* Padded features: ℓk 0 (c becomes 0, φk 1, finite sums) and ℓq −∞ (φq 0): they add nothing. */
    padded_row(LK + (i64)i * D, D, Dp, 0.0f, lk);
    padded_row(LQ + (i64)i * D, D, Dp, -__builtin_inff(), lq);
    for (int q = 0; q < w; q++) vrow[q] = V[(i64)i * dv + c0 + q];
    /* Key i joins: grow the running maxima, rescale what they shift, add φ(k_i) to z. */
    for (int r = 0; r < Dp; r += 4) {
      const v128_t k = wasm_v128_load(lk + r), old = wasm_v128_load(c + r);
      const v128_t grown = wasm_f32x4_gt(k, old);
      v128_t cur = old, zr = wasm_v128_load(z + r);
      if (wasm_v128_any_true(grown)) {
        cur = wasm_v128_bitselect(k, old, grown);
        wasm_v128_store(c + r, cur);
        /* exp(−∞) = 0 for a first key: S and z rows are 0 then anyway. */
        const v128_t f = exp_nonpos_f32x4(wasm_f32x4_sub(old, cur), e);
        zr = wasm_f32x4_mul(zr, f);
        const int bits = wasm_i32x4_bitmask(grown);
        for (int l = 0; l < 4; l++) {
          if (!(bits & (1 << l))) continue;
          const float fl = l == 0   ? wasm_f32x4_extract_lane(f, 0)
                           : l == 1 ? wasm_f32x4_extract_lane(f, 1)
                           : l == 2 ? wasm_f32x4_extract_lane(f, 2)
                                    : wasm_f32x4_extract_lane(f, 3);
          const v128_t fv = wasm_f32x4_splat(fl);
          float *row = S + (i64)(r + l) * wp;
          for (int q = 0; q < wp; q += 4) wasm_v128_store(row + q, wasm_f32x4_mul(wasm_v128_load(row + q), fv));
        }
      }
      const v128_t p = exp_nonpos_f32x4(wasm_f32x4_sub(k, cur), e);
      wasm_v128_store(pk + r, p);
      wasm_v128_store(z + r, wasm_f32x4_add(zr, p));
    }
    /* Query i: shift by the largest term t = max_r ℓq_r + c_r, then its denominator. */
    const float inv = query_weights(lq, lq, c, z, pq, Dp, e);
    /* One sweep over S: S_r += φk_r v_i, then out += φq_r S_r (key i is visible to query i). */
    int q0 = 0;
    for (; q0 + 16 <= wp; q0 += 16) {
      const v128_t v0 = wasm_v128_load(vrow + q0), v1 = wasm_v128_load(vrow + q0 + 4);
      const v128_t v2 = wasm_v128_load(vrow + q0 + 8), v3 = wasm_v128_load(vrow + q0 + 12);
      v128_t a0 = e->zero, a1 = e->zero, a2 = e->zero, a3 = e->zero;
      float *Sr = S + q0;
      for (int r = 0; r < Dp; r++, Sr += wp) {
        const v128_t fk = wasm_v128_load32_splat(pk + r), fq = wasm_v128_load32_splat(pq + r);
        const v128_t s0 = wasm_f32x4_add(wasm_v128_load(Sr), wasm_f32x4_mul(fk, v0));
        const v128_t s1 = wasm_f32x4_add(wasm_v128_load(Sr + 4), wasm_f32x4_mul(fk, v1));
        const v128_t s2 = wasm_f32x4_add(wasm_v128_load(Sr + 8), wasm_f32x4_mul(fk, v2));
        const v128_t s3 = wasm_f32x4_add(wasm_v128_load(Sr + 12), wasm_f32x4_mul(fk, v3));
        wasm_v128_store(Sr, s0);
        wasm_v128_store(Sr + 4, s1);
        wasm_v128_store(Sr + 8, s2);
        wasm_v128_store(Sr + 12, s3);
        a0 = wasm_f32x4_add(a0, wasm_f32x4_mul(fq, s0));
        a1 = wasm_f32x4_add(a1, wasm_f32x4_mul(fq, s1));
        a2 = wasm_f32x4_add(a2, wasm_f32x4_mul(fq, s2));
        a3 = wasm_f32x4_add(a3, wasm_f32x4_mul(fq, s3));
      }
      wasm_v128_store(orow + q0, a0);
      wasm_v128_store(orow + q0 + 4, a1);
      wasm_v128_store(orow + q0 + 8, a2);
      wasm_v128_store(orow + q0 + 12, a3);
    }
    for (; q0 < wp; q0 += 4) {
      const v128_t v0 = wasm_v128_load(vrow + q0);
      v128_t a0 = e->zero;
      float *Sr = S + q0;
      for (int r = 0; r < Dp; r++, Sr += wp) {
        const v128_t s0 = wasm_f32x4_add(wasm_v128_load(Sr), wasm_f32x4_mul(wasm_v128_load32_splat(pk + r), v0));
        wasm_v128_store(Sr, s0);
        a0 = wasm_f32x4_add(a0, wasm_f32x4_mul(wasm_v128_load32_splat(pq + r), s0));
      }
      wasm_v128_store(orow + q0, a0);
    }
    float *out = O + (i64)i * dv + c0;
    for (int q = 0; q < w; q++) out[q] = orow[q] * inv;
  }
}

/* Floats of causal scratch one thread needs for value blocks of up to `w` columns. */
EXPORT(la_causal_scratch_floats) int la_causal_scratch_floats(int D, int w) {
  const int Dp = (D + 3) & ~3, wp = (w + 3) & ~3;
  return 6 * Dp + 2 * wp + Dp * wp;
}

/*
 * Causal. Job: 0 kind, 1 batches, 2 n, 3 D, 4 dv, 5 ℓQ (batches, n, D), 6 ℓK (batches, n, D),
 * 7 V (batches, n, dv), 8 out (batches, n, dv), 9 value columns per block (a multiple of 4, or dv),
 * 10 scratch (la_causal_scratch_floats(D, block) floats per thread). Threads split the
 * (batch, block) units; the rows of a unit run in order.
 */
void la_causal_f32_job(const i32 *job, int tid, int nt) {
  const int batches = job[1], n = job[2], D = job[3], dv = job[4], block = job[9];
  const float *LQ = (const float *)job[5], *LK = (const float *)job[6], *V = (const float *)job[7];
  float *O = (float *)job[8];
  float *ws = (float *)job[10] + (i64)tid * la_causal_scratch_floats(D, block);
  const ExpK e = exp_consts();
  const int blocks = (dv + block - 1) / block;
  int u0, u1;
  share(batches * blocks, tid, nt, &u0, &u1);
  for (int u = u0; u < u1; u++) {
    const int b = u / blocks, c0 = (u % blocks) * block;
    causal_unit(LQ + (i64)b * n * D, LK + (i64)b * n * D, V + (i64)b * n * dv, O + (i64)b * n * dv, n, D, dv, c0,
                imin(block, dv - c0), ws, &e);
  }
}

/*
 * Rows with one more column, for the gradient (src/attention-grad.ts): dst_i = [x_i, −x_i · y_i] when
 * y is given (G₁ = [dy, −dy·out]), else [x_i, 1] (V₁ = [v, 1]). x and y are (rows, cols), dst is
 * (rows, cols + 1).
 */
EXPORT(la_augment_rows_f32) void la_augment_rows_f32(const float *x, int rows, int cols, const float *y, float *dst) {
  for (int i = 0; i < rows; i++) {
    const float *xi = x + (i64)i * cols;
    float *di = dst + (i64)i * (cols + 1);
    v128_t acc = wasm_f32x4_splat(0.0f);
    int c = 0;
    if (y != 0) {
      const float *yi = y + (i64)i * cols;
      for (; c + 4 <= cols; c += 4) {
        const v128_t xv = wasm_v128_load(xi + c);
        wasm_v128_store(di + c, xv);
        acc = wasm_f32x4_add(acc, wasm_f32x4_mul(xv, wasm_v128_load(yi + c)));
      }
      float dot = hsum(acc);
      for (; c < cols; c++) {
        di[c] = xi[c];
        dot += xi[c] * yi[c];
      }
      di[cols] = -dot;
    } else {
      for (; c + 4 <= cols; c += 4) wasm_v128_store(di + c, wasm_v128_load(xi + c));
      for (; c < cols; c++) di[c] = xi[c];
      di[cols] = 1.0f;
    }
  }
}
