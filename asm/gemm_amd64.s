//go:build !purego

#include "textflag.h"
#include "transpose_amd64.h"

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

// ROWARGS loads the arguments (k, a, sa, b, sb, c) of the row kernels.
#define ROWARGS \
	MOVQ k+0(FP), K; \
	MOVQ a_base+8(FP), A; \
	MOVQ sa+32(FP), STRA; \
	SHLQ $2, STRA; \
	MOVQ b_base+40(FP), B; \
	MOVQ sb+64(FP), STRB; \
	SHLQ $2, STRB; \
	MOVQ c_base+80(FP), C

// ROWTARGS loads the arguments (k, a, b, sb, c) of the A·Bᵀ row kernels:
// CX k, SI a, DI b, R9 sb in bytes and R11, R12, R13 = 3, 5, 7 rows, DX c.
#define ROWTARGS \
	MOVQ k+0(FP), CX;         \
	MOVQ a_base+8(FP), SI;    \
	MOVQ b_base+32(FP), DI;   \
	MOVQ sb+56(FP), R9;       \
	SHLQ $2, R9;              \
	MOVQ c_base+72(FP), DX;   \
	LEAQ (R9)(R9*2), R11;     \
	LEAQ (R9)(R9*4), R12;     \
	LEAQ (R11)(R9*4), R13

// ROWTACC sets acc = beta * C, C or +0 (BC scratch, ZERO the width's
// zeroing XOR) and jumps to loop.
#define ROWTACC(acc, BC, ZERO, loop) \
	BETA(beta+64(FP), rtzero, rtload); \
	VBROADCASTSS X15, BC;              \
	VMULPS       (DX), BC, acc;        \
	JMP          loop;                 \
rtload:                                \
	VMOVUPS (DX), acc;                 \
	JMP     loop;                      \
rtzero:                                \
	ZERO acc, acc, acc;                \
	JMP  loop

// ROWSTEPS runs the row kernels' loop: for p < k, a[p] broadcast to x,
// then FMA4 (acc += x * B[p, :], four vectors), then p++.
#define ROWSTEPS(x, FMA4) \
rowstep: \
	VBROADCASTSS (A), x; \
	FMA4; \
	ADDQ STRA, A; \
	ADDQ STRB, B; \
	DECQ K; \
	JNZ  rowstep

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
// of cache by then (1024³: 80 GFLOP/s without, 94 with). It skips them
// for k < 64, where they cost more than they saved (256×256×10 A·Bᵀ,
// avx512: 1.12× without).
#define PREFETCHC(rows, w) \
	CMPQ K, $64; \
	JB   noprefetch; \
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
	MOVQ C, ROW; \
noprefetch:

// STEPS runs STEP (one step of p) k times, four a turn: k ≥ 1 in K.
#define STEPS(STEP) \
	SUBQ $4, K; \
	JB   steps1; \
steps4: \
	STEP; \
	STEP; \
	STEP; \
	STEP; \
	SUBQ $4, K; \
	JAE  steps4; \
steps1: \
	ADDQ $4, K; \
	JZ   stepsdone; \
stepsloop1: \
	STEP; \
	DECQ K; \
	JNZ  stepsloop1; \
stepsdone:

// KERNELZ is the body of the AVX-512 rows×32 kernels (below): ROWS applies
// an operation to each of its rows, STEP is one step of p. Here, before
// the first TEXT, for go vet: it reads beta from the frame.
#define KERNELZ(rows, ROWS, STEP) \
	ARGS; \
	LEAQ (A)(R3*2), A6; \
	PREFETCHC(rows, 128); \
	BETA(beta+80(FP), zero, load); \
	VBROADCASTSS X15, Z31; \
	ROWS(LOADZ); \
	ROWS(SCALEZ); \
	JMP start; \
load: \
	ROWS(LOADZ); \
	JMP start; \
zero: \
	ROWS(ZEROZ); \
start: \
	STEPS(STEP); \
	MOVQ C, ROW; \
	ROWS(STOREZ); \
	VZEROUPPER; \
	RET

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

// STEP6: acc[i] += A[i, p] * B[p, 0:16], then p++, prefetching A and B
// eight steps ahead.
#define STEP6 \
	PREFETCHT0 (A)(STRA*8); \
	PREFETCHT0 (B)(STRB*8); \
	VMOVUPS (B), Y12; \
	VMOVUPS 32(B), Y13; \
	FMAY((A), Y14, Y0, Y1); \
	FMAY((A)(R*1), Y15, Y2, Y3); \
	FMAY((A)(R*2), Y14, Y4, Y5); \
	FMAY((A)(R3*1), Y15, Y6, Y7); \
	FMAY((A)(R*4), Y14, Y8, Y9); \
	FMAY((A)(R5*1), Y15, Y10, Y11); \
	ADDQ STRA, A; \
	ADDQ STRB, B

// PKARGS loads PackColsT16's and PackColsT8's arguments: DI dst, R8 sd
// in bytes, SI src, R9 ld in bytes, R10 rows, CX k.
#define PKARGS \
	MOVQ dst_base+0(FP), DI; \
	MOVQ sd+24(FP), R8;      \
	SHLQ $2, R8;             \
	MOVQ src_base+32(FP), SI; \
	MOVQ ld+56(FP), R9;      \
	SHLQ $2, R9;             \
	MOVQ rows+64(FP), R10;   \
	MOVQ k+72(FP), CX

// LANESY sets the mask y to the lanes j < n (a register).
#define LANESY(n, y) \
	MOVQ         n, X13; \
	VPBROADCASTD X13, y; \
	VPCMPGTD     rowLanes<>(SB), y, y

// PRARGS loads PackRows16's and PackRows8's arguments: DI dst, R8 sd in
// bytes, SI src, R9 ld in bytes, R10 cols, R11 lanes, CX k.
#define PRARGS \
	MOVQ dst_base+0(FP), DI;  \
	MOVQ sd+24(FP), R8;       \
	SHLQ $2, R8;              \
	MOVQ src_base+32(FP), SI; \
	MOVQ ld+56(FP), R9;       \
	SHLQ $2, R9;              \
	MOVQ cols+64(FP), R10;    \
	MOVQ lanes+72(FP), R11;   \
	MOVQ k+80(FP), CX

// func SgemmKernel6x16(k int, a []float32, rsa, csa int, b []float32, sb int, beta float32, c []float32, ldc int)
// Requires: AVX, AVX2, FMA
TEXT ·SgemmKernel6x16(SB), NOSPLIT, $0-120
	ARGS
	PREFETCHC(6, 64)

	// acc = beta * C, C or +0
	BETA(beta+80(FP), zero6, load6)
	VBROADCASTSS X15, Y15
	ROWS6(LOADY)
	ROWS6(SCALEY)
	JMP start6

load6:
	ROWS6(LOADY)
	JMP start6

zero6:
	ROWS6(ZEROY)

	// for p < k: acc[i] = FMA(A[i, p], B[p, 0:16], acc[i])
start6:
	STEPS(STEP6)

	// C = acc
	MOVQ C, ROW
	ROWS6(STOREY)
	VZEROUPPER
	RET

// ---- AVX2: one row, n ≤ 32, accumulators Y0…Y3, lane masks Y4…Y7 ----

// rowLanes holds the lane numbers 0…7, for the lane masks.
DATA rowLanes<>+0(SB)/8, $0x0000000100000000
DATA rowLanes<>+8(SB)/8, $0x0000000300000002
DATA rowLanes<>+16(SB)/8, $0x0000000500000004
DATA rowLanes<>+24(SB)/8, $0x0000000700000006
GLOBL rowLanes<>(SB), RODATA|NOPTR, $32

// MASKY: mask = lanes j with j < T (a column count), then T -= 8.
#define MASKY(mask) \
	VMOVD        T, X8; \
	VPBROADCASTD X8, Y8; \
	VPCMPGTD     rowLanes<>(SB), Y8, mask; \
	SUBQ         $8, T

// LOADR: acc = C, columns n… zero (a masked load reads zeros there and
// cannot fault).
#define LOADR \
	VMASKMOVPS (C), Y4, Y0; \
	VMASKMOVPS 32(C), Y5, Y1; \
	VMASKMOVPS 64(C), Y6, Y2; \
	VMASKMOVPS 96(C), Y7, Y3

// ROWY4: acc += a[p] (Y8) * B[p, 0:32], masked loads of B through Y9…Y12.
#define ROWY4 \
	VMASKMOVPS  (B), Y4, Y9; \
	VFMADD231PS Y9, Y8, Y0; \
	VMASKMOVPS  32(B), Y5, Y10; \
	VFMADD231PS Y10, Y8, Y1; \
	VMASKMOVPS  64(B), Y6, Y11; \
	VFMADD231PS Y11, Y8, Y2; \
	VMASKMOVPS  96(B), Y7, Y12; \
	VFMADD231PS Y12, Y8, Y3

// func SgemmRow32(k int, a []float32, sa int, b []float32, sb int, beta float32, c []float32, n int)
// Requires: AVX, AVX2, FMA
TEXT ·SgemmRow32(SB), NOSPLIT, $0-112
	// Y4…Y7: lane j of column group q is all ones when 8q+j < n
	MOVQ n+104(FP), T
	MASKY(Y4)
	MASKY(Y5)
	MASKY(Y6)
	MASKY(Y7)
	ROWARGS

	// acc = beta * C, C or +0, columns n… zero
	BETA(beta+72(FP), zeror, loadr)
	VBROADCASTSS X15, Y15
	LOADR
	SCALEY(Y0, Y1)
	SCALEY(Y2, Y3)
	JMP loopr

loadr:
	LOADR
	JMP loopr

zeror:
	ZEROY(Y0, Y1)
	ZEROY(Y2, Y3)

	// for p < k: acc = FMA(a[p], B[p, 0:32], acc) on columns < n
loopr:
	ROWSTEPS(Y8, ROWY4)

	// C = acc, columns < n
	VMASKMOVPS Y0, Y4, (C)
	VMASKMOVPS Y1, Y5, 32(C)
	VMASKMOVPS Y2, Y6, 64(C)
	VMASKMOVPS Y3, Y7, 96(C)
	VZEROUPPER
	RET

// ---- AVX-512: 12×32 and 10×32, accumulators Z0…Z23 (row i in Z2i, Z2i+1) ----

#define ROWS10(OP) OP(Z0, Z1); OP(Z2, Z3); OP(Z4, Z5); OP(Z6, Z7); OP(Z8, Z9); OP(Z10, Z11); OP(Z12, Z13); OP(Z14, Z15); OP(Z16, Z17); OP(Z18, Z19)
#define ROWS12(OP) ROWS10(OP); OP(Z20, Z21); OP(Z22, Z23)

// FMAZ: lo, hi += A[i, p] (at addr) * B[p, 0:32] (Z24, Z25). Broadcasting
// in each FMA instead (VFMADD231PS.BCST) loads A[i, p] twice, and the loads
// bind: 0.97× on 1024³, 0.87× on 256×256×784, 0.85× on 784×256×256 Aᵀ·B.
#define FMAZ(addr, t, lo, hi) \
	VBROADCASTSS addr, t; \
	VFMADD231PS  Z24, t, lo; \
	VFMADD231PS  Z25, t, hi

// FMAZ4 and FMAZ6: FMAZ on the four or six rows from base.
#define FMAZ4(base, l0, h0, l1, h1, l2, h2, l3, h3) \
	FMAZ((base), Z26, l0, h0); \
	FMAZ((base)(R*1), Z27, l1, h1); \
	FMAZ((base)(R*2), Z28, l2, h2); \
	FMAZ((base)(R3*1), Z29, l3, h3)
#define FMAZ6(base, l0, h0, l1, h1, l2, h2, l3, h3, l4, h4, l5, h5) \
	FMAZ4(base, l0, h0, l1, h1, l2, h2, l3, h3); \
	FMAZ((base)(R*4), Z30, l4, h4); \
	FMAZ((base)(R5*1), Z31, l5, h5)

// STEPZ(FMAHI): acc[i] += A[i, p] * B[p, 0:32], the first six rows here
// and the others (from A6) in FMAHI, then p++, prefetching A and B eight
// steps ahead.
#define STEPZ(FMAHI) \
	PREFETCHT0 (A)(STRA*8); \
	PREFETCHT0 (A6)(STRA*8); \
	PREFETCHT0 (B)(STRB*8); \
	PREFETCHT0 64(B)(STRB*8); \
	VMOVUPS (B), Z24; \
	VMOVUPS 64(B), Z25; \
	FMAZ6(A, Z0, Z1, Z2, Z3, Z4, Z5, Z6, Z7, Z8, Z9, Z10, Z11); \
	FMAHI; \
	ADDQ STRA, A; \
	ADDQ STRA, A6; \
	ADDQ STRB, B
#define STEP12 STEPZ(FMAZ6(A6, Z12, Z13, Z14, Z15, Z16, Z17, Z18, Z19, Z20, Z21, Z22, Z23))
#define STEP10 STEPZ(FMAZ4(A6, Z12, Z13, Z14, Z15, Z16, Z17, Z18, Z19))

// func SgemmKernel12x32(k int, a []float32, rsa, csa int, b []float32, sb int, beta float32, c []float32, ldc int)
// Requires: AVX512F
TEXT ·SgemmKernel12x32(SB), NOSPLIT, $0-120
	// acc = beta * C, C or +0; for p < k: acc[i] = FMA(A[i, p], B[p, 0:32], acc[i]); C = acc
	KERNELZ(12, ROWS12, STEP12)

// func SgemmKernel10x32(k int, a []float32, rsa, csa int, b []float32, sb int, beta float32, c []float32, ldc int)
// Requires: AVX512F
TEXT ·SgemmKernel10x32(SB), NOSPLIT, $0-120
	KERNELZ(10, ROWS10, STEP10)

// ---- AVX-512: 16×n, n ≤ 16, accumulators Z0…Z15 (row i in Zi), lanes K1 ----

#define ROWS16(OP) OP(Z0); OP(Z1); OP(Z2); OP(Z3); OP(Z4); OP(Z5); OP(Z6); OP(Z7); OP(Z8); OP(Z9); OP(Z10); OP(Z11); OP(Z12); OP(Z13); OP(Z14); OP(Z15)

// Masked operations on one row: C row at ROW, then next row.
#define LOADM(z) VMOVUPS.Z (ROW), K1, z; ADDQ LDC, ROW
#define STOREM(z) VMOVUPS z, K1, (ROW); ADDQ LDC, ROW
#define SCALEM(z) VMULPS Z31, z, z
#define ZEROM(z) VPXORD z, z, z

// FMAN: acc += A[i, p] (at addr) * B[p, 0:16] (Z16), broadcast by the
// FMA itself, one µop fewer per A element (256×10×256: 1.04×).
#define FMAN(addr, acc) VFMADD231PS.BCST addr, Z16, acc

// FMAN8: FMAN on the eight rows from base, off bytes along them.
#define FMAN8(off, base, z0, z1, z2, z3, z4, z5, z6, z7) \
	FMAN(off(base), z0); \
	FMAN(off(base)(R*1), z1); \
	FMAN(off(base)(R*2), z2); \
	FMAN(off(base)(R3*1), z3); \
	FMAN(off(base)(R*4), z4); \
	FMAN(off(base)(R5*1), z5); \
	FMAN(off(base)(R3*2), z6); \
	FMAN(off(base)(R7*1), z7)

// STEP16(off, brow): acc[i] += A[i, p] (off bytes past A) * B[p, 0:16] (at
// brow), B's lanes n… zero.
#define STEP16(off, brow) \
	VMOVUPS.Z brow, K1, Z16; \
	FMAN8(off, A, Z0, Z1, Z2, Z3, Z4, Z5, Z6, Z7); \
	FMAN8(off, A8, Z8, Z9, Z10, Z11, Z12, Z13, Z14, Z15)

// LANES sets K1… to the lanes of the first n (a register, ≤ 64) columns,
// 16 per mask: T = 1<<n - 1, all ones for n = 64 (SHLQ counts mod 64).
#define LANES(n) \
	MOVQ $-1, T; \
	CMPQ n, $64; \
	JAE  lanes; \
	MOVQ $1, T; \
	SHLQ n, T; \
	DECQ T; \
lanes:

// func SgemmKernel16xN(k int, a []float32, rsa, csa int, b []float32, sb int, beta float32, c []float32, ldc int, n int)
// Requires: AVX512F
TEXT ·SgemmKernel16xN(SB), NOSPLIT, $0-128
	MOVQ n+120(FP), CX
	LANES(CX)
	KMOVW T, K1
	ARGS

	// acc = beta * C, C or +0, columns n… zero
	BETA(beta+80(FP), zero16, load16)
	VBROADCASTSS X15, Z31
	ROWS16(LOADM)
	ROWS16(SCALEM)
	JMP start16

load16:
	ROWS16(LOADM)
	JMP start16

zero16:
	ROWS16(ZEROM)

start16:
	LEAQ (A)(R*8), A8

	// for p < k: acc[i] = FMA(A[i, p], B[p, 0:16], acc[i]). With A's rows
	// contiguous along p, four steps a turn by displacements, three pointer
	// updates a turn instead of twelve (256×10×256: 1.06×); ROW = 3·sb.
	CMPQ STRA, $4
	JNE  loop16
	LEAQ (STRB)(STRB*2), ROW
	SUBQ $4, K
	JB   rest16

quad16:
	STEP16(0, (B))
	STEP16(4, (B)(STRB*1))
	STEP16(8, (B)(STRB*2))
	STEP16(12, (B)(ROW*1))
	ADDQ $16, A
	ADDQ $16, A8
	LEAQ (B)(STRB*4), B
	SUBQ $4, K
	JAE  quad16

rest16:
	ADDQ $4, K
	JZ   done16

loop16:
	STEP16(0, (B))
	ADDQ STRA, A
	ADDQ STRA, A8
	ADDQ STRB, B
	DECQ K
	JNZ  loop16

done16:
	// C = acc, columns < n
	MOVQ C, ROW
	ROWS16(STOREM)
	VZEROUPPER
	RET

// ---- AVX-512: one row, n ≤ 64, accumulators Z0…Z3, lanes K1…K4 ----

// ROWZ4: acc += a[p] (Z8) * B[p, 0:64], lanes K1…K4.
#define ROWZ4 \
	VFMADD231PS (B), Z8, K1, Z0; \
	VFMADD231PS 64(B), Z8, K2, Z1; \
	VFMADD231PS 128(B), Z8, K3, Z2; \
	VFMADD231PS 192(B), Z8, K4, Z3

// func SgemmRow64(k int, a []float32, sa int, b []float32, sb int, beta float32, c []float32, n int)
// Requires: AVX512F, AVX512BW
TEXT ·SgemmRow64(SB), NOSPLIT, $0-112
	MOVQ n+104(FP), CX
	LANES(CX)
	KMOVQ T, K1
	KSHIFTRQ $16, K1, K2
	KSHIFTRQ $32, K1, K3
	KSHIFTRQ $48, K1, K4
	ROWARGS

	// acc = beta * C, C or +0, columns n… zero
	BETA(beta+72(FP), zero1, load1)
	VBROADCASTSS X15, Z31
	VMULPS.Z (C), Z31, K1, Z0
	VMULPS.Z 64(C), Z31, K2, Z1
	VMULPS.Z 128(C), Z31, K3, Z2
	VMULPS.Z 192(C), Z31, K4, Z3
	JMP loop1

load1:
	VMOVUPS.Z (C), K1, Z0
	VMOVUPS.Z 64(C), K2, Z1
	VMOVUPS.Z 128(C), K3, Z2
	VMOVUPS.Z 192(C), K4, Z3
	JMP loop1

zero1:
	VPXORD Z0, Z0, Z0
	VPXORD Z1, Z1, Z1
	VPXORD Z2, Z2, Z2
	VPXORD Z3, Z3, Z3

	// for p < k: acc = FMA(a[p], B[p, 0:64], acc) on columns < n, the
	// others left at zero (a masked operand cannot fault)
loop1:
	ROWSTEPS(Z8, ROWZ4)

	// C = acc, columns < n
	VMOVUPS Z0, K1, (C)
	VMOVUPS Z1, K2, 64(C)
	VMOVUPS Z2, K3, 128(C)
	VMOVUPS Z3, K4, 192(C)
	VZEROUPPER
	RET
// ROWST8 loads the columns under K1 of 8 rows of B at base, R9 bytes apart
// (R11 = 3·R9, R12 = 5·R9, R13 = 7·R9), into z0–z7, zero elsewhere.
#define ROWST8(base, z0, z1, z2, z3, z4, z5, z6, z7) \
	VMOVUPS.Z (base), K1, z0; \
	VMOVUPS.Z (base)(R9*1), K1, z1; \
	VMOVUPS.Z (base)(R9*2), K1, z2; \
	VMOVUPS.Z (base)(R11*1), K1, z3; \
	VMOVUPS.Z (base)(R9*4), K1, z4; \
	VMOVUPS.Z (base)(R12*1), K1, z5; \
	VMOVUPS.Z (base)(R11*2), K1, z6; \
	VMOVUPS.Z (base)(R13*1), K1, z7

// ROWST16 loads 16 rows (DI and R10 = DI + 8 rows) into Z0–Z15.
#define ROWST16 \
	ROWST8(DI, Z0, Z1, Z2, Z3, Z4, Z5, Z6, Z7); \
	ROWST8(R10, Z8, Z9, Z10, Z11, Z12, Z13, Z14, Z15)

// func SgemmRowT16(k int, a []float32, b []float32, sb int, beta float32, c []float32)
// Requires: AVX512F
TEXT ·SgemmRowT16(SB), NOSPLIT, $0-96
	// 16 rows of B (sb apart) give 16 elements of C: per 16 steps of p, a
	// 16×16 block of B is transposed in registers (Z0–Z15, one spare),
	// so that each step's 16 elements are one vector, and acc (Z17) takes
	// the 16 FMAs in order of p.
	ROWTARGS
	LEAQ (DI)(R9*8), R10

	KXNORW K1, K1, K1 // every column, until the tail

	ROWTACC(Z17, Z18, VPXORD, rtloop)

rtloop:
	CMPQ CX, $16
	JB   rttail
	ROWST16
	TRANSPOSE16
	VFMADD231PS.BCST 0(SI), T16Q0, Z17
	VFMADD231PS.BCST 4(SI), T16Q1, Z17
	VFMADD231PS.BCST 8(SI), T16Q2, Z17
	VFMADD231PS.BCST 12(SI), T16Q3, Z17
	VFMADD231PS.BCST 16(SI), T16Q4, Z17
	VFMADD231PS.BCST 20(SI), T16Q5, Z17
	VFMADD231PS.BCST 24(SI), T16Q6, Z17
	VFMADD231PS.BCST 28(SI), T16Q7, Z17
	VFMADD231PS.BCST 32(SI), T16Q8, Z17
	VFMADD231PS.BCST 36(SI), T16Q9, Z17
	VFMADD231PS.BCST 40(SI), T16Q10, Z17
	VFMADD231PS.BCST 44(SI), T16Q11, Z17
	VFMADD231PS.BCST 48(SI), T16Q12, Z17
	VFMADD231PS.BCST 52(SI), T16Q13, Z17
	VFMADD231PS.BCST 56(SI), T16Q14, Z17
	VFMADD231PS.BCST 60(SI), T16Q15, Z17
	ADDQ $64, DI
	ADDQ $64, R10
	ADDQ $64, SI
	SUBQ $16, CX
	JMP  rtloop

rttail:
	// the last k % 16 steps: columns past k load as zero, and their FMAs
	// are skipped (FMA(a, +0, -0) would turn -0 into +0)
	TESTQ CX, CX
	JZ    rtdone
	MOVL  $1, AX
	SHLL  CX, AX
	DECL  AX
	KMOVW AX, K1
	ROWST16
	TRANSPOSE16
	VFMADD231PS.BCST 0(SI), T16Q0, Z17
	CMPQ CX, $1
	JBE  rtdone
	VFMADD231PS.BCST 4(SI), T16Q1, Z17
	CMPQ CX, $2
	JBE  rtdone
	VFMADD231PS.BCST 8(SI), T16Q2, Z17
	CMPQ CX, $3
	JBE  rtdone
	VFMADD231PS.BCST 12(SI), T16Q3, Z17
	CMPQ CX, $4
	JBE  rtdone
	VFMADD231PS.BCST 16(SI), T16Q4, Z17
	CMPQ CX, $5
	JBE  rtdone
	VFMADD231PS.BCST 20(SI), T16Q5, Z17
	CMPQ CX, $6
	JBE  rtdone
	VFMADD231PS.BCST 24(SI), T16Q6, Z17
	CMPQ CX, $7
	JBE  rtdone
	VFMADD231PS.BCST 28(SI), T16Q7, Z17
	CMPQ CX, $8
	JBE  rtdone
	VFMADD231PS.BCST 32(SI), T16Q8, Z17
	CMPQ CX, $9
	JBE  rtdone
	VFMADD231PS.BCST 36(SI), T16Q9, Z17
	CMPQ CX, $10
	JBE  rtdone
	VFMADD231PS.BCST 40(SI), T16Q10, Z17
	CMPQ CX, $11
	JBE  rtdone
	VFMADD231PS.BCST 44(SI), T16Q11, Z17
	CMPQ CX, $12
	JBE  rtdone
	VFMADD231PS.BCST 48(SI), T16Q12, Z17
	CMPQ CX, $13
	JBE  rtdone
	VFMADD231PS.BCST 52(SI), T16Q13, Z17
	CMPQ CX, $14
	JBE  rtdone
	VFMADD231PS.BCST 56(SI), T16Q14, Z17
	CMPQ CX, $15
	JBE  rtdone
	VFMADD231PS.BCST 60(SI), T16Q15, Z17

rtdone:
	VMOVUPS Z17, (DX)
	VZEROUPPER
	RET

// PKNEXT moves AX (a row of src, R9 bytes apart) on while the row after
// is one of the R10 rows (next is the number of rows that takes): past
// them, the last row loads again.
#define PKNEXT(next) \
	LEAQ    (AX)(R9*1), DX; \
	CMPQ    R10, next;      \
	CMOVQGE DX, AX

// PKLOAD loads the row at AX under K1 into z, then PKNEXT.
#define PKLOAD(z, next) \
	VMOVUPS.Z (AX), K1, z; \
	PKNEXT(next)

// PKLOAD16 loads 16 rows (PKLOAD) into Z0–Z15.
#define PKLOAD16 \
	PKLOAD(Z0, $2); \
	PKLOAD(Z1, $3); \
	PKLOAD(Z2, $4); \
	PKLOAD(Z3, $5); \
	PKLOAD(Z4, $6); \
	PKLOAD(Z5, $7); \
	PKLOAD(Z6, $8); \
	PKLOAD(Z7, $9); \
	PKLOAD(Z8, $10); \
	PKLOAD(Z9, $11); \
	PKLOAD(Z10, $12); \
	PKLOAD(Z11, $13); \
	PKLOAD(Z12, $14); \
	PKLOAD(Z13, $15); \
	PKLOAD(Z14, $16); \
	VMOVUPS.Z (AX), K1, Z15

// PKSTORE stores the lanes under K3 of z at DI, then moves DI on by R8.
#define PKSTORE(z) \
	VMOVUPS z, K3, (DI); \
	ADDQ    R8, DI

// PKSTORET is PKSTORE for the last k % 16 columns: it stops after CX.
#define PKSTORET(z) \
	PKSTORE(z); \
	DECQ CX;    \
	JZ   pkdone

// func PackColsT16(dst []float32, sd int, src []float32, ld, rows, k int)
// Requires: AVX512F
TEXT ·PackColsT16(SB), NOSPLIT, $0-80
	// 16 columns of the rows at a time: loaded as 16 rows (the last row
	// repeated past rows), transposed in registers, stored as 16 rows of
	// dst under the rows' lanes.
	PKARGS
	MOVQ   CX, DX
	MOVQ   R10, CX
	MOVL   $1, AX
	SHLL   CX, AX
	DECL   AX
	KMOVW  AX, K3
	MOVQ   DX, CX
	KXNORW K1, K1, K1

pkloop:
	CMPQ CX, $16
	JB   pktail
	MOVQ SI, AX
	PKLOAD16
	TRANSPOSE16
	PKSTORE(T16Q0)
	PKSTORE(T16Q1)
	PKSTORE(T16Q2)
	PKSTORE(T16Q3)
	PKSTORE(T16Q4)
	PKSTORE(T16Q5)
	PKSTORE(T16Q6)
	PKSTORE(T16Q7)
	PKSTORE(T16Q8)
	PKSTORE(T16Q9)
	PKSTORE(T16Q10)
	PKSTORE(T16Q11)
	PKSTORE(T16Q12)
	PKSTORE(T16Q13)
	PKSTORE(T16Q14)
	PKSTORE(T16Q15)
	ADDQ $64, SI
	SUBQ $16, CX
	JMP  pkloop

pktail:
	// the last k % 16 columns: the rest load as zero, and only k % 16
	// rows of dst are stored
	TESTQ CX, CX
	JZ    pkdone
	MOVL  $1, AX
	SHLL  CX, AX
	DECL  AX
	KMOVW AX, K1
	MOVQ  SI, AX
	PKLOAD16
	TRANSPOSE16
	PKSTORET(T16Q0)
	PKSTORET(T16Q1)
	PKSTORET(T16Q2)
	PKSTORET(T16Q3)
	PKSTORET(T16Q4)
	PKSTORET(T16Q5)
	PKSTORET(T16Q6)
	PKSTORET(T16Q7)
	PKSTORET(T16Q8)
	PKSTORET(T16Q9)
	PKSTORET(T16Q10)
	PKSTORET(T16Q11)
	PKSTORET(T16Q12)
	PKSTORET(T16Q13)
	PKSTORET(T16Q14)

pkdone:
	VZEROUPPER
	RET


// ROWST8Y loads the columns under the mask Y11 of 8 rows of B at DI, R9
// bytes apart (R11 = 3·R9, R12 = 5·R9, R13 = 7·R9), into Y0–Y7, zero
// elsewhere.
#define ROWST8Y \
	VMASKMOVPS (DI), Y11, Y0; \
	VMASKMOVPS (DI)(R9*1), Y11, Y1; \
	VMASKMOVPS (DI)(R9*2), Y11, Y2; \
	VMASKMOVPS (DI)(R11*1), Y11, Y3; \
	VMASKMOVPS (DI)(R9*4), Y11, Y4; \
	VMASKMOVPS (DI)(R12*1), Y11, Y5; \
	VMASKMOVPS (DI)(R11*2), Y11, Y6; \
	VMASKMOVPS (DI)(R13*1), Y11, Y7

// func SgemmRowT8(k int, a []float32, b []float32, sb int, beta float32, c []float32)
// Requires: AVX, FMA
TEXT ·SgemmRowT8(SB), NOSPLIT, $0-96
	// SgemmRowT16 with 8 rows and 8×8 blocks; acc in Y9.
	ROWTARGS
	VPCMPEQD Y11, Y11, Y11 // every column, until the tail

	ROWTACC(Y9, Y10, VXORPS, rt8loop)

rt8loop:
	CMPQ CX, $8
	JB   rt8tail
	ROWST8Y
	TRANSPOSE8
	VBROADCASTSS 0(SI), Y10
	VFMADD231PS  Y10, T8Q0, Y9
	VBROADCASTSS 4(SI), Y10
	VFMADD231PS  Y10, T8Q1, Y9
	VBROADCASTSS 8(SI), Y10
	VFMADD231PS  Y10, T8Q2, Y9
	VBROADCASTSS 12(SI), Y10
	VFMADD231PS  Y10, T8Q3, Y9
	VBROADCASTSS 16(SI), Y10
	VFMADD231PS  Y10, T8Q4, Y9
	VBROADCASTSS 20(SI), Y10
	VFMADD231PS  Y10, T8Q5, Y9
	VBROADCASTSS 24(SI), Y10
	VFMADD231PS  Y10, T8Q6, Y9
	VBROADCASTSS 28(SI), Y10
	VFMADD231PS  Y10, T8Q7, Y9
	ADDQ $32, DI
	ADDQ $32, SI
	SUBQ $8, CX
	JMP  rt8loop

rt8tail:
	// the last k % 8 steps, as in SgemmRowT16
	TESTQ CX, CX
	JZ    rt8done
	LEAQ  ·lanes+32(SB), AX
	SHLQ  $2, CX
	SUBQ  CX, AX
	SHRQ  $2, CX
	VMOVDQU (AX), Y11
	ROWST8Y
	TRANSPOSE8
	VBROADCASTSS 0(SI), Y10
	VFMADD231PS  Y10, T8Q0, Y9
	CMPQ CX, $1
	JBE  rt8done
	VBROADCASTSS 4(SI), Y10
	VFMADD231PS  Y10, T8Q1, Y9
	CMPQ CX, $2
	JBE  rt8done
	VBROADCASTSS 8(SI), Y10
	VFMADD231PS  Y10, T8Q2, Y9
	CMPQ CX, $3
	JBE  rt8done
	VBROADCASTSS 12(SI), Y10
	VFMADD231PS  Y10, T8Q3, Y9
	CMPQ CX, $4
	JBE  rt8done
	VBROADCASTSS 16(SI), Y10
	VFMADD231PS  Y10, T8Q4, Y9
	CMPQ CX, $5
	JBE  rt8done
	VBROADCASTSS 20(SI), Y10
	VFMADD231PS  Y10, T8Q5, Y9
	CMPQ CX, $6
	JBE  rt8done
	VBROADCASTSS 24(SI), Y10
	VFMADD231PS  Y10, T8Q6, Y9
	CMPQ CX, $7
	JBE  rt8done
	VBROADCASTSS 28(SI), Y10
	VFMADD231PS  Y10, T8Q7, Y9

rt8done:
	VMOVUPS Y9, (DX)
	VZEROUPPER
	RET

// PK8LOAD is PKLOAD with 8 lanes: columns under the mask Y11.
#define PK8LOAD(y, next) \
	VMASKMOVPS (AX), Y11, y; \
	PKNEXT(next)

// PK8LOAD8 loads 8 rows (PK8LOAD) into Y0–Y7.
#define PK8LOAD8 \
	PK8LOAD(Y0, $2); \
	PK8LOAD(Y1, $3); \
	PK8LOAD(Y2, $4); \
	PK8LOAD(Y3, $5); \
	PK8LOAD(Y4, $6); \
	PK8LOAD(Y5, $7); \
	PK8LOAD(Y6, $8); \
	VMASKMOVPS (AX), Y11, Y7

// PK8STORE stores the lanes under the mask Y12 of y at DI, then moves DI on
// by R8.
#define PK8STORE(y) \
	VMASKMOVPS y, Y12, (DI); \
	ADDQ       R8, DI

// PK8STORET is PK8STORE for the last k % 8 columns: it stops after CX.
#define PK8STORET(y) \
	PK8STORE(y); \
	DECQ CX;     \
	JZ   pk8done

// func PackColsT8(dst []float32, sd int, src []float32, ld, rows, k int)
// Requires: AVX, AVX2
TEXT ·PackColsT8(SB), NOSPLIT, $0-80
	// PackColsT16 with 8×8 blocks and lane masks in Y11 (columns) and Y12
	// (rows).
	PKARGS
	LANESY(R10, Y12)
	VPCMPEQD Y11, Y11, Y11

pk8loop:
	CMPQ CX, $8
	JB   pk8tail
	MOVQ SI, AX
	PK8LOAD8
	TRANSPOSE8
	PK8STORE(T8Q0)
	PK8STORE(T8Q1)
	PK8STORE(T8Q2)
	PK8STORE(T8Q3)
	PK8STORE(T8Q4)
	PK8STORE(T8Q5)
	PK8STORE(T8Q6)
	PK8STORE(T8Q7)
	ADDQ $32, SI
	SUBQ $8, CX
	JMP  pk8loop

pk8tail:
	TESTQ CX, CX
	JZ    pk8done
	LANESY(CX, Y11)
	MOVQ  SI, AX
	PK8LOAD8
	TRANSPOSE8
	PK8STORET(T8Q0)
	PK8STORET(T8Q1)
	PK8STORET(T8Q2)
	PK8STORET(T8Q3)
	PK8STORET(T8Q4)
	PK8STORET(T8Q5)
	PK8STORET(T8Q6)

pk8done:
	VZEROUPPER
	RET

// PRMASK sets the opmask k to the lanes j < n (a register ≤ 16); CX is
// kept in DX.
#define PRMASK(n, k) \
	MOVQ  CX, DX; \
	MOVQ  n, CX;  \
	MOVL  $1, AX; \
	SHLL  CX, AX; \
	DECL  AX;     \
	KMOVW AX, k;  \
	MOVQ  DX, CX

// func PackRows16(dst []float32, sd int, src []float32, ld, cols, lanes, k int)
// Requires: AVX512F
TEXT ·PackRows16(SB), NOSPLIT, $0-88
	// one masked load and one masked store a row
	PRARGS
	PRMASK(R10, K1)
	PRMASK(R11, K2)

pr16:
	TESTQ     CX, CX
	JZ        pr16done
	VMOVUPS.Z (SI), K1, Z0
	VMOVUPS   Z0, K2, (DI)
	ADDQ      R9, SI
	ADDQ      R8, DI
	DECQ      CX
	JMP       pr16

pr16done:
	VZEROUPPER
	RET

// func PackRows8(dst []float32, sd int, src []float32, ld, cols, lanes, k int)
// Requires: AVX, AVX2
TEXT ·PackRows8(SB), NOSPLIT, $0-88
	// PackRows16 with 8 lanes, the masks in Y1 (cols) and Y2 (lanes)
	PRARGS
	MOVQ         R10, X1
	VPBROADCASTD X1, Y1
	VPCMPGTD     rowLanes<>(SB), Y1, Y1
	MOVQ         R11, X2
	VPBROADCASTD X2, Y2
	VPCMPGTD     rowLanes<>(SB), Y2, Y2

pr8:
	TESTQ      CX, CX
	JZ         pr8done
	VMASKMOVPS (SI), Y1, Y0
	VMASKMOVPS Y0, Y2, (DI)
	ADDQ       R9, SI
	ADDQ       R8, DI
	DECQ       CX
	JMP        pr8

pr8done:
	VZEROUPPER
	RET
