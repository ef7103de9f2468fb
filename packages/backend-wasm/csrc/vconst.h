/*
 * The constants of the vector math (vmath.h), stored in memory as f64x2/i64x2 pairs and loaded
 * where used. Immediate v128 constants would be rematerialised at every use inside the loops
 * (several instructions each in V8); a load from this table is one instruction and LLVM may keep
 * the loaded value in a register across a loop.
 */
#ifndef SPECTRANS_VCONST_H
#define SPECTRANS_VCONST_H
#include "common.h"

enum {
  K_TWO_OVER_PI,
  K_PIO2_1,
  K_PIO2_2,
  K_PIO2_3,
  K_S11,
  K_S9,
  K_S7,
  K_S5,
  K_S3,
  K_C12,
  K_C10,
  K_C8,
  K_C6,
  K_C4,
  K_C2,
  K_ONE,
  K_TRIG_LIMIT,
  K_EXP_LO,
  K_EXP_HI,
  K_LOG2E,
  K_LN2_HI,
  K_LN2_LO,
  K_E10,
  K_E9,
  K_E8,
  K_E7,
  K_E6,
  K_E5,
  K_E4,
  K_E3,
  K_E2,
  K_TWO,
  K_LOG_C17,
  K_LOG_C15,
  K_LOG_C13,
  K_LOG_C11,
  K_LOG_C9,
  K_LOG_C7,
  K_LOG_C5,
  K_LOG_C3,
  K_INF,
  K_NEG_INF,
  K_NAN
};
enum {
  K_I_ONE,
  K_I_TWO,
  K_I_SIGN,
  K_I_BIAS,
  K_I_SQRT_HALF,
  K_I_EXP_FIELD
};

/* float32 exp (vexp32.h): one value each, loaded with a splat. */
enum {
  E32_LN2_HI,
  E32_LN2_LO,
  E32_LOG2E,
  E32_LO,
  E32_WIDE_LO,
  E32_WIDE_HI,
  E32_P7,
  E32_P6,
  E32_P5,
  E32_P4,
  E32_P3,
  E32_P2,
  E32_ROUND,
  E32_COUNT
};

/* Defined in vconst.c: kept out of the kernels' translation units so the values are not folded. */
extern const double spectrans_vm_f64[];
extern const i64 spectrans_vm_i64[];
extern const float spectrans_exp32[E32_COUNT];

#define KF(name) wasm_v128_load(&spectrans_vm_f64[2 * (name)])
#define KI(name) wasm_v128_load(&spectrans_vm_i64[2 * (name)])

#endif
