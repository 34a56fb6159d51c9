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
#define ROW R11 // the C row being loaded, stored or prefetched
#define T AX
#define R R12   // rsa: A's row stride, then its multiples: A[i, p] is at A + i*R
#define R3 R13
#define R5 R14
#define R7 BX
#define A6 BX   // A + 6 rows (12×32, which needs no R7)
#define A8 AX   // A + 8 rows (16×N, once T is free)

// ARGS loads the arguments (k, a, rsa, csa, b, sb, beta, c, ldc) and sets ROW = C.
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

// BETA jumps to zero when beta (a memory operand) == 0 and to load when
// beta == 1, and falls through (to scale) otherwise, NaN included; beta is
// left in X15.
#define BETA(beta, zero, load) \
	VMOVSS beta, X15; \
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

// PREFETCHC prefetches the rows×(w bytes) tile of C rows below C, which
// the driver computes next: only a hint, and prefetches cannot fault, so
// it may lie past c. Without it each 12×32 tile waited for its C rows, out
// of cache by then (1024³: 80 GFLOP/s without, 94 with).
#define PREFETCHC(rows, w) \
	MOVQ $rows, T; \
	IMULQ LDC, T; \
	ADDQ C, T; \
	MOVQ $rows, ROW; \
prefetch: \
	PREFETCHT0 (T); \
	PREFETCHT0 w-1(T); \
	ADDQ LDC, T; \
	DECQ ROW; \
	JNZ prefetch; \
	MOVQ C, ROW

#define LOADROW(lo, hi, w) VMOVUPS (ROW), lo; VMOVUPS w(ROW), hi; ADDQ LDC, ROW
#define STOREROW(lo, hi, w) VMOVUPS lo, (ROW); VMOVUPS hi, w(ROW); ADDQ LDC, ROW
#define LOADZ(lo, hi) LOADROW(lo, hi, 64)
#define STOREZ(lo, hi) STOREROW(lo, hi, 64)
#define SCALEZ(lo, hi) VMULPS Z31, lo, lo; VMULPS Z31, hi, hi
#define ZEROZ(lo, hi) VPXORD lo, lo, lo; VPXORD hi, hi, hi
// ---- AVX-512: 12×32, accumulators Z0…Z23 (row i in Z2i, Z2i+1) ----

#define ROWS12(OP) OP(Z0, Z1); OP(Z2, Z3); OP(Z4, Z5); OP(Z6, Z7); OP(Z8, Z9); OP(Z10, Z11); OP(Z12, Z13); OP(Z14, Z15); OP(Z16, Z17); OP(Z18, Z19); OP(Z20, Z21); OP(Z22, Z23)

// FMAZ: lo, hi += A[i, p] (at addr) * B[p, 0:32] (Z24, Z25).
#define FMAZ(addr, t, lo, hi) \
	VBROADCASTSS addr, t; \
	VFMADD231PS  Z24, t, lo; \
	VFMADD231PS  Z25, t, hi

// FMAZ6: FMAZ on the six rows from base.
#define FMAZ6(base, l0, h0, l1, h1, l2, h2, l3, h3, l4, h4, l5, h5) \
	FMAZ((base), Z26, l0, h0); \
	FMAZ((base)(R*1), Z27, l1, h1); \
	FMAZ((base)(R*2), Z28, l2, h2); \
	FMAZ((base)(R3*1), Z29, l3, h3); \
	FMAZ((base)(R*4), Z30, l4, h4); \
	FMAZ((base)(R5*1), Z31, l5, h5)

// func SgemmKernel12x32(k int, a []float32, rsa, csa int, b []float32, sb int, beta float32, c []float32, ldc int)
// Requires: AVX512F
TEXT ·SgemmKernel12x32Old(SB), NOSPLIT, $0-120
	ARGS
	LEAQ (A)(R3*2), A6
	PREFETCHC(12, 128)

	// acc = beta * C, C or +0
	BETA(beta+80(FP), zero12o, load12o)
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
	PREFETCHT0 (A)(STRA*8)
	PREFETCHT0 (A6)(STRA*8)
	PREFETCHT0 (B)(STRB*8)
	PREFETCHT0 64(B)(STRB*8)
	VMOVUPS (B), Z24
	VMOVUPS 64(B), Z25
	FMAZ6(A, Z0, Z1, Z2, Z3, Z4, Z5, Z6, Z7, Z8, Z9, Z10, Z11)
	FMAZ6(A6, Z12, Z13, Z14, Z15, Z16, Z17, Z18, Z19, Z20, Z21, Z22, Z23)
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


#define LOADY(lo, hi) LOADROW(lo, hi, 32)
#define STOREY(lo, hi) STOREROW(lo, hi, 32)
#define SCALEY(lo, hi) VMULPS Y15, lo, lo; VMULPS Y15, hi, hi
#define ZEROY(lo, hi) VXORPS lo, lo, lo; VXORPS hi, hi, hi
// ---- AVX2: 6×16, accumulators Y0…Y11 (row i in Y2i, Y2i+1) ----

#define ROWS6o(OP) OP(Y0, Y1); OP(Y2, Y3); OP(Y4, Y5); OP(Y6, Y7); OP(Y8, Y9); OP(Y10, Y11)

// FMAY: lo, hi += A[i, p] (at addr) * B[p, 0:16] (Y12, Y13).
#define FMAYo(addr, t, lo, hi) \
	VBROADCASTSS addr, t; \
	VFMADD231PS  Y12, t, lo; \
	VFMADD231PS  Y13, t, hi

// func SgemmKernel6x16(k int, a []float32, rsa, csa int, b []float32, sb int, beta float32, c []float32, ldc int)
// Requires: AVX, AVX2, FMA
TEXT ·SgemmKernel6x16Old(SB), NOSPLIT, $0-120
	ARGS
	PREFETCHC(6, 64)

	// acc = beta * C, C or +0
	BETA(beta+80(FP), zero6o, load6o)
	VBROADCASTSS X15, Y15
	ROWS6o(LOADY)
	ROWS6o(SCALEY)
	JMP loop6o

load6o:
	ROWS6o(LOADY)
	JMP loop6o

zero6o:
	ROWS6o(ZEROY)

	// for p < k: acc[i] = FMA(A[i, p], B[p, 0:16], acc[i])
loop6o:
	VMOVUPS (B), Y12
	VMOVUPS 32(B), Y13
	FMAYo((A), Y14, Y0, Y1)
	FMAYo((A)(R*1), Y15, Y2, Y3)
	FMAYo((A)(R*2), Y14, Y4, Y5)
	FMAYo((A)(R3*1), Y15, Y6, Y7)
	FMAYo((A)(R*4), Y14, Y8, Y9)
	FMAYo((A)(R5*1), Y15, Y10, Y11)
	ADDQ STRA, A
	ADDQ STRB, B
	DECQ K
	JNZ  loop6o

	// C = acc
	MOVQ C, ROW
	ROWS6o(STOREY)
	VZEROUPPER
	RET

