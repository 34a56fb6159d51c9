//go:build !purego

#include "textflag.h"

// Arguments, strides in bytes.
#define K R0
#define A R1 // A[0, p]
#define STRA R2
#define B R3
#define STRB R4
#define C R5
#define LDC R6
#define ROW R7 // the C row being loaded or stored
#define RSA R8 // A's row stride, and its multiples
#define RSA2 R9
#define RSA3 R10
#define A4 R11 // A[4, p], when A's rows are apart

// Accumulators: C row i in V(3i), V(3i+1), V(3i+2). B's row p is in
// V24…V26; A's column p is in V27 (rows 0…3) and V28 (rows 4…7), or one
// element per register in lane 0 of V27…V30; beta is in V31.

// The Go assembler lacks the by-element forms: FMLAE is
// FMLA Vd.4S, Vn.4S, Vm.S[i] and FMULE is FMUL Vd.4S, Vd.4S, V31.S[0],
// with d, n, m register numbers.
#define FMLAE(d, n, m, i) \
	WORD $(0x4f801000 | ((i)&1)<<21 | ((i)>>1)<<11 | (m)<<16 | (n)<<5 | (d))

#define FMULE(d) \
	WORD $(0x4f9f9000 | (d)<<5 | (d))

// FMAROW: C row i += A[i, p] (lane l of Vm) * B[p, 0:12].
#define FMAROW(i, m, l) \
	FMLAE(3*(i), 24, m, l); \
	FMLAE(3*(i)+1, 25, m, l); \
	FMLAE(3*(i)+2, 26, m, l)

// SCALE: C row i *= beta.
#define SCALE(i) \
	FMULE(3*(i)); \
	FMULE(3*(i)+1); \
	FMULE(3*(i)+2)

#define LOAD8 \
	VLD1.P (ROW)(LDC), [V0.S4, V1.S4, V2.S4]; \
	VLD1.P (ROW)(LDC), [V3.S4, V4.S4, V5.S4]; \
	VLD1.P (ROW)(LDC), [V6.S4, V7.S4, V8.S4]; \
	VLD1.P (ROW)(LDC), [V9.S4, V10.S4, V11.S4]; \
	VLD1.P (ROW)(LDC), [V12.S4, V13.S4, V14.S4]; \
	VLD1.P (ROW)(LDC), [V15.S4, V16.S4, V17.S4]; \
	VLD1.P (ROW)(LDC), [V18.S4, V19.S4, V20.S4]; \
	VLD1.P (ROW)(LDC), [V21.S4, V22.S4, V23.S4]

// func SgemmKernel8x12(k int, a []float32, rsa, csa int, b []float32, sb int, beta float32, c []float32, ldc int)
// Requires: ASIMD
TEXT ·SgemmKernel8x12(SB), NOSPLIT, $0-120
	MOVD  k+0(FP), K
	MOVD  a_base+8(FP), A
	MOVD  rsa+32(FP), RSA
	LSL   $2, RSA
	MOVD  csa+40(FP), STRA
	LSL   $2, STRA
	MOVD  b_base+48(FP), B
	MOVD  sb+72(FP), STRB
	LSL   $2, STRB
	FMOVS beta+80(FP), F31
	MOVD  c_base+88(FP), C
	MOVD  ldc+112(FP), LDC
	LSL   $2, LDC
	MOVD  C, ROW

	// acc = +0, C or beta * C (NaN beta scales)
	FCMPS  $(0.0), F31
	BEQ    zero
	FMOVS  $(1.0), F30
	FCMPS  F30, F31
	BEQ    load
	LOAD8
	SCALE(0); SCALE(1); SCALE(2); SCALE(3)
	SCALE(4); SCALE(5); SCALE(6); SCALE(7)
	JMP    loops

load:
	LOAD8
	JMP loops

zero:
	VEOR V0.B16, V0.B16, V0.B16
	VEOR V1.B16, V1.B16, V1.B16
	VEOR V2.B16, V2.B16, V2.B16
	VEOR V3.B16, V3.B16, V3.B16
	VEOR V4.B16, V4.B16, V4.B16
	VEOR V5.B16, V5.B16, V5.B16
	VEOR V6.B16, V6.B16, V6.B16
	VEOR V7.B16, V7.B16, V7.B16
	VEOR V8.B16, V8.B16, V8.B16
	VEOR V9.B16, V9.B16, V9.B16
	VEOR V10.B16, V10.B16, V10.B16
	VEOR V11.B16, V11.B16, V11.B16
	VEOR V12.B16, V12.B16, V12.B16
	VEOR V13.B16, V13.B16, V13.B16
	VEOR V14.B16, V14.B16, V14.B16
	VEOR V15.B16, V15.B16, V15.B16
	VEOR V16.B16, V16.B16, V16.B16
	VEOR V17.B16, V17.B16, V17.B16
	VEOR V18.B16, V18.B16, V18.B16
	VEOR V19.B16, V19.B16, V19.B16
	VEOR V20.B16, V20.B16, V20.B16
	VEOR V21.B16, V21.B16, V21.B16
	VEOR V22.B16, V22.B16, V22.B16
	VEOR V23.B16, V23.B16, V23.B16

loops:
	CMP $4, RSA
	BNE strided

	// for p < k: acc[i] = FMA(A[i, p], B[p, 0:12], acc[i])
	// rsa == 1 (packed panels, and A read in place when transposed): A's
	// column is two vectors.
column:
	VLD1.P (A)(STRA), [V27.S4, V28.S4]
	VLD1.P (B)(STRB), [V24.S4, V25.S4, V26.S4]
	FMAROW(0, 27, 0); FMAROW(1, 27, 1); FMAROW(2, 27, 2); FMAROW(3, 27, 3)
	FMAROW(4, 28, 0); FMAROW(5, 28, 1); FMAROW(6, 28, 2); FMAROW(7, 28, 3)
	SUBS $1, K
	BNE  column
	JMP  store

	// Any other rsa (A read in place, not transposed): eight scalar loads,
	// rows 0…3 then rows 4…7 through V27…V30.
strided:
	LSL $1, RSA, RSA2
	ADD RSA, RSA2, RSA3
	ADD RSA<<2, A, A4

elements:
	VLD1.P (B)(STRB), [V24.S4, V25.S4, V26.S4]
	FMOVS  (A), F27
	FMOVS  (A)(RSA), F28
	FMOVS  (A)(RSA2), F29
	FMOVS  (A)(RSA3), F30
	FMAROW(0, 27, 0); FMAROW(1, 28, 0); FMAROW(2, 29, 0); FMAROW(3, 30, 0)
	FMOVS  (A4), F27
	FMOVS  (A4)(RSA), F28
	FMOVS  (A4)(RSA2), F29
	FMOVS  (A4)(RSA3), F30
	FMAROW(4, 27, 0); FMAROW(5, 28, 0); FMAROW(6, 29, 0); FMAROW(7, 30, 0)
	ADD    STRA, A
	ADD    STRA, A4
	SUBS   $1, K
	BNE    elements

	// C = acc
store:
	MOVD C, ROW
	VST1.P [V0.S4, V1.S4, V2.S4], (ROW)(LDC)
	VST1.P [V3.S4, V4.S4, V5.S4], (ROW)(LDC)
	VST1.P [V6.S4, V7.S4, V8.S4], (ROW)(LDC)
	VST1.P [V9.S4, V10.S4, V11.S4], (ROW)(LDC)
	VST1.P [V12.S4, V13.S4, V14.S4], (ROW)(LDC)
	VST1.P [V15.S4, V16.S4, V17.S4], (ROW)(LDC)
	VST1.P [V18.S4, V19.S4, V20.S4], (ROW)(LDC)
	VST1.P [V21.S4, V22.S4, V23.S4], (ROW)(LDC)
	RET
