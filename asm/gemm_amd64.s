//go:build !purego

#include "textflag.h"

// Arguments of the GEMM micro-kernels; strides in bytes.
#define K CX
#define A SI    // A[0, p]
#define STRA R8 // csa: A's k stride
#define B DI    // B[p, 0]
#define STRB R9 // sb: B's k stride
#define C DX
#define LDC R10
#define ROW R11 // the C row being loaded or stored
#define T AX
#define R R12   // rsa: A's row stride, then its multiples: A[i, p] is at A + i*R
#define R3 R13
#define R5 R14
#define R7 BX

#define ARGS \
	MOVQ k+0(FP), K; \
	MOVQ a_base+8(FP), A; \
	MOVQ rsa+32(FP), R; \
	SHLQ $2, R; \
	LEAQ (R)(R*2), R3; \
	LEAQ (R)(R*4), R5; \
	LEAQ (R3)(R*4), R7; \
	MOVQ csa+40(FP), STRA; \
	SHLQ $2, STRA; \
	MOVQ b_base+48(FP), B; \
	MOVQ sb+72(FP), STRB; \
	SHLQ $2, STRB; \
	MOVQ c_base+88(FP), C; \
	MOVQ ldc+112(FP), LDC; \
	SHLQ $2, LDC; \
	MOVQ C, ROW

// BETA jumps to zero when beta == 0 and to load when beta == 1, and falls
// through (to scale) otherwise, NaN included; beta is left in X15.
#define BETA(zero, load) \
	VMOVSS beta+80(FP), X15; \
	VXORPS X14, X14, X14; \
	VUCOMISS X14, X15; \
	JP   load_or_scale; \
	JEQ  zero; \
load_or_scale: \
	MOVL $0x3f800000, T; \
	VMOVD T, X14; \
	VUCOMISS X14, X15; \
	JP   scale; \
	JEQ  load; \
scale:

// Operations on one row of accumulators (lo, hi): C row at ROW, then next row.
#define LOADROW(lo, hi, w) VMOVUPS (ROW), lo; VMOVUPS w(ROW), hi; ADDQ LDC, ROW
#define STOREROW(lo, hi, w) VMOVUPS lo, (ROW); VMOVUPS hi, w(ROW); ADDQ LDC, ROW
#define LOADY(lo, hi) LOADROW(lo, hi, 32)
#define STOREY(lo, hi) STOREROW(lo, hi, 32)
#define SCALEY(lo, hi) VMULPS Y15, lo, lo; VMULPS Y15, hi, hi
#define ZEROY(lo, hi) VXORPS lo, lo, lo; VXORPS hi, hi, hi
#define LOADZ(lo, hi) LOADROW(lo, hi, 64)
#define STOREZ(lo, hi) STOREROW(lo, hi, 64)
#define SCALEZ(lo, hi) VMULPS Z31, lo, lo; VMULPS Z31, hi, hi
#define ZEROZ(lo, hi) VPXORD lo, lo, lo; VPXORD hi, hi, hi

// ---- AVX2: 6×16, accumulators Y0…Y11 (row i in Y2i, Y2i+1) ----

#define ROWS6(OP) OP(Y0, Y1); OP(Y2, Y3); OP(Y4, Y5); OP(Y6, Y7); OP(Y8, Y9); OP(Y10, Y11)

// FMAY: lo, hi += A[i, p] (at addr) * B[p, 0:16] (Y12, Y13).
#define FMAY(addr, t, lo, hi) \
	VBROADCASTSS addr, t; \
	VFMADD231PS  Y12, t, lo; \
	VFMADD231PS  Y13, t, hi

// func SgemmKernel6x16(k int, a []float32, rsa, csa int, b []float32, sb int, beta float32, c []float32, ldc int)
// Requires: AVX, AVX2, FMA
TEXT ·SgemmKernel6x16(SB), NOSPLIT, $0-120
	ARGS

	// acc = beta * C, C or +0
	BETA(zero6, load6)
	VBROADCASTSS X15, Y15
	ROWS6(LOADY)
	ROWS6(SCALEY)
	JMP loop6

load6:
	ROWS6(LOADY)
	JMP loop6

zero6:
	ROWS6(ZEROY)

	// for p < k: acc[i] = FMA(A[i, p], B[p, 0:16], acc[i])
loop6:
	VMOVUPS (B), Y12
	VMOVUPS 32(B), Y13
	FMAY((A), Y14, Y0, Y1)
	FMAY((A)(R*1), Y15, Y2, Y3)
	FMAY((A)(R*2), Y14, Y4, Y5)
	FMAY((A)(R3*1), Y15, Y6, Y7)
	FMAY((A)(R*4), Y14, Y8, Y9)
	FMAY((A)(R5*1), Y15, Y10, Y11)
	ADDQ STRA, A
	ADDQ STRB, B
	DECQ K
	JNZ  loop6

	// C = acc
	MOVQ C, ROW
	ROWS6(STOREY)
	VZEROUPPER
	RET

// ---- AVX-512: 8×32, accumulators Z0…Z15 (row i in Z2i, Z2i+1) ----

#define ROWS8(OP) OP(Z0, Z1); OP(Z2, Z3); OP(Z4, Z5); OP(Z6, Z7); OP(Z8, Z9); OP(Z10, Z11); OP(Z12, Z13); OP(Z14, Z15)

// FMAZ: lo, hi += A[i, p] (at addr) * B[p, 0:32] (Z16, Z17).
#define FMAZ(addr, t, lo, hi) \
	VBROADCASTSS addr, t; \
	VFMADD231PS  Z16, t, lo; \
	VFMADD231PS  Z17, t, hi

// func SgemmKernel8x32(k int, a []float32, rsa, csa int, b []float32, sb int, beta float32, c []float32, ldc int)
// Requires: AVX512F
TEXT ·SgemmKernel8x32(SB), NOSPLIT, $0-120
	ARGS

	// acc = beta * C, C or +0
	BETA(zero8, load8)
	VBROADCASTSS X15, Z31
	ROWS8(LOADZ)
	ROWS8(SCALEZ)
	JMP loop8

load8:
	ROWS8(LOADZ)
	JMP loop8

zero8:
	ROWS8(ZEROZ)

	// for p < k: acc[i] = FMA(A[i, p], B[p, 0:32], acc[i])
loop8:
	VMOVUPS (B), Z16
	VMOVUPS 64(B), Z17
	FMAZ((A), Z18, Z0, Z1)
	FMAZ((A)(R*1), Z19, Z2, Z3)
	FMAZ((A)(R*2), Z20, Z4, Z5)
	FMAZ((A)(R3*1), Z21, Z6, Z7)
	FMAZ((A)(R*4), Z22, Z8, Z9)
	FMAZ((A)(R5*1), Z23, Z10, Z11)
	FMAZ((A)(R3*2), Z24, Z12, Z13)
	FMAZ((A)(R7*1), Z25, Z14, Z15)
	ADDQ STRA, A
	ADDQ STRB, B
	DECQ K
	JNZ  loop8

	// C = acc
	MOVQ C, ROW
	ROWS8(STOREZ)
	VZEROUPPER
	RET

// ---- AVX-512: 12×32, accumulators Z0…Z23 (row i in Z2i, Z2i+1) ----

#define A6 BX // A + 6 rows

#define ROWS12(OP) OP(Z0, Z1); OP(Z2, Z3); OP(Z4, Z5); OP(Z6, Z7); OP(Z8, Z9); OP(Z10, Z11); OP(Z12, Z13); OP(Z14, Z15); OP(Z16, Z17); OP(Z18, Z19); OP(Z20, Z21); OP(Z22, Z23)

// FMA12: lo, hi += A[i, p] (at addr) * B[p, 0:32] (Z24, Z25).
#define FMA12(addr, t, lo, hi) \
	VBROADCASTSS addr, t; \
	VFMADD231PS  Z24, t, lo; \
	VFMADD231PS  Z25, t, hi

// func SgemmKernel12x32(k int, a []float32, rsa, csa int, b []float32, sb int, beta float32, c []float32, ldc int)
// Requires: AVX512F
TEXT ·SgemmKernel12x32P(SB), NOSPLIT, $0-120
	ARGS
	LEAQ (A)(R3*2), A6

	// prefetch the next tile of C (12 rows below)
	LEAQ (LDC)(LDC*2), T
	SHLQ $2, T
	ADDQ C, T
	PREFETCHT0 (T); PREFETCHT0 64(T); ADDQ LDC, T
	PREFETCHT0 (T); PREFETCHT0 64(T); ADDQ LDC, T
	PREFETCHT0 (T); PREFETCHT0 64(T); ADDQ LDC, T
	PREFETCHT0 (T); PREFETCHT0 64(T); ADDQ LDC, T
	PREFETCHT0 (T); PREFETCHT0 64(T); ADDQ LDC, T
	PREFETCHT0 (T); PREFETCHT0 64(T); ADDQ LDC, T
	PREFETCHT0 (T); PREFETCHT0 64(T); ADDQ LDC, T
	PREFETCHT0 (T); PREFETCHT0 64(T); ADDQ LDC, T
	PREFETCHT0 (T); PREFETCHT0 64(T); ADDQ LDC, T
	PREFETCHT0 (T); PREFETCHT0 64(T); ADDQ LDC, T
	PREFETCHT0 (T); PREFETCHT0 64(T); ADDQ LDC, T
	PREFETCHT0 (T); PREFETCHT0 64(T)

	// acc = beta * C, C or +0
	BETA(zero12, load12)
	VBROADCASTSS X15, Z31
	ROWS12(LOADZ)
	ROWS12(SCALEZ)
	JMP loop12

load12:
	ROWS12(LOADZ)
	JMP loop12

zero12:
	ROWS12(ZEROZ)

	// for p < k: acc[i] = FMA(A[i, p], B[p, 0:32], acc[i])
loop12:
	VMOVUPS (B), Z24
	VMOVUPS 64(B), Z25
	FMA12((A), Z26, Z0, Z1)
	FMA12((A)(R*1), Z27, Z2, Z3)
	FMA12((A)(R*2), Z28, Z4, Z5)
	FMA12((A)(R3*1), Z29, Z6, Z7)
	FMA12((A)(R*4), Z30, Z8, Z9)
	FMA12((A)(R5*1), Z31, Z10, Z11)
	FMA12((A6), Z26, Z12, Z13)
	FMA12((A6)(R*1), Z27, Z14, Z15)
	FMA12((A6)(R*2), Z28, Z16, Z17)
	FMA12((A6)(R3*1), Z29, Z18, Z19)
	FMA12((A6)(R*4), Z30, Z20, Z21)
	FMA12((A6)(R5*1), Z31, Z22, Z23)
	ADDQ STRA, A
	ADDQ STRA, A6
	ADDQ STRB, B
	DECQ K
	JNZ  loop12

	// C = acc
	MOVQ C, ROW
	ROWS12(STOREZ)
	VZEROUPPER
	RET

// func SgemmKernel12x32(k int, a []float32, rsa, csa int, b []float32, sb int, beta float32, c []float32, ldc int)
// Requires: AVX512F
TEXT ·SgemmKernel12x32(SB), NOSPLIT, $0-120
	ARGS
	LEAQ (A)(R3*2), A6

	// acc = beta * C, C or +0
	BETA(zero12o, load12o)
	VBROADCASTSS X15, Z31
	ROWS12(LOADZ)
	ROWS12(SCALEZ)
	JMP loop12o

load12o:
	ROWS12(LOADZ)
	JMP loop12o

zero12o:
	ROWS12(ZEROZ)

	// for p < k: acc[i] = FMA(A[i, p], B[p, 0:32], acc[i])
loop12o:
	VMOVUPS (B), Z24
	VMOVUPS 64(B), Z25
	FMA12((A), Z26, Z0, Z1)
	FMA12((A)(R*1), Z27, Z2, Z3)
	FMA12((A)(R*2), Z28, Z4, Z5)
	FMA12((A)(R3*1), Z29, Z6, Z7)
	FMA12((A)(R*4), Z30, Z8, Z9)
	FMA12((A)(R5*1), Z31, Z10, Z11)
	FMA12((A6), Z26, Z12, Z13)
	FMA12((A6)(R*1), Z27, Z14, Z15)
	FMA12((A6)(R*2), Z28, Z16, Z17)
	FMA12((A6)(R3*1), Z29, Z18, Z19)
	FMA12((A6)(R*4), Z30, Z20, Z21)
	FMA12((A6)(R5*1), Z31, Z22, Z23)
	ADDQ STRA, A
	ADDQ STRA, A6
	ADDQ STRB, B
	DECQ K
	JNZ  loop12o

	// C = acc
	MOVQ C, ROW
	ROWS12(STOREZ)
	VZEROUPPER
	RET
