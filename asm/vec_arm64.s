//go:build !purego

#include "textflag.h"

// Go's assembler lacks most NEON floating-point instructions: they are
// WORD-encoded, each with its instruction in a comment.

// The constants of kernels.Exp and kernels.Log (float32 bits), in the order
// the softmax kernel loads them.
DATA consts<>+0(SB)/4, $0xc2d00000  // V20 expLo
DATA consts<>+4(SB)/4, $0x42b20000  // V21 expHi
DATA consts<>+8(SB)/4, $0x3fb8aa3b  // V22 log2e
DATA consts<>+12(SB)/4, $0x3f318000 // V23 ln2Hi
DATA consts<>+16(SB)/4, $0xb95e8083 // V24 ln2Lo
DATA consts<>+20(SB)/4, $0x39506967 // V25 expC0
DATA consts<>+24(SB)/4, $0x3ab743ce // V26 expC1
DATA consts<>+28(SB)/4, $0x3c088908 // V27 expC2
DATA consts<>+32(SB)/4, $0x3d2aa9c1 // V28 expC3
DATA consts<>+36(SB)/4, $0x3e2aaaaa // V29 expC4
DATA consts<>+40(SB)/4, $0x3f000000 // V30 expC5
DATA consts<>+44(SB)/4, $0x3f800000 // V31 one
DATA consts<>+48(SB)/4, $127        // V19 exponent bias
DATA consts<>+52(SB)/4, $0xff800000 // V18 -Inf
DATA consts<>+56(SB)/4, $0x004afb0d // logK = 0x3f800000 - sqrtHalfBits
DATA consts<>+60(SB)/4, $0x007fffff // mantissa mask
DATA consts<>+64(SB)/4, $0x3f3504f3 // sqrtHalfBits
DATA consts<>+68(SB)/4, $0x3f000000 // 0.5
DATA consts<>+72(SB)/4, $0x3d9021bb // logC0
DATA consts<>+76(SB)/4, $0xbdebd1b8 // logC1
DATA consts<>+80(SB)/4, $0x3def251a // logC2
DATA consts<>+84(SB)/4, $0xbdfe5d4f // logC3
DATA consts<>+88(SB)/4, $0x3e11e9bf // logC4
DATA consts<>+92(SB)/4, $0xbe2aae50 // logC5
DATA consts<>+96(SB)/4, $0x3e4cceac // logC6
DATA consts<>+100(SB)/4, $0xbe7ffffc // logC7
DATA consts<>+104(SB)/4, $0x3eaaaaaa // logC8
GLOBL consts<>(SB), RODATA|NOPTR, $108

// EXP: V0 = kernels.Exp(V0) with the constants in V19-V31; V1-V3, V8
// scratch. FMAX/FMIN return NaN for a NaN x like the reference's clamp;
// FMLS d, n, m is the single-rounding d - n·m, so FMA(-n, c, r).
#define EXP \
	WORD $0x4e34f400; /* fmax v0.4s, v0.4s, v20.4s */ \
	WORD $0x4eb5f400; /* fmin v0.4s, v0.4s, v21.4s */ \
	WORD $0x6e36dc01; /* fmul v1.4s, v0.4s, v22.4s */ \
	WORD $0x4e218821; /* frintn v1.4s, v1.4s */ \
	VORR  V0.B16, V0.B16, V2.B16; \
	VFMLS V23.S4, V1.S4, V2.S4; \
	VFMLS V24.S4, V1.S4, V2.S4; \
	VORR  V26.B16, V26.B16, V3.B16; \
	VFMLA V25.S4, V2.S4, V3.S4; \
	VORR  V27.B16, V27.B16, V8.B16; \
	VFMLA V3.S4, V2.S4, V8.S4; \
	VORR  V28.B16, V28.B16, V3.B16; \
	VFMLA V8.S4, V2.S4, V3.S4; \
	VORR  V29.B16, V29.B16, V8.B16; \
	VFMLA V3.S4, V2.S4, V8.S4; \
	VORR  V30.B16, V30.B16, V3.B16; \
	VFMLA V8.S4, V2.S4, V3.S4; \
	WORD $0x6e22dc48; /* fmul v8.4s, v2.4s, v2.4s */ \
	VORR  V2.B16, V2.B16, V0.B16; \
	VFMLA V3.S4, V8.S4, V0.S4; \
	WORD $0x4e3fd400; /* fadd v0.4s, v0.4s, v31.4s */ \
	WORD $0x4ea1b821; /* fcvtzs v1.4s, v1.4s */ \
	WORD $0x4f3f0422; /* sshr v2.4s, v1.4s, #1 */ \
	VSUB  V2.S4, V1.S4, V1.S4; \
	VADD  V19.S4, V2.S4, V2.S4; \
	VSHL  $23, V2.S4, V2.S4; \
	VADD  V19.S4, V1.S4, V1.S4; \
	VSHL  $23, V1.S4, V1.S4; \
	WORD $0x6e22dc00; /* fmul v0.4s, v0.4s, v2.4s */ \
	WORD $0x6e21dc00 // fmul v0.4s, v0.4s, v1.4s

// LOG: V1 = kernels.Log(V0) for V0 ≥ 1 or NaN (a softmax row sum), with
// R8 at consts<>+56; V2, V3, V8-V10 scratch.
#define LOG \
	VLD1R.P 4(R8), [V10.S4]; \
	VADD  V10.S4, V0.S4, V2.S4; \
	WORD $0x4f290443; /* sshr v3.4s, v2.4s, #23 */ \
	VSUB  V19.S4, V3.S4, V3.S4; \
	WORD $0x4e21d863; /* scvtf v3.4s, v3.4s */ \
	VLD1R.P 4(R8), [V10.S4]; \
	VAND  V10.B16, V2.B16, V2.B16; \
	VLD1R.P 4(R8), [V10.S4]; \
	VADD  V10.S4, V2.S4, V2.S4; \
	WORD $0x4ebfd442; /* fsub v2.4s, v2.4s, v31.4s */ \
	WORD $0x6e22dc48; /* fmul v8.4s, v2.4s, v2.4s */ \
	VLD1R.P 4(R8), [V10.S4]; \
	VLD1R.P 4(R8), [V1.S4]; \
	VLD1R.P 4(R8), [V9.S4]; \
	VFMLA V1.S4, V2.S4, V9.S4; \
	VLD1R.P 4(R8), [V1.S4]; \
	VFMLA V9.S4, V2.S4, V1.S4; \
	VLD1R.P 4(R8), [V9.S4]; \
	VFMLA V1.S4, V2.S4, V9.S4; \
	VLD1R.P 4(R8), [V1.S4]; \
	VFMLA V9.S4, V2.S4, V1.S4; \
	VLD1R.P 4(R8), [V9.S4]; \
	VFMLA V1.S4, V2.S4, V9.S4; \
	VLD1R.P 4(R8), [V1.S4]; \
	VFMLA V9.S4, V2.S4, V1.S4; \
	VLD1R.P 4(R8), [V9.S4]; \
	VFMLA V1.S4, V2.S4, V9.S4; \
	VLD1R.P 4(R8), [V1.S4]; \
	VFMLA V9.S4, V2.S4, V1.S4; \
	WORD $0x6e22dc21; /* fmul v1.4s, v1.4s, v2.4s */ \
	WORD $0x6e28dc21; /* fmul v1.4s, v1.4s, v8.4s */ \
	VFMLA V24.S4, V3.S4, V1.S4; \
	VFMLS V10.S4, V8.S4, V1.S4; \
	WORD $0x4e21d441; /* fadd v1.4s, v2.4s, v1.4s */ \
	VFMLA V23.S4, V3.S4, V1.S4; \
	WORD $0x4e20e409; /* fcmeq v9.4s, v0.4s, v0.4s */ \
	VBIF  V9.B16, V0.B16, V1.B16

// MAXBLOCK picks the 16 floats at PTR (advanced) into the stripes V4-V7:
// acc = new > acc ? new : acc by FCMGT+BIT (FMAX would order ±0 and keep
// NaN).
#define MAXBLOCK(PTR) \
	VLD1.P 64(PTR), [V9.S4, V10.S4, V11.S4, V12.S4]; \
	WORD $0x6ea4e528; /* fcmgt v8.4s, v9.4s, v4.4s */ \
	VBIT  V8.B16, V9.B16, V4.B16; \
	WORD $0x6ea5e548; /* fcmgt v8.4s, v10.4s, v5.4s */ \
	VBIT  V8.B16, V10.B16, V5.B16; \
	WORD $0x6ea6e568; /* fcmgt v8.4s, v11.4s, v6.4s */ \
	VBIT  V8.B16, V11.B16, V6.B16; \
	WORD $0x6ea7e588; /* fcmgt v8.4s, v12.4s, v7.4s */ \
	VBIT  V8.B16, V12.B16, V7.B16

// EXPBLOCK: V9-V12 = Exp(x - mx) of the 16 floats at PTR (advanced), added
// to the stripes V4-V7.
#define EXPBLOCK(PTR) \
	VLD1.P 64(PTR), [V9.S4, V10.S4, V11.S4, V12.S4]; \
	WORD $0x4eb0d520; /* fsub v0.4s, v9.4s, v16.4s */ \
	EXP; \
	WORD $0x4e20d484; /* fadd v4.4s, v4.4s, v0.4s */ \
	VORR  V0.B16, V0.B16, V9.B16; \
	WORD $0x4eb0d540; /* fsub v0.4s, v10.4s, v16.4s */ \
	EXP; \
	WORD $0x4e20d4a5; /* fadd v5.4s, v5.4s, v0.4s */ \
	VORR  V0.B16, V0.B16, V10.B16; \
	WORD $0x4eb0d560; /* fsub v0.4s, v11.4s, v16.4s */ \
	EXP; \
	WORD $0x4e20d4c6; /* fadd v6.4s, v6.4s, v0.4s */ \
	VORR  V0.B16, V0.B16, V11.B16; \
	WORD $0x4eb0d580; /* fsub v0.4s, v12.4s, v16.4s */ \
	EXP; \
	WORD $0x4e20d4e7; /* fadd v7.4s, v7.4s, v0.4s */ \
	VORR  V0.B16, V0.B16, V12.B16

// SCALEBLOCK: the 16 floats at PTR (advanced) = e · t (t = scale/s in V15).
#define SCALEBLOCK(PTR) \
	VLD1  (PTR), [V9.S4, V10.S4, V11.S4, V12.S4]; \
	WORD $0x6e2fdd29; /* fmul v9.4s, v9.4s, v15.4s */ \
	WORD $0x6e2fdd4a; /* fmul v10.4s, v10.4s, v15.4s */ \
	WORD $0x6e2fdd6b; /* fmul v11.4s, v11.4s, v15.4s */ \
	WORD $0x6e2fdd8c; /* fmul v12.4s, v12.4s, v15.4s */ \
	VST1.P [V9.S4, V10.S4, V11.S4, V12.S4], 64(PTR)

// COPYK copies the R10 (≥ 1) floats at SRC to DST, advancing both; L is a
// local label.
#define COPYK(SRC, DST, L) \
	MOVD    R10, R17; \
L:  \
	MOVWU.P 4(SRC), R16; \
	MOVWU.P R16, 4(DST); \
	SUBS    $1, R17; \
	BNE     L

// TAILBUF sets the 16-float buffer at R11 to -Inf and copies the R10 tail
// floats at SRC into it; R14 is left at R11.
#define TAILBUF(SRC, L) \
	MOVD   R11, R14; \
	VST1.P [V18.S4], 16(R14); \
	VST1.P [V18.S4], 16(R14); \
	VST1.P [V18.S4], 16(R14); \
	VST1.P [V18.S4], 16(R14); \
	MOVD   R11, R14; \
	COPYK(SRC, R14, L); \
	MOVD   R11, R14

// func SoftmaxCERowsNEON(rows, cols int, logits []float32, ld int, labels []int32, loss, dlogits []float32, ldd int, scale float32)
TEXT ·SoftmaxCERowsNEON(SB), NOSPLIT, $72-132
	MOVD  rows+0(FP), R0
	MOVD  cols+8(FP), R1
	MOVD  logits_base+16(FP), R2
	MOVD  ld+40(FP), R3
	LSL   $2, R3
	MOVD  labels_base+48(FP), R4
	MOVD  loss_base+72(FP), R5
	MOVD  dlogits_base+96(FP), R6
	MOVD  ldd+120(FP), R7
	LSL   $2, R7
	FMOVS scale+128(FP), F17
	VDUP  V17.S[0], V17.S4
	MOVD  $consts<>(SB), R8
	VLD1R.P 4(R8), [V20.S4]
	VLD1R.P 4(R8), [V21.S4]
	VLD1R.P 4(R8), [V22.S4]
	VLD1R.P 4(R8), [V23.S4]
	VLD1R.P 4(R8), [V24.S4]
	VLD1R.P 4(R8), [V25.S4]
	VLD1R.P 4(R8), [V26.S4]
	VLD1R.P 4(R8), [V27.S4]
	VLD1R.P 4(R8), [V28.S4]
	VLD1R.P 4(R8), [V29.S4]
	VLD1R.P 4(R8), [V30.S4]
	VLD1R.P 4(R8), [V31.S4]
	VLD1R.P 4(R8), [V19.S4]
	VLD1R   (R8), [V18.S4]

	// R9 = bytes of the full 16-blocks, R10 = the tail's length, R11 = a
	// 16-float buffer for the tail (-Inf in its empty lanes: they pick
	// nothing and their e are +0, or NaN only when s is NaN anyway)
	AND  $~15, R1, R9
	LSL  $2, R9
	AND  $15, R1, R10
	ADD  $8, RSP, R11

row:
	// Pass 1: mx = Max(x), stripes in V4-V7
	VORR V18.B16, V18.B16, V4.B16
	VORR V18.B16, V18.B16, V5.B16
	VORR V18.B16, V18.B16, V6.B16
	VORR V18.B16, V18.B16, V7.B16
	MOVD R2, R12
	ADD  R2, R9, R13

max16:
	CMP R13, R12
	BHS maxtail
	MAXBLOCK(R12)
	B   max16

maxtail:
	CBZ R10, maxtree
	TAILBUF(R12, maxcopy)
	MAXBLOCK(R14)

maxtree:
	// the canonical tree: lane j = pick(lane j, lane j+h), h = 8, 4, 2, 1
	WORD $0x6ea4e4c8 // fcmgt v8.4s, v6.4s, v4.4s
	VBIT V8.B16, V6.B16, V4.B16
	WORD $0x6ea5e4e8 // fcmgt v8.4s, v7.4s, v5.4s
	VBIT V8.B16, V7.B16, V5.B16
	WORD $0x6ea4e4a8 // fcmgt v8.4s, v5.4s, v4.4s
	VBIT V8.B16, V5.B16, V4.B16
	VEXT $8, V4.B16, V4.B16, V9.B16
	WORD $0x6ea4e528 // fcmgt v8.4s, v9.4s, v4.4s
	VBIT V8.B16, V9.B16, V4.B16
	VEXT $4, V4.B16, V4.B16, V9.B16
	WORD $0x6ea4e528 // fcmgt v8.4s, v9.4s, v4.4s
	VBIT V8.B16, V9.B16, V4.B16
	VDUP V4.S[0], V16.S4

	// F13 = x[y] - mx, read before dlogits (which may alias) is written
	MOVW  (R4), R14
	FMOVS (R2)(R14<<2), F13
	FSUBS F16, F13, F13

	// Pass 2: e = Exp(x - mx) into dlogits, s[i%16] += e in V4-V7
	VEOR V4.B16, V4.B16, V4.B16
	VEOR V5.B16, V5.B16, V5.B16
	VEOR V6.B16, V6.B16, V6.B16
	VEOR V7.B16, V7.B16, V7.B16
	MOVD R2, R12
	MOVD R6, R15

exp16:
	CMP    R13, R12
	BHS    exptail
	EXPBLOCK(R12)
	CBZ    R6, exp16
	VST1.P [V9.S4, V10.S4, V11.S4, V12.S4], 64(R15)
	B      exp16

exptail:
	CBZ  R10, sumtree
	TAILBUF(R12, expcopy)
	EXPBLOCK(R14)
	CBZ  R6, sumtree
	MOVD R11, R14
	VST1 [V9.S4, V10.S4, V11.S4, V12.S4], (R14)
	COPYK(R14, R15, expout)

sumtree:
	// s = the canonical tree of the stripes; loss = Log(s) - (x[y] - mx)
	WORD $0x4e26d484 // fadd v4.4s, v4.4s, v6.4s
	WORD $0x4e27d4a5 // fadd v5.4s, v5.4s, v7.4s
	WORD $0x4e25d484 // fadd v4.4s, v4.4s, v5.4s
	VEXT  $8, V4.B16, V4.B16, V9.B16
	WORD $0x4e29d484 // fadd v4.4s, v4.4s, v9.4s
	VEXT  $4, V4.B16, V4.B16, V9.B16
	WORD $0x4e29d484 // fadd v4.4s, v4.4s, v9.4s
	VDUP  V4.S[0], V15.S4
	VORR  V15.B16, V15.B16, V0.B16
	MOVD  $consts<>+56(SB), R8
	LOG
	FSUBS F13, F1, F1
	FMOVS F1, (R5)
	CBZ   R6, rownext

	// Pass 3: dlogits = e·t (t = scale/s), then the label's element
	FDIVS F15, F17, F15
	VDUP  V15.S[0], V15.S4
	MOVW  (R4), R14
	FMOVS (R6)(R14<<2), F14
	MOVD  R6, R12
	ADD   R6, R9, R13

scale16:
	CMP R13, R12
	BHS scaletail
	SCALEBLOCK(R12)
	B   scale16

scaletail:
	CBZ  R10, labelfix
	MOVD R12, R15
	MOVD R11, R14
	COPYK(R12, R14, scalein)
	MOVD R11, R14
	SCALEBLOCK(R14)
	MOVD R11, R14
	COPYK(R14, R15, scaleout)

labelfix:
	MOVW    (R4), R14
	FNMSUBS F15, F17, F14, F14 // e[y]·t - scale, one rounding
	FMOVS   F14, (R6)(R14<<2)

rownext:
	ADD  R3, R2
	ADD  R7, R6
	ADD  $4, R4
	ADD  $4, R5
	SUBS $1, R0
	BNE  row
	RET

// func ReluNEON(dst, src []float32)
TEXT ·ReluNEON(SB), NOSPLIT, $0-48
	MOVD dst_base+0(FP), R0
	MOVD src_base+24(FP), R1
	MOVD src_len+32(FP), R2

relu16:
	// dst = x & ^(x < 0): +0 below zero, x (also -0 and NaN) otherwise
	CMP    $16, R2
	BLT    relu4
	VLD1.P 64(R1), [V0.S4, V1.S4, V2.S4, V3.S4]
	WORD $0x4ea0e804 // fcmlt v4.4s, v0.4s, #0.0
	WORD $0x4ea0e825 // fcmlt v5.4s, v1.4s, #0.0
	WORD $0x4ea0e846 // fcmlt v6.4s, v2.4s, #0.0
	WORD $0x4ea0e867 // fcmlt v7.4s, v3.4s, #0.0
	WORD $0x4e641c00 // bic v0.16b, v0.16b, v4.16b
	WORD $0x4e651c21 // bic v1.16b, v1.16b, v5.16b
	WORD $0x4e661c42 // bic v2.16b, v2.16b, v6.16b
	WORD $0x4e671c63 // bic v3.16b, v3.16b, v7.16b
	VST1.P [V0.S4, V1.S4, V2.S4, V3.S4], 64(R0)
	SUB    $16, R2
	B      relu16

relu4:
	CBZ    R2, reludone
	VLD1.P 16(R1), [V0.S4]
	WORD $0x4ea0e804 // fcmlt v4.4s, v0.4s, #0.0
	WORD $0x4e641c00 // bic v0.16b, v0.16b, v4.16b
	VST1.P [V0.S4], 16(R0)
	SUB    $4, R2
	B      relu4

reludone:
	RET

// func ReluGradNEON(dx, x, dy []float32)
TEXT ·ReluGradNEON(SB), NOSPLIT, $0-72
	MOVD dx_base+0(FP), R0
	MOVD x_base+24(FP), R1
	MOVD dy_base+48(FP), R2
	MOVD dx_len+8(FP), R3

grad4:
	// dx = dy & (x > 0)
	CBZ    R3, graddone
	VLD1.P 16(R1), [V0.S4]
	VLD1.P 16(R2), [V1.S4]
	WORD $0x4ea0c800 // fcmgt v0.4s, v0.4s, #0.0
	VAND   V0.B16, V1.B16, V1.B16
	VST1.P [V1.S4], 16(R0)
	SUB    $4, R3
	B      grad4

graddone:
	RET

// func SGDNEON(w, grad, v []float32, lr, momentum, weightDecay float32)
TEXT ·SGDNEON(SB), NOSPLIT, $0-84
	MOVD  w_base+0(FP), R0
	MOVD  w_len+8(FP), R3
	MOVD  grad_base+24(FP), R1
	MOVD  v_base+48(FP), R2
	FMOVS lr+72(FP), F29
	VDUP  V29.S[0], V29.S4
	FMOVS momentum+76(FP), F30
	VDUP  V30.S[0], V30.S4
	FMOVS weightDecay+80(FP), F31
	VDUP  V31.S[0], V31.S4
	MOVD  $0, R4
	FCMPS $(0.0), F31
	CSET  NE, R4

sgd4:
	// g = grad; if weightDecay != 0 (NE also for NaN): g = FMA(wd, w, g);
	// if v != nil: v = FMA(momentum, v, g), g = v; w = FMA(-lr, g, w)
	CBZ    R3, sgddone
	VLD1.P 16(R1), [V0.S4]
	VLD1   (R0), [V1.S4]
	CBZ    R4, sgdnowd
	VFMLA  V31.S4, V1.S4, V0.S4

sgdnowd:
	CBZ    R2, sgdnomom
	VLD1   (R2), [V2.S4]
	VORR   V0.B16, V0.B16, V3.B16
	VFMLA  V30.S4, V2.S4, V3.S4
	VST1.P [V3.S4], 16(R2)
	VORR   V3.B16, V3.B16, V0.B16

sgdnomom:
	VFMLS  V29.S4, V0.S4, V1.S4
	VST1.P [V1.S4], 16(R0)
	SUB    $4, R3
	B      sgd4

sgddone:
	RET

// func ColumnSumsNEON(rows, cols int, a []float32, lda int, dst []float32)
TEXT ·ColumnSumsNEON(SB), NOSPLIT, $0-72
	MOVD rows+0(FP), R0
	MOVD cols+8(FP), R1
	MOVD a_base+16(FP), R2
	MOVD lda+40(FP), R3
	LSL  $2, R3
	MOVD dst_base+48(FP), R4

cs16:
	// 16 columns: s = s + a[i, j] in row order
	CMP  $16, R1
	BLT  cs4
	VEOR V0.B16, V0.B16, V0.B16
	VEOR V1.B16, V1.B16, V1.B16
	VEOR V2.B16, V2.B16, V2.B16
	VEOR V3.B16, V3.B16, V3.B16
	MOVD R2, R5
	MOVD R0, R6
	CBZ  R6, cs16store

cs16row:
	VLD1 (R5), [V4.S4, V5.S4, V6.S4, V7.S4]
	WORD $0x4e24d400 // fadd v0.4s, v0.4s, v4.4s
	WORD $0x4e25d421 // fadd v1.4s, v1.4s, v5.4s
	WORD $0x4e26d442 // fadd v2.4s, v2.4s, v6.4s
	WORD $0x4e27d463 // fadd v3.4s, v3.4s, v7.4s
	ADD  R3, R5
	SUBS $1, R6
	BNE  cs16row

cs16store:
	VST1.P [V0.S4, V1.S4, V2.S4, V3.S4], 64(R4)
	ADD    $64, R2
	SUB    $16, R1
	B      cs16

cs4:
	CBZ  R1, csdone
	VEOR V0.B16, V0.B16, V0.B16
	MOVD R2, R5
	MOVD R0, R6
	CBZ  R6, cs4store

cs4row:
	VLD1 (R5), [V4.S4]
	WORD $0x4e24d400 // fadd v0.4s, v0.4s, v4.4s
	ADD  R3, R5
	SUBS $1, R6
	BNE  cs4row

cs4store:
	VST1.P [V0.S4], 16(R4)
	ADD    $16, R2
	SUB    $4, R1
	B      cs4

csdone:
	RET

// func Uint8ToFloat32NEON(dst []float32, src []uint8, divisor float32)
TEXT ·Uint8ToFloat32NEON(SB), NOSPLIT, $0-52
	MOVD  dst_base+0(FP), R0
	MOVD  src_base+24(FP), R1
	MOVD  src_len+32(FP), R2
	FMOVS divisor+48(FP), F3
	VDUP  V3.S[0], V3.S4

u8loop:
	// dst = float32(src) / divisor, 8 at a time
	CBZ    R2, u8done
	VLD1.P 8(R1), [V0.B8]
	VUXTL  V0.B8, V0.H8
	VUXTL  V0.H4, V1.S4
	VUXTL2 V0.H8, V2.S4
	WORD $0x6e21d821 // ucvtf v1.4s, v1.4s
	WORD $0x6e21d842 // ucvtf v2.4s, v2.4s
	WORD $0x6e23fc21 // fdiv v1.4s, v1.4s, v3.4s
	WORD $0x6e23fc42 // fdiv v2.4s, v2.4s, v3.4s
	VST1.P [V1.S4, V2.S4], 32(R0)
	SUB    $8, R2
	B      u8loop

u8done:
	RET
