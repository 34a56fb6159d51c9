//go:build !purego

#include "textflag.h"
#include "transpose_amd64.h"

// Each constant is replicated to 64 bytes, so one symbol is the memory
// operand of an XMM, YMM (first 16 or 32 bytes) or ZMM instruction.
#define SPLAT(sym, v) \
	DATA sym+0(SB)/4, v; DATA sym+4(SB)/4, v; DATA sym+8(SB)/4, v; DATA sym+12(SB)/4, v; \
	DATA sym+16(SB)/4, v; DATA sym+20(SB)/4, v; DATA sym+24(SB)/4, v; DATA sym+28(SB)/4, v; \
	DATA sym+32(SB)/4, v; DATA sym+36(SB)/4, v; DATA sym+40(SB)/4, v; DATA sym+44(SB)/4, v; \
	DATA sym+48(SB)/4, v; DATA sym+52(SB)/4, v; DATA sym+56(SB)/4, v; DATA sym+60(SB)/4, v; \
	GLOBL sym(SB), RODATA|NOPTR, $64

// consts<>: the softmax kernels' constants, each replicated to 128 bytes
// at consts<>+128*i. A kernel sets BP to the first 64-byte boundary in
// consts<> (CONSTS, in a frame, so that BP is saved), and each name below
// is then the 64-byte-aligned memory operand of an XMM, YMM or ZMM
// instruction, wherever the linker put consts<> (it aligns data to 32
// bytes): ZMM loads split across cache lines had made the softmax
// kernels up to 1.2× slower in some builds than in others.
#define KSPLAT4(off, v) \
	DATA consts<>+(off)(SB)/4, v; DATA consts<>+(off+4)(SB)/4, v; \
	DATA consts<>+(off+8)(SB)/4, v; DATA consts<>+(off+12)(SB)/4, v
#define KSPLAT(i, v) \
	KSPLAT4(128*i, v); KSPLAT4(128*i+16, v); KSPLAT4(128*i+32, v); KSPLAT4(128*i+48, v); \
	KSPLAT4(128*i+64, v); KSPLAT4(128*i+80, v); KSPLAT4(128*i+96, v); KSPLAT4(128*i+112, v)
#define CONSTS \
	LEAQ consts<>+63(SB), BP; \
	ANDQ $-64, BP

// kernels.Exp and kernels.Log (float32 bits), the bounds of pick, ints
KSPLAT(0, $0xc2d00000)  // expLo: -104
KSPLAT(1, $0x3fb8aa3b)  // log2e
KSPLAT(2, $0x3f318000)  // ln2Hi
KSPLAT(3, $0xb95e8083)  // ln2Lo
KSPLAT(4, $0x39506967)  // expC0
KSPLAT(5, $0x3ab743ce)  // expC1
KSPLAT(6, $0x3c088908)  // expC2
KSPLAT(7, $0x3d2aa9c1)  // expC3
KSPLAT(8, $0x3e2aaaaa)  // expC4
KSPLAT(9, $0x3f000000)  // expC5
KSPLAT(10, $0x3d9021bb) // logC0
KSPLAT(11, $0xbdebd1b8) // logC1
KSPLAT(12, $0x3def251a) // logC2
KSPLAT(13, $0xbdfe5d4f) // logC3
KSPLAT(14, $0x3e11e9bf) // logC4
KSPLAT(15, $0xbe2aae50) // logC5
KSPLAT(16, $0x3e4cceac) // logC6
KSPLAT(17, $0xbe7ffffc) // logC7
KSPLAT(18, $0x3eaaaaaa) // logC8
KSPLAT(19, $0x3f800000) // one
KSPLAT(20, $0x3f000000) // half
KSPLAT(21, $0xff800000) // negInf
KSPLAT(22, $127)        // bias: exponent bias
KSPLAT(23, $0x004afb0d) // logK: 0x3f800000 - sqrtHalfBits
KSPLAT(24, $0x3f3504f3) // sqrtHalf: sqrtHalfBits
KSPLAT(25, $0x007fffff) // mant
KSPLAT(26, $1)          // int1
KSPLAT(27, $2)          // int2
KSPLAT(28, $3)          // int3
GLOBL consts<>(SB), RODATA|NOPTR, $3712

#define expLo (128*0)(BP)
#define log2e (128*1)(BP)
#define ln2Hi (128*2)(BP)
#define ln2Lo (128*3)(BP)
#define expC0 (128*4)(BP)
#define expC1 (128*5)(BP)
#define expC2 (128*6)(BP)
#define expC3 (128*7)(BP)
#define expC4 (128*8)(BP)
#define expC5 (128*9)(BP)
#define logC0 (128*10)(BP)
#define logC1 (128*11)(BP)
#define logC2 (128*12)(BP)
#define logC3 (128*13)(BP)
#define logC4 (128*14)(BP)
#define logC5 (128*15)(BP)
#define logC6 (128*16)(BP)
#define logC7 (128*17)(BP)
#define logC8 (128*18)(BP)
#define one (128*19)(BP)
#define half (128*20)(BP)
#define negInf (128*21)(BP)
#define bias (128*22)(BP)
#define logK (128*23)(BP)
#define sqrtHalf (128*24)(BP)
#define mant (128*25)(BP)
#define int1 (128*26)(BP)
#define int2 (128*27)(BP)
#define int3 (128*28)(BP)


// The float32 fields and bounds of SGD's path for tiny velocities.
SPLAT(absMask<>, $0x7fffffff)
SPLAT(signMask<>, $0x80000000)
SPLAT(expMask<>, $0x7f800000)
SPLAT(tinyV<>, $0x01000000)    // 2⁻¹²⁵
SPLAT(tinyGm1<>, $0x0d7fffff)  // 2⁻¹⁰⁰'s bits minus 1

// qword1<>: 1 in each quadword.
DATA qword1<>+0(SB)/8, $1
DATA qword1<>+8(SB)/8, $1
DATA qword1<>+16(SB)/8, $1
DATA qword1<>+24(SB)/8, $1
GLOBL qword1<>(SB), RODATA|NOPTR, $32

// iota<>: the int32 lane numbers 0…15.
DATA iota<>+0(SB)/8, $0x0000000100000000
DATA iota<>+8(SB)/8, $0x0000000300000002
DATA iota<>+16(SB)/8, $0x0000000500000004
DATA iota<>+24(SB)/8, $0x0000000700000006
DATA iota<>+32(SB)/8, $0x0000000900000008
DATA iota<>+40(SB)/8, $0x0000000b0000000a
DATA iota<>+48(SB)/8, $0x0000000d0000000c
DATA iota<>+56(SB)/8, $0x0000000f0000000e
GLOBL iota<>(SB), RODATA|NOPTR, $64

// ·lanes: eight all-ones int32 then eight zeros; the 32 bytes at
// ·lanes+4*(8-k) are the VMASKMOVPS mask of the first k lanes (also used
// by gemm_amd64.s).
DATA ·lanes+0(SB)/8, $-1
DATA ·lanes+8(SB)/8, $-1
DATA ·lanes+16(SB)/8, $-1
DATA ·lanes+24(SB)/8, $-1
DATA ·lanes+32(SB)/8, $0
DATA ·lanes+40(SB)/8, $0
DATA ·lanes+48(SB)/8, $0
DATA ·lanes+56(SB)/8, $0
GLOBL ·lanes(SB), RODATA|NOPTR, $64

// HORNER6 sets q = c0 and then q = FMA(q, x, c) for c = c1, …, c5.
#define HORNER6(x, q, c0, c1, c2, c3, c4, c5) \
	VMOVUPS     c0, q;    \
	VFMADD213PS c1, x, q; \
	VFMADD213PS c2, x, q; \
	VFMADD213PS c3, x, q; \
	VFMADD213PS c4, x, q; \
	VFMADD213PS c5, x, q

// EXPY computes kernels.Exp up to its scaling, lane by lane, for x ≤ 0 or
// NaN (x = logit - max, so Exp's upper clamp never applies): it clamps x
// in place and leaves y in q and the float n in n (e^x = y·2^n); r and t
// are scratch. The clamp is MAXPS with the constant as first source, which
// returns the second source x when x is NaN, as the reference's compare
// does. ROUND is VROUNDPS or VRNDSCALEPS; imm 0 rounds to nearest even.
#define EXPY(ROUND, x, n, r, q, t) \
	EXPCLAMP(x, t);    \
	EXPN(ROUND, x, n); \
	EXPR(x, n, r);     \
	HORNER6(r, q, expC0, expC1, expC2, expC3, expC4, expC5); \
	EXPQ(r, q, t)

// EXPY's steps: the clamp, n, r, and y from the polynomial q.
#define EXPCLAMP(x, t) \
	VMOVUPS expLo, t; \
	VMAXPS  x, t, x
#define EXPN(ROUND, x, n) \
	VMULPS log2e, x, n; \
	ROUND  $0, n, n
#define EXPR(x, n, r) \
	VMOVAPS      x, r;            \
	VFNMADD231PS ln2Hi, n, r; \
	VFNMADD231PS ln2Lo, n, r
#define EXPQ(r, q, t) \
	VMULPS      r, r, t; \
	VFMADD213PS r, t, q; \
	VADDPS      one, q, q

// EXPY4 is EXPY (AVX-512) on four vectors, their steps interleaved: one
// Exp is a chain of ≈ 60 cycles, and four in turn kept the FMA ports
// busier than one after another (a loop of Exps alone: 1.2–1.27×).
#define EXPY4(x0, n0, r0, q0, t0, x1, n1, r1, q1, t1, x2, n2, r2, q2, t2, x3, n3, r3, q3, t3) \
	EXPCLAMP(x0, t0); EXPCLAMP(x1, t1); EXPCLAMP(x2, t2); EXPCLAMP(x3, t3); \
	EXPN(VRNDSCALEPS, x0, n0); EXPN(VRNDSCALEPS, x1, n1); EXPN(VRNDSCALEPS, x2, n2); EXPN(VRNDSCALEPS, x3, n3); \
	EXPR(x0, n0, r0); EXPR(x1, n1, r1); EXPR(x2, n2, r2); EXPR(x3, n3, r3); \
	VMOVUPS expC0, q0; VMOVUPS expC0, q1; VMOVUPS expC0, q2; VMOVUPS expC0, q3; \
	HORNER4(expC1, r0, q0, r1, q1, r2, q2, r3, q3); \
	HORNER4(expC2, r0, q0, r1, q1, r2, q2, r3, q3); \
	HORNER4(expC3, r0, q0, r1, q1, r2, q2, r3, q3); \
	HORNER4(expC4, r0, q0, r1, q1, r2, q2, r3, q3); \
	HORNER4(expC5, r0, q0, r1, q1, r2, q2, r3, q3); \
	EXPQ(r0, q0, t0); EXPQ(r1, q1, t1); EXPQ(r2, q2, t2); EXPQ(r3, q3, t3); \
	VSCALEFPS n0, q0, q0; VSCALEFPS n1, q1, q1; VSCALEFPS n2, q2, q2; VSCALEFPS n3, q3, q3

// HORNER4: one Horner step, q = FMA(q, r, c), on four pairs.
#define HORNER4(c, r0, q0, r1, q1, r2, q2, r3, q3) \
	VFMADD213PS c, r0, q0; \
	VFMADD213PS c, r1, q1; \
	VFMADD213PS c, r2, q2; \
	VFMADD213PS c, r3, q3

// SCALE2 finishes Exp on AVX2: q = (q·2^n1)·2^n2 with n1 = n>>1, n2 = n-n1,
// each power built in the exponent field. n and t are clobbered.
#define SCALE2(n, q, t) \
	VCVTPS2DQ n, n;             \
	VPSRAD    $1, n, t;         \
	VPSUBD    t, n, n;          \
	VPADDD    bias, t, t; \
	VPSLLD    $23, t, t;        \
	VPADDD    bias, n, n; \
	VPSLLD    $23, n, n;        \
	VMULPS    t, q, q;          \
	VMULPS    n, q, q

// LOGQ computes kernels.Log(x) into q for normal x > 0 (a softmax row sum
// is NaN or ≥ 1) by the Log recipe; x is kept, f, e and z are scratch. NaN
// x is the caller's.
#define LOGQ(x, f, e, z, q) \
	VPADDD       logK, x, f; \
	VPSRAD       $23, f, e;        \
	VPSUBD       bias, e, e; \
	VCVTDQ2PS    e, e;             \
	VANDPS       mant, f, f; \
	VPADDD       sqrtHalf, f, f; \
	VSUBPS       one, f, f;  \
	VMULPS       f, f, z;          \
	HORNER6(f, q, logC0, logC1, logC2, logC3, logC4, logC5); \
	VFMADD213PS  logC6, f, q; \
	VFMADD213PS  logC7, f, q; \
	VFMADD213PS  logC8, f, q; \
	VMULPS       f, q, q;          \
	VMULPS       z, q, q;          \
	VFMADD231PS  ln2Lo, e, q; \
	VFNMADD231PS half, z, q; \
	VADDPS       f, q, q;          \
	VFMADD231PS  ln2Hi, e, q

// TREE8 folds the 8 lanes of Y0 into X0[0] by the canonical tree (h = 4,
// 2, 1: lane j = OP(lane j+h, lane j)); OP is VMAXPS (the pick step: MAXPS
// returns its second source on ties) or VADDPS. Y1 is scratch.
#define TREE8(OP) \
	VEXTRACTF128 $1, Y0, X1;  \
	OP           X0, X1, X0;  \
	VPERMILPS    $0x0e, X0, X1; \
	OP           X0, X1, X0;  \
	VMOVSHDUP    X0, X1;      \
	OP           X0, X1, X0

// ROWLOSS stores loss = Log(s) - (x[y]-mx) at (R11) for s in X0[0] and
// x[y]-mx in X8[0]; X4-X7 scratch.
#define ROWLOSS \
	LOGQ(X0, X4, X5, X6, X7);    \
	VCMPPS       $3, X0, X0, X4; \
	VBLENDVPS    X4, X0, X7, X7; \
	VSUBSS       X8, X7, X7;     \
	VMOVSS       X7, (R11)

// LABELFIX stores D[y] = FMA(e[y], t, -scale) for e[y] in E[0], t in
// T[0], scale in X10 and y in AX.
#define LABELFIX(E, T, D) \
	VFMSUB213SS X10, T, E; \
	VMOVSS      E, (D)(AX*4)

// PREVTAIL finishes pass 3 of the previous softmax row (AVX-512): its
// tail at R14 under K1, then its label's element; t in Z13, e[y] in X14.
#define PREVTAIL \
	VMOVUPS.Z (R14), K1, Z4; \
	VMULPS    Z13, Z4, Z4;   \
	VMOVUPS   Z4, K1, (R14); \
	MOVQ      DI, DX;        \
	SUBQ      R12, DX;       \
	MOVLQSX   -4(R10), AX;   \
	LABELFIX(X14, X13, DX)

// SGDARGS loads SGD's arguments: DI w, CX len(w), SI grad, DX v (0 when
// nil), BX the step of DX (BYTES, 0 when v is nil), R8 nonzero when
// weightDecay != 0 (also NaN), and LR, MOM, WD broadcast.
#define SGDARGS(BYTES, LR, MOM, WD) \
	MOVQ         w_base+0(FP), DI;       \
	MOVQ         w_len+8(FP), CX;        \
	MOVQ         grad_base+24(FP), SI;   \
	MOVQ         v_base+48(FP), DX;      \
	VBROADCASTSS lr+72(FP), LR;          \
	VBROADCASTSS momentum+76(FP), MOM;   \
	VBROADCASTSS weightDecay+80(FP), WD; \
	XORL         R8, R8;                 \
	XORL         AX, AX;                 \
	VXORPS       X0, X0, X0;             \
	VUCOMISS     weightDecay+80(FP), X0; \
	SETNE        R8;                     \
	SETPS        AX;                     \
	ORQ          AX, R8;                 \
	XORL         BX, BX;                 \
	TESTQ        DX, DX;                 \
	JZ           sgdargsdone;            \
	MOVQ         $BYTES, BX;             \
sgdargsdone:

// SGDGRAD starts the vector at SI/DI: G = grad, W = w, and with weight
// decay g = FMA(wd, w, g). It jumps to sgddone after the last vector.
#define SGDGRAD(G, W, WD) \
	TESTQ       CX, CX;  \
	JZ          sgddone; \
	VMOVUPS     (SI), G; \
	VMOVUPS     (DI), W; \
	TESTQ       R8, R8;  \
	JZ          sgdnowd; \
	VFMADD231PS W, WD, G; \
sgdnowd:

// SGDMOM is the momentum step: v = FMA(momentum, v, g), stored; g = v.
#define SGDMOM(G, MOM, V) \
	VFMADD213PS G, MOM, V; \
	VMOVUPS     V, (DX);   \
	VMOVAPS     V, G

// SGDNEXT is w = FMA(-lr, g, w), stored, and the step to the next vector.
#define SGDNEXT(BYTES, LR, G, W) \
	VFNMADD231PS G, LR, W;      \
	VMOVUPS      W, (DI);       \
	ADDQ         $BYTES, SI;    \
	ADDQ         $BYTES, DI;    \
	ADDQ         BX, DX;        \
	SUBQ         $(BYTES/4), CX; \
	JMP          sgdloop

// SGDRNE rounds the quadwords P to nearest even after dividing them by
// 2^S (S a count register, HALF = 2^(S-1) - 1, ONE = 1 in each quadword),
// with T scratch and AND the vector AND of the width.
#define SGDRNE(AND, P, T, S, ONE, HALF) \
	VPSRLQ S, P, T;    \
	AND    ONE, T, T;  \
	VPADDQ HALF, P, P; \
	VPADDQ T, P, P;    \
	VPSRLQ S, P, P

// SGDTINYARGS checks that v is not nil and that the momentum and lr allow
// the tiny-velocity path (see SGDAVX512). If so it falls through with
// R10 = 1, R11 the least exponent field of w (in place), R12 = s, R13 = M
// and AX the sign of the momentum; if not it jumps to sgdloop with
// R10 = 0.
#define SGDTINYARGS \
	XORL  R10, R10;             \
	TESTQ DX, DX;               \
	JZ    sgdloop;              \
	MOVL  momentum+76(FP), AX;  \
	MOVL  AX, R9;               \
	SHRL  $23, R9;              \
	ANDL  $0xff, R9;            \
	CMPL  R9, $90;              \
	JB    sgdloop;              \
	CMPL  R9, $126;             \
	JA    sgdloop;              \
	MOVL  lr+72(FP), R11;       \
	SHRL  $23, R11;             \
	ANDL  $0xff, R11;           \
	CMPL  R11, $0xff;           \
	JE    sgdloop;              \
	SUBL  $99, R11;             \
	CMPL  R11, $1;              \
	JGE   sgdwexp;              \
	MOVL  $1, R11;              \
sgdwexp:                        \
	SHLL  $23, R11;             \
	MOVL  $150, R12;            \
	SUBL  R9, R12;              \
	MOVL  AX, R13;              \
	ANDL  $0x7fffff, R13;       \
	ORL   $0x800000, R13;       \
	ANDL  $0x80000000, AX;      \
	MOVL  $1, R10

// SMARGS sets BP (CONSTS) and loads the softmax stub arguments: R8 rows,
// SI logits, R9 ld, R10 labels, R11 loss, DI dlogits, R12 ldd, SC scale
// (broadcast), NI -Inf; cols is left in CX.
#define SMARGS(SC, NI) \
	CONSTS;                              \
	MOVQ         rows+0(FP), R8;         \
	MOVQ         cols+8(FP), CX;         \
	MOVQ         logits_base+16(FP), SI; \
	MOVQ         ld+40(FP), R9;          \
	MOVQ         labels_base+48(FP), R10; \
	MOVQ         loss_base+72(FP), R11;  \
	MOVQ         dlogits_base+96(FP), DI; \
	MOVQ         ldd+120(FP), R12;       \
	VBROADCASTSS scale+128(FP), SC;      \
	VBROADCASTSS negInf, NI

// ROWSARGS is SMARGS for the row-at-a-time kernels: ld and ldd in bytes
// (R9, R12) and R13 = bytes of the row's full 16-float blocks.
#define ROWSARGS(SC, NI) \
	SMARGS(SC, NI);  \
	SHLQ $2, R9;     \
	SHLQ $2, R12;    \
	MOVQ CX, R13;    \
	ANDQ $-16, R13;  \
	SHLQ $2, R13

// SLOTLD loads slot i at BASE(R14) into z; PICKLD also picks it against
// -Inf (Z11), for the max.
#define SLOTLD(BASE, i, z) VMOVUPS (BASE+64*i)(R14), z
#define PICKLD(BASE, i, z) VMOVUPS (BASE+64*i)(R14), z; VMAXPS Z11, z, z

// COLTREE folds the 16 slots at BASE(R14), loaded by LD, into Z16 by the
// canonical tree: for h = 8, 4, 2, 1 and j < h, slot j = OP(slot j+h,
// slot j) (MAXPS: the pick step). Steps with a pad slot (from cols, R13,
// on: -Inf for the max after the pick, +0 for a sum of e ≥ +0 or NaN) give
// the other operand, so those of h = 8 are skipped (256×10: 0.97-0.98×);
// DONE is a label.
#define COLTREE(OP, LD, BASE, DONE) \
	LD(BASE, 0, Z16); LD(BASE, 1, Z17); LD(BASE, 2, Z18); LD(BASE, 3, Z19); \
	LD(BASE, 4, Z20); LD(BASE, 5, Z21); LD(BASE, 6, Z22); LD(BASE, 7, Z23); \
	CMPQ R13, $9;  JB DONE; LD(BASE, 8, Z24);  OP Z16, Z24, Z16; \
	CMPQ R13, $10; JB DONE; LD(BASE, 9, Z25);  OP Z17, Z25, Z17; \
	CMPQ R13, $11; JB DONE; LD(BASE, 10, Z26); OP Z18, Z26, Z18; \
	CMPQ R13, $12; JB DONE; LD(BASE, 11, Z27); OP Z19, Z27, Z19; \
	CMPQ R13, $13; JB DONE; LD(BASE, 12, Z28); OP Z20, Z28, Z20; \
	CMPQ R13, $14; JB DONE; LD(BASE, 13, Z29); OP Z21, Z29, Z21; \
	CMPQ R13, $15; JB DONE; LD(BASE, 14, Z30); OP Z22, Z30, Z22; \
	CMPQ R13, $16; JB DONE; LD(BASE, 15, Z31); OP Z23, Z31, Z23; \
DONE: \
	OP Z16, Z20, Z16; \
	OP Z17, Z21, Z17; \
	OP Z18, Z22, Z18; \
	OP Z19, Z23, Z19; \
	OP Z16, Z18, Z16; \
	OP Z17, Z19, Z17; \
	OP Z16, Z17, Z16

// COLSUMS4 loads the ColumnSums arguments (R8 rows, CX cols, SI a, R9
// lda in bytes, DI dst) and sums blocks of four vectors of columns
// (BYTES each, A0-A3 the sums: s = s + a[i, j] in row order) while at
// least four vectors (BYTES columns) are left; then it jumps to NEXT.
#define COLSUMS4(BYTES, A0, A1, A2, A3, NEXT) \
	MOVQ    rows+0(FP), R8;      \
	MOVQ    cols+8(FP), CX;      \
	MOVQ    a_base+16(FP), SI;   \
	MOVQ    lda+40(FP), R9;      \
	SHLQ    $2, R9;              \
	MOVQ    dst_base+48(FP), DI; \
csblock:                         \
	CMPQ    CX, $BYTES;          \
	JB      NEXT;                \
	VXORPS  A0, A0, A0;          \
	VXORPS  A1, A1, A1;          \
	VXORPS  A2, A2, A2;          \
	VXORPS  A3, A3, A3;          \
	MOVQ    SI, AX;              \
	MOVQ    R8, DX;              \
	TESTQ   DX, DX;              \
	JZ      csstore;             \
csrow:                           \
	VADDPS  (AX), A0, A0;        \
	VADDPS  BYTES(AX), A1, A1;   \
	VADDPS  (2*BYTES)(AX), A2, A2; \
	VADDPS  (3*BYTES)(AX), A3, A3; \
	ADDQ    R9, AX;              \
	DECQ    DX;                  \
	JNZ     csrow;               \
csstore:                         \
	VMOVUPS A0, (DI);            \
	VMOVUPS A1, BYTES(DI);       \
	VMOVUPS A2, (2*BYTES)(DI);   \
	VMOVUPS A3, (3*BYTES)(DI);   \
	ADDQ    $(4*BYTES), SI;      \
	ADDQ    $(4*BYTES), DI;      \
	SUBQ    $BYTES, CX;          \
	JMP     csblock

// GRADARGS loads the ReluGrad arguments: DI dx, SI x, DX dy, CX len.
#define GRADARGS \
	MOVQ dx_base+0(FP), DI; \
	MOVQ x_base+24(FP), SI; \
	MOVQ dy_base+48(FP), DX; \
	MOVQ dx_len+8(FP), CX

// U8ARGS loads the Uint8ToFloat32 arguments: DI dst, SI src, CX len, D
// the broadcast divisor.
#define U8ARGS(D) \
	MOVQ         dst_base+0(FP), DI;  \
	MOVQ         src_base+24(FP), SI; \
	MOVQ         src_len+32(FP), CX;  \
	VBROADCASTSS divisor+48(FP), D

// RELU8 loads the Relu arguments (DI dst, SI src, CX len), sets ZERO to
// zeros and converts eight vectors (BYTES each, 2·BYTES floats) at a time
// while at least eight are left, leaving DI, SI and CX at the rest for the
// code that follows. dst = 0 > x ? 0 : x: MAXPS with the zeros first
// returns its second source x for NaN and ±0. The stores address dst as
// SI plus dst−src, so that one pointer moves: 4 Ki floats, avx512, 106 ns
// a call against 131 ns with four vectors and two pointers, and 121 ns for
// a copy (a standalone loop, medians of 6 alternating rounds, 14:27 UTC).
#define RELU8(BYTES, ZERO, R0, R1, R2, R3, R4, R5, R6, R7) \
	MOVQ    dst_base+0(FP), DI;   \
	MOVQ    src_base+24(FP), SI;  \
	MOVQ    src_len+32(FP), CX;   \
	VXORPS  ZERO, ZERO, ZERO;     \
	SUBQ    SI, DI;               \
	CMPQ    CX, $(2*BYTES);       \
	JB      relurest;             \
relublock:                        \
	VMAXPS  (SI), ZERO, R0;       \
	VMAXPS  BYTES(SI), ZERO, R1;  \
	VMAXPS  (2*BYTES)(SI), ZERO, R2; \
	VMAXPS  (3*BYTES)(SI), ZERO, R3; \
	VMAXPS  (4*BYTES)(SI), ZERO, R4; \
	VMAXPS  (5*BYTES)(SI), ZERO, R5; \
	VMAXPS  (6*BYTES)(SI), ZERO, R6; \
	VMAXPS  (7*BYTES)(SI), ZERO, R7; \
	VMOVUPS R0, (SI)(DI*1);       \
	VMOVUPS R1, BYTES(SI)(DI*1);  \
	VMOVUPS R2, (2*BYTES)(SI)(DI*1); \
	VMOVUPS R3, (3*BYTES)(SI)(DI*1); \
	VMOVUPS R4, (4*BYTES)(SI)(DI*1); \
	VMOVUPS R5, (5*BYTES)(SI)(DI*1); \
	VMOVUPS R6, (6*BYTES)(SI)(DI*1); \
	VMOVUPS R7, (7*BYTES)(SI)(DI*1); \
	ADDQ    $(8*BYTES), SI;       \
	SUBQ    $(2*BYTES), CX;       \
	CMPQ    CX, $(2*BYTES);       \
	JAE     relublock;            \
relurest:                         \
	ADDQ    SI, DI

// func ReluAVX2(dst, src []float32)
// Requires: AVX
TEXT ·ReluAVX2(SB), NOSPLIT, $0-48
	RELU8(32, Y0, Y1, Y2, Y3, Y4, Y5, Y6, Y7, Y8)

relu8:
	TESTQ   CX, CX
	JZ      reludone
	VMAXPS  (SI), Y0, Y1
	VMOVUPS Y1, (DI)
	ADDQ    $32, SI
	ADDQ    $32, DI
	SUBQ    $8, CX
	JMP     relu8

reludone:
	VZEROUPPER
	RET

// func ReluAVX512(dst, src []float32)
// Requires: AVX512F, AVX512DQ
TEXT ·ReluAVX512(SB), NOSPLIT, $0-48
	RELU8(64, Z0, Z1, Z2, Z3, Z4, Z5, Z6, Z7, Z8)

relu16:
	CMPQ    CX, $16
	JB      relutail
	VMAXPS  (SI), Z0, Z1
	VMOVUPS Z1, (DI)
	ADDQ    $64, SI
	ADDQ    $64, DI
	SUBQ    $16, CX
	JMP     relu16

relutail:
	// the last len%16 elements under a lane mask (masked lanes never fault)
	MOVL     $1, AX
	SHLL     CX, AX
	DECL     AX
	KMOVW    AX, K1
	VMAXPS.Z (SI), Z0, K1, Z1
	VMOVUPS  Z1, K1, (DI)
	VZEROUPPER
	RET

// func ReluGradAVX2(dx, x, dy []float32)
// Requires: AVX
TEXT ·ReluGradAVX2(SB), NOSPLIT, $0-72
	GRADARGS
	VXORPS Y0, Y0, Y0

grad8:
	// dx = (0 < x) ? dy : +0, as the all-ones compare mask ANDed with dy
	TESTQ   CX, CX
	JZ      graddone
	VCMPPS  $0x11, (SI), Y0, Y1
	VANDPS  (DX), Y1, Y1
	VMOVUPS Y1, (DI)
	ADDQ    $32, SI
	ADDQ    $32, DX
	ADDQ    $32, DI
	SUBQ    $8, CX
	JMP     grad8

graddone:
	VZEROUPPER
	RET

// func ReluGradAVX512(dx, x, dy []float32)
// Requires: AVX512F
TEXT ·ReluGradAVX512(SB), NOSPLIT, $0-72
	GRADARGS
	VPXORD Z0, Z0, Z0
	MOVL   $0xffff, AX
	KMOVW  AX, K2

grad16:
	// K1 = lanes with 0 < x (within K2); dx = dy there, +0 elsewhere
	CMPQ      CX, $16
	JB        gradtail
	VCMPPS    $0x11, (SI), Z0, K2, K1
	VMOVUPS.Z (DX), K1, Z1
	VMOVUPS   Z1, (DI)
	ADDQ      $64, SI
	ADDQ      $64, DX
	ADDQ      $64, DI
	SUBQ      $16, CX
	JMP       grad16

gradtail:
	MOVL      $1, AX
	SHLL      CX, AX
	DECL      AX
	KMOVW     AX, K2
	VCMPPS    $0x11, (SI), Z0, K2, K1
	VMOVUPS.Z (DX), K1, Z1
	VMOVUPS   Z1, K2, (DI)
	VZEROUPPER
	RET

// func SGDAVX2(w, grad, v []float32, lr, momentum, weightDecay float32)
// Requires: AVX, FMA
TEXT ·SGDAVX2(SB), NOSPLIT, $128-84
	// The tiny-velocity path of SGDAVX512 (see there), with lane masks in
	// vectors. Frame: 0 the least exponent field of w minus 1, 32 M, 64
	// the sign of the momentum, 96 2^(s-1) - 1; X12 = s.
	SGDARGS(32, Y13, Y14, Y15)
	SGDTINYARGS
	DECL         R11
	MOVL         R11, 0(SP)
	VPBROADCASTD 0(SP), Y4
	VMOVDQU      Y4, 0(SP)
	MOVL         R13, 32(SP)
	VPBROADCASTD 32(SP), Y4
	VMOVDQU      Y4, 32(SP)
	MOVL         AX, 64(SP)
	VPBROADCASTD 64(SP), Y4
	VMOVDQU      Y4, 64(SP)
	VMOVQ        R12, X12
	DECL         R12
	VMOVQ        R12, X4
	VMOVDQU      qword1<>(SB), Y5
	VPSLLQ       X4, Y5, Y4
	VPSUBQ       Y5, Y4, Y4
	VMOVDQU      Y4, 96(SP)

sgdloop:
	SGDGRAD(Y1, Y2, Y15)
	TESTQ DX, DX
	JZ    sgdnext
	VMOVUPS (DX), Y3
	TESTQ   R10, R10
	JZ      sgdmom

	// Y5 = lanes with 0 < |v| < 2⁻¹²⁵; Y4 = |v|
	VPAND    absMask<>(SB), Y3, Y4
	VMOVDQU  tinyV<>(SB), Y5
	VPCMPGTD Y4, Y5, Y5
	VPXOR    Y6, Y6, Y6
	VPCMPEQD Y6, Y4, Y6
	VPANDN   Y5, Y6, Y5
	VPTEST   Y5, Y5
	JNZ      sgdtiny

sgdmom:
	SGDMOM(Y1, Y14, Y3)

sgdnext:
	SGDNEXT(32, Y13, Y1, Y2)

sgdtiny:
	// Y7 = Y5's lanes with g finite and ≥ 2⁻¹⁰⁰; Y5 &= g == ±0, w finite
	// with exponent field ≥ 0(SP)+1
	VMOVDQU  expMask<>(SB), Y8
	VPAND    Y8, Y1, Y6
	VPCMPGTD tinyGm1<>(SB), Y6, Y7
	VPCMPGTD Y6, Y8, Y9
	VPAND    Y9, Y7, Y7
	VPAND    Y5, Y7, Y7
	VPAND    absMask<>(SB), Y1, Y6
	VPXOR    Y9, Y9, Y9
	VPCMPEQD Y9, Y6, Y6
	VPAND    Y6, Y5, Y5
	VPAND    Y8, Y2, Y6
	VPCMPGTD 0(SP), Y6, Y9
	VPAND    Y9, Y5, Y5
	VPCMPGTD Y6, Y8, Y9
	VPAND    Y9, Y5, Y5
	VPOR     Y7, Y5, Y6
	VPTEST   Y6, Y6
	JZ       sgdmom

	// The other lanes as usual, Y6's with v = +0
	VPANDN      Y3, Y6, Y7
	VFMADD213PS Y1, Y14, Y7
	VMOVAPS     Y7, Y1

	// Y5's v' = sign(m·v) | RNE(k·M / 2^s)
	VMOVDQU   qword1<>(SB), Y11
	VPMULUDQ  32(SP), Y4, Y8
	VPSRLQ    $32, Y4, Y9
	VPMULUDQ  32(SP), Y9, Y9
	SGDRNE(VPAND, Y8, Y10, X12, Y11, 96(SP))
	SGDRNE(VPAND, Y9, Y10, X12, Y11, 96(SP))
	VPSLLQ    $32, Y9, Y9
	VPOR      Y9, Y8, Y8
	VPAND     signMask<>(SB), Y3, Y9
	VPXOR     64(SP), Y9, Y9
	VPOR      Y9, Y8, Y8
	VPBLENDVB Y5, Y8, Y7, Y7
	VMOVUPS   Y7, (DX)
	JMP       sgdnext

sgddone:
	VZEROUPPER
	RET

// func SGDAVX512(w, grad, v []float32, lr, momentum, weightDecay float32)
// Requires: AVX512F
TEXT ·SGDAVX512(SB), NOSPLIT, $0-84
	// Lanes whose v is below 2⁻¹²⁵ would make VFMADD take a microcode
	// assist for a subnormal operand or result (≈ 50 ns a vector here;
	// momentum leaves many such v where the gradient stays 0). Where also
	// g = ±0 and w is far above lr·v, the momentum step is exact in
	// integers and w is unchanged: v' = RNE(m·v) on the subnormal grid is
	// RNE(k·M / 2^s) for v = k·2⁻¹⁴⁹ and momentum m = M·2^-s (24 ≤ s ≤ 60,
	// so |m| < 1 and v' < 2²⁴·2⁻¹⁴⁹ keeps k' as its bits), and
	// |lr·v'| < 2^(e(lr)-124) ≤ half an ulp of w when e(w) ≥ e(lr) - 99.
	// Where g ≥ 2⁻¹⁰⁰ instead, |m·v| is below a quarter ulp of g: v' = g.
	// R10 = 1 when the path applies to this call.
	SGDARGS(64, Z13, Z14, Z15)
	SGDTINYARGS
	VPBROADCASTD R11, Z20       // the least exponent field of w
	VMOVQ        R12, X22       // s
	DECL         R12
	VMOVQ        R12, X27
	VMOVDQU64    qword1<>(SB), Y23
	VINSERTI64X4 $1, Y23, Z23, Z23
	VPSLLQ       X27, Z23, Z24
	VPSUBQ       Z23, Z24, Z24  // 2^(s-1) - 1
	VPBROADCASTD R13, Z21       // M
	VPBROADCASTD AX, Z25        // the sign of m
	VMOVDQU32    signMask<>(SB), Z26
	VMOVDQU32    absMask<>(SB), Z16
	VPTERNLOGD   $0xff, Z17, Z17, Z17
	VPSRLD       $31, Z17, Z17  // 1
	VPTERNLOGD   $0xff, Z18, Z18, Z18
	VPSRLD       $8, Z18, Z18   // 0x00ffffff
	VMOVDQU32    expMask<>(SB), Z19
	VMOVDQU32    tinyGm1<>(SB), Z28

sgdloop:
	SGDGRAD(Z1, Z2, Z15)
	TESTQ DX, DX
	JZ    sgdnext
	VMOVUPS (DX), Z3
	TESTQ   R10, R10
	JZ      sgdmom

	// K1 = lanes with 0 < |v| < 2⁻¹²⁵ (|v| - 1 < 0x00ffffff); Z4 = |v|
	VPANDD   Z16, Z3, Z4
	VPSUBD   Z17, Z4, Z5
	VPCMPUD  $1, Z18, Z5, K1
	KORTESTW K1, K1
	JNZ      sgdtiny

sgdmom:
	SGDMOM(Z1, Z14, Z3)

sgdnext:
	SGDNEXT(64, Z13, Z1, Z2)

sgdtiny:
	// K3 = K1's lanes with g finite and ≥ 2⁻¹⁰⁰; K1 &= g == ±0, w finite
	// with exponent field ≥ Z20
	VPANDD   Z19, Z1, Z5
	VPCMPUD  $6, Z28, Z5, K1, K3
	VPCMPUD  $1, Z19, Z5, K3, K3
	VPTESTMD Z16, Z1, K2
	KANDNW   K1, K2, K1
	VPANDD   Z19, Z2, Z5
	VPCMPUD  $5, Z20, Z5, K1, K1
	VPCMPUD  $1, Z19, Z5, K1, K1
	KORW     K1, K3, K2
	KORTESTW K2, K2
	JZ       sgdmom

	// The other lanes as usual, K1's and K3's with v = +0: there v' = g
	// (±0 in K1) and w' = FMA(-lr, v', w) (= w in K1), without subnormals.
	KNOTW       K2, K2
	VMOVAPS.Z   Z3, K2, Z5
	VFMADD213PS Z1, Z14, Z5
	VMOVAPS     Z5, Z1

	// K1's v' = sign(m·v) | RNE(k·M / 2^s), the even lanes' products in
	// Z6 and the odd lanes' in Z7 (quadwords)
	VPMULUDQ  Z21, Z4, Z6
	VPSRLQ    $32, Z4, Z7
	VPMULUDQ  Z21, Z7, Z7
	SGDRNE(VPANDQ, Z6, Z8, X22, Z23, Z24)
	SGDRNE(VPANDQ, Z7, Z9, X22, Z23, Z24)
	VPSLLQ    $32, Z7, Z7
	VPORQ     Z7, Z6, Z6
	VPANDD    Z26, Z3, Z7
	VPXORD    Z25, Z7, Z7
	VPORD     Z7, Z6, Z6
	VMOVDQA32 Z6, K1, Z5
	VMOVUPS   Z5, (DX)
	JMP       sgdnext

sgddone:
	VZEROUPPER
	RET

// func ColumnSumsAVX2(rows, cols int, a []float32, lda int, dst []float32)
// Requires: AVX
TEXT ·ColumnSumsAVX2(SB), NOSPLIT, $0-72
	COLSUMS4(32, Y0, Y1, Y2, Y3, cs8)

cs8:
	TESTQ  CX, CX
	JZ     csdone
	VXORPS Y0, Y0, Y0
	MOVQ   SI, AX
	MOVQ   R8, DX
	TESTQ  DX, DX
	JZ     cs8store

cs8row:
	VADDPS (AX), Y0, Y0
	ADDQ   R9, AX
	DECQ   DX
	JNZ    cs8row

cs8store:
	VMOVUPS Y0, (DI)
	ADDQ    $32, SI
	ADDQ    $32, DI
	SUBQ    $8, CX
	JMP     cs8

csdone:
	VZEROUPPER
	RET

// func ColumnSumsAVX512(rows, cols int, a []float32, lda int, dst []float32)
// Requires: AVX512F, AVX512DQ
TEXT ·ColumnSumsAVX512(SB), NOSPLIT, $0-72
	COLSUMS4(64, Z0, Z1, Z2, Z3, cs16)

cs16:
	// 16 columns, or the last cols%16 under the lane mask K1
	TESTQ CX, CX
	JLE   csdone
	MOVL  $0xffff, AX
	CMPQ  CX, $16
	JAE   cs16mask
	MOVL  $1, AX
	SHLL  CX, AX
	DECL  AX

cs16mask:
	KMOVW  AX, K1
	VPXORD Z0, Z0, Z0
	MOVQ   SI, AX
	MOVQ   R8, DX
	TESTQ  DX, DX
	JZ     cs16store

cs16row:
	VADDPS (AX), Z0, K1, Z0
	ADDQ   R9, AX
	DECQ   DX
	JNZ    cs16row

cs16store:
	VMOVUPS Z0, K1, (DI)
	ADDQ    $64, SI
	ADDQ    $64, DI
	SUBQ    $16, CX
	JMP     cs16

csdone:
	VZEROUPPER
	RET

// func Uint8ToFloat32AVX2(dst []float32, src []uint8, divisor float32)
// Requires: AVX2
TEXT ·Uint8ToFloat32AVX2(SB), NOSPLIT, $0-52
	U8ARGS(Y15)

u8loop:
	// dst = float32(src) / divisor
	TESTQ     CX, CX
	JZ        u8done
	VPMOVZXBD (SI), Y0
	VCVTDQ2PS Y0, Y0
	VDIVPS    Y15, Y0, Y0
	VMOVUPS   Y0, (DI)
	ADDQ      $8, SI
	ADDQ      $32, DI
	SUBQ      $8, CX
	JMP       u8loop

u8done:
	VZEROUPPER
	RET

// func Uint8ToFloat32AVX512(dst []float32, src []uint8, divisor float32)
// Requires: AVX512F
TEXT ·Uint8ToFloat32AVX512(SB), NOSPLIT, $0-52
	U8ARGS(Z15)
	MOVL         $0xffff, AX
	KMOVW        AX, K1

u8loop:
	// dst = float32(src) / divisor, 16 at a time, the tail under K1
	TESTQ       CX, CX
	JLE         u8done
	CMPQ        CX, $16
	JAE         u8full
	MOVL        $1, AX
	SHLL        CX, AX
	DECL        AX
	KMOVW       AX, K1

u8full:
	VPMOVZXBD.Z (SI), K1, Z0
	VCVTDQ2PS   Z0, Z0
	VDIVPS      Z15, Z0, Z0
	VMOVUPS     Z0, K1, (DI)
	ADDQ        $16, SI
	ADDQ        $64, DI
	SUBQ        $16, CX
	JMP         u8loop

u8done:
	VZEROUPPER
	RET

// func SumAVX512(x []float32) float32
// Requires: AVX512F
TEXT ·SumAVX512(SB), NOSPLIT, $0-28
	// one accumulator: lane j is s[j], a chain over x[j], x[j+16], …
	MOVQ   x_base+0(FP), SI
	MOVQ   x_len+8(FP), CX
	VXORPS X0, X0, X0

sumloop:
	CMPQ   CX, $16
	JB     sumtail
	VADDPS (SI), Z0, Z0
	ADDQ   $64, SI
	SUBQ   $16, CX
	JMP    sumloop

sumtail:
	// s[i] += x[i] for the last len%16 (the other lanes under K1 keep s)
	MOVL          $1, AX
	SHLL          CX, AX
	DECL          AX
	KMOVW         AX, K1
	VMOVUPS.Z     (SI), K1, Z1
	VADDPS        Z1, Z0, K1, Z0
	VEXTRACTF64X4 $1, Z0, Y1
	VADDPS        Y1, Y0, Y0
	TREE8(VADDPS)
	VMOVSS        X0, ret+24(FP)
	VZEROUPPER
	RET

// func LabelsBelowAVX512(labels []int32, cols int) bool
// Requires: AVX512F
TEXT ·LabelsBelowAVX512(SB), NOSPLIT, $0-33
	MOVQ labels_base+0(FP), SI
	MOVQ labels_len+8(FP), CX
	MOVQ cols+24(FP), AX

	// Z1 = min(cols, 2³¹) as uint32: below it are exactly the int32
	// labels 0 ≤ y < cols; K2 collects the lanes with cols ≤ uint32(y)
	MOVL         $0x80000000, DX
	CMPQ         AX, DX
	CMOVQHI      DX, AX
	VPBROADCASTD AX, Z1
	KXORW        K2, K2, K2

lbloop:
	CMPQ    CX, $64
	JB      lbtail
	VPCMPUD $2, (SI), Z1, K3
	VPCMPUD $2, 64(SI), Z1, K4
	VPCMPUD $2, 128(SI), Z1, K5
	VPCMPUD $2, 192(SI), Z1, K6
	KORW    K3, K4, K3
	KORW    K5, K6, K5
	KORW    K3, K2, K2
	KORW    K5, K2, K2
	ADDQ    $256, SI
	SUBQ    $64, CX
	JMP     lbloop

lbtail:
	CMPQ    CX, $16
	JB      lblast
	VPCMPUD $2, (SI), Z1, K3
	KORW    K3, K2, K2
	ADDQ    $64, SI
	SUBQ    $16, CX
	JMP     lbtail

lblast:
	MOVL     $1, AX
	SHLL     CX, AX
	DECL     AX
	KMOVW    AX, K1
	VPCMPUD  $2, (SI), Z1, K1, K3
	KORW     K3, K2, K2
	KORTESTW K2, K2
	SETEQ    ret+32(FP)
	VZEROUPPER
	RET

// func SoftmaxCERowsAVX2(rows, cols int, logits []float32, ld int, labels []int32, loss, dlogits []float32, ldd int, scale float32)
// Requires: AVX2, FMA
TEXT ·SoftmaxCERowsAVX2(SB), NOSPLIT, $8-132
	ROWSARGS(Y10, Y11)

	// BX = bytes of half of the full 16-blocks; Y13, Y14 = masks of the
	// tail's lanes 0-7 and 8-15
	MOVQ  R13, BX
	SHRQ  $7, BX
	SHLQ  $6, BX
	ANDQ  $15, CX
	MOVQ  $8, AX
	CMPQ  CX, AX
	CMOVQLT CX, AX
	SUBQ  AX, CX
	LEAQ  ·lanes(SB), DX
	NEGQ  AX
	VMOVUPS 32(DX)(AX*4), Y13
	NEGQ  CX
	VMOVUPS 32(DX)(CX*4), Y14

row:
	// Pass 1: mx = Max(x). Stripes 0-7 and 8-15 in two chunks of
	// consecutive blocks (Y0,Y1 then Y2,Y3), picked together at the end:
	// the pick order is unchanged since the pick of a prefix and of what
	// follows is the pick of the whole.
	VMOVAPS Y11, Y0
	VMOVAPS Y11, Y1
	VMOVAPS Y11, Y2
	VMOVAPS Y11, Y3
	MOVQ    SI, AX
	LEAQ    (SI)(BX*1), CX
	MOVQ    BX, DX
	SHRQ    $6, DX
	JZ      max1

max2:
	VMOVUPS (AX), Y4
	VMAXPS  Y0, Y4, Y0
	VMOVUPS 32(AX), Y5
	VMAXPS  Y1, Y5, Y1
	VMOVUPS (CX), Y6
	VMAXPS  Y2, Y6, Y2
	VMOVUPS 32(CX), Y7
	VMAXPS  Y3, Y7, Y3
	ADDQ    $64, AX
	ADDQ    $64, CX
	DECQ    DX
	JNZ     max2

max1:
	// an odd last block, then the tail with -Inf in its empty lanes
	LEAQ    (SI)(BX*2), AX
	LEAQ    (SI)(R13*1), CX
	CMPQ    AX, CX
	JAE     maxtail
	VMOVUPS (AX), Y4
	VMAXPS  Y2, Y4, Y2
	VMOVUPS 32(AX), Y5
	VMAXPS  Y3, Y5, Y3
	ADDQ    $64, AX

maxtail:
	VMASKMOVPS (AX), Y13, Y4
	VBLENDVPS  Y13, Y4, Y11, Y4
	VMAXPS     Y2, Y4, Y2
	VMASKMOVPS 32(AX), Y14, Y5
	VBLENDVPS  Y14, Y5, Y11, Y5
	VMAXPS     Y3, Y5, Y3
	VMAXPS     Y0, Y2, Y0
	VMAXPS     Y1, Y3, Y1
	VMAXPS     Y0, Y1, Y0
	TREE8(VMAXPS)
	VBROADCASTSS X0, Y12

	// X8 = x[y] - mx, read before dlogits (which may alias) is written
	MOVLQSX (R10), AX
	VMOVSS  (SI)(AX*4), X8
	VSUBSS  X0, X8, X8

	// Pass 2: e = Exp(x - mx) into dlogits, s[i%16] += e (Y0, Y1)
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	MOVQ   SI, AX
	MOVQ   DI, DX
	LEAQ   (SI)(R13*1), CX

exp16:
	CMPQ       AX, CX
	JAE        exptail
	PREFETCHT0 (AX)(R9*1) // the next row, for its pass 1
	VMOVUPS    (AX), Y4
	VSUBPS  Y12, Y4, Y4
	EXPY(VROUNDPS, Y4, Y5, Y6, Y7, Y9)
	SCALE2(Y5, Y7, Y9)
	VADDPS  Y7, Y0, Y0
	VMOVUPS 32(AX), Y4
	VSUBPS  Y12, Y4, Y4
	VMOVAPS Y7, Y15
	EXPY(VROUNDPS, Y4, Y5, Y6, Y7, Y9)
	SCALE2(Y5, Y7, Y9)
	VADDPS  Y7, Y1, Y1
	ADDQ    $64, AX
	TESTQ   DI, DI
	JZ      exp16
	VMOVUPS Y15, (DX)
	VMOVUPS Y7, 32(DX)
	ADDQ    $64, DX
	JMP     exp16

exptail:
	// empty lanes load 0 and are cleared before the sum
	VMASKMOVPS (AX), Y13, Y4
	VSUBPS     Y12, Y4, Y4
	EXPY(VROUNDPS, Y4, Y5, Y6, Y7, Y9)
	SCALE2(Y5, Y7, Y9)
	VANDPS     Y13, Y7, Y15
	VADDPS     Y15, Y0, Y0
	VMASKMOVPS 32(AX), Y14, Y4
	VSUBPS     Y12, Y4, Y4
	EXPY(VROUNDPS, Y4, Y5, Y6, Y7, Y9)
	SCALE2(Y5, Y7, Y9)
	VANDPS     Y14, Y7, Y7
	VADDPS     Y7, Y1, Y1
	TESTQ      DI, DI
	JZ         fold
	VMASKMOVPS Y15, Y13, (DX)
	VMASKMOVPS Y7, Y14, 32(DX)

fold:
	VADDPS Y1, Y0, Y0
	TREE8(VADDPS)
	ROWLOSS
	MOVLQSX (R10), AX
	TESTQ   DI, DI
	JZ      rownext
	VMOVSS  (DI)(AX*4), X8

	// Pass 3: dlogits = e·t (t = scale/s), then the label's element
	VDIVSS       X0, X10, X15
	VBROADCASTSS X15, Y15
	MOVQ         DI, DX
	LEAQ         (DI)(R13*1), CX

scale16:
	CMPQ    DX, CX
	JAE     scaletail
	VMULPS  (DX), Y15, Y4
	VMOVUPS Y4, (DX)
	VMULPS  32(DX), Y15, Y5
	VMOVUPS Y5, 32(DX)
	ADDQ    $64, DX
	JMP     scale16

scaletail:
	VMASKMOVPS (DX), Y13, Y4
	VMULPS     Y15, Y4, Y4
	VMASKMOVPS Y4, Y13, (DX)
	VMASKMOVPS 32(DX), Y14, Y5
	VMULPS     Y15, Y5, Y5
	VMASKMOVPS Y5, Y14, 32(DX)
	LABELFIX(X8, X15, DI)

rownext:
	ADDQ R9, SI
	ADDQ R12, DI
	ADDQ $4, R10
	ADDQ $4, R11
	DECQ R8
	JNZ  row
	VZEROUPPER
	RET

// func SoftmaxCERowsAVX512(rows, cols int, logits []float32, ld int, labels []int32, loss, dlogits []float32, ldd int, scale float32)
// Requires: AVX512F, AVX512DQ
TEXT ·SoftmaxCERowsAVX512(SB), NOSPLIT, $8-132
	ROWSARGS(Z10, Z11)

	// BX = bytes of a quarter of the full vectors, K1 = the tail's lanes
	MOVQ  R13, BX
	SHRQ  $8, BX
	SHLQ  $6, BX
	ANDQ  $15, CX
	MOVL  $1, AX
	SHLL  CX, AX
	DECL  AX
	KMOVW AX, K1
	XORL  R14, R14

row:
	// Pass 1: mx = Max(x), the 16 stripes in four chunks of consecutive
	// vectors (Z0-Z3) picked together at the end, which keeps the pick
	// order (see SoftmaxCERowsAVX2)
	VMOVAPS Z11, Z0
	VMOVAPS Z11, Z1
	VMOVAPS Z11, Z2
	VMOVAPS Z11, Z3
	MOVQ    SI, AX
	LEAQ    (SI)(BX*2), CX
	MOVQ    BX, DX
	SHRQ    $6, DX
	JZ      max1

max4:
	VMOVUPS (AX), Z4
	VMAXPS  Z0, Z4, Z0
	VMOVUPS (AX)(BX*1), Z5
	VMAXPS  Z1, Z5, Z1
	VMOVUPS (CX), Z6
	VMAXPS  Z2, Z6, Z2
	VMOVUPS (CX)(BX*1), Z7
	VMAXPS  Z3, Z7, Z3
	ADDQ    $64, AX
	ADDQ    $64, CX
	DECQ    DX
	JNZ     max4

max1:
	// the last nv%4 vectors, then the tail with -Inf in its empty lanes
	LEAQ (SI)(BX*4), AX
	LEAQ (SI)(R13*1), CX

max1loop:
	CMPQ    AX, CX
	JAE     maxtail
	VMOVUPS (AX), Z4
	VMAXPS  Z3, Z4, Z3
	ADDQ    $64, AX
	JMP     max1loop

maxtail:
	VMOVAPS       Z11, Z4
	VMOVUPS       (AX), K1, Z4
	VMAXPS        Z3, Z4, Z3
	VMAXPS        Z0, Z1, Z0
	VMAXPS        Z0, Z2, Z0
	VMAXPS        Z0, Z3, Z0
	VEXTRACTF64X4 $1, Z0, Y1
	VMAXPS        Y0, Y1, Y0
	TREE8(VMAXPS)
	VBROADCASTSS  X0, Z12

	// X8 = x[y] - mx, read before dlogits (which may alias) is written
	MOVLQSX (R10), AX
	VMOVSS  (SI)(AX*4), X8
	VSUBSS  X0, X8, X8

	// Pass 2: e = Exp(x - mx) into dlogits, s[i%16] += e (Z0), fused
	// with pass 3 of the previous row at R14 (0 for none): its
	// dlogits = e·t with t in Z13
	VPXORD Z0, Z0, Z0
	MOVQ   SI, AX
	MOVQ   DI, DX
	LEAQ   (SI)(R13*1), CX

	// four vectors a turn while four are left (AX + 256 ≤ the end)
	SUBQ $192, CX

exp64:
	CMPQ       AX, CX
	JAE        exp64done
	PREFETCHT0 (AX)(R9*1)
	PREFETCHT0 64(AX)(R9*1)
	PREFETCHT0 128(AX)(R9*1)
	PREFETCHT0 192(AX)(R9*1)
	VMOVUPS    (AX), Z4
	VMOVUPS    64(AX), Z15
	VMOVUPS    128(AX), Z20
	VMOVUPS    192(AX), Z25
	VSUBPS     Z12, Z4, Z4
	VSUBPS     Z12, Z15, Z15
	VSUBPS     Z12, Z20, Z20
	VSUBPS     Z12, Z25, Z25
	EXPY4(Z4, Z5, Z6, Z7, Z9, Z15, Z16, Z17, Z18, Z19, Z20, Z21, Z22, Z23, Z24, Z25, Z26, Z27, Z28, Z29)
	VADDPS     Z7, Z0, Z0
	VADDPS     Z18, Z0, Z0
	VADDPS     Z23, Z0, Z0
	VADDPS     Z28, Z0, Z0
	ADDQ       $256, AX
	TESTQ      DI, DI
	JZ         exp64
	VMOVUPS    Z7, (DX)
	VMOVUPS    Z18, 64(DX)
	VMOVUPS    Z23, 128(DX)
	VMOVUPS    Z28, 192(DX)
	ADDQ       $256, DX
	TESTQ      R14, R14
	JZ         exp64
	VMULPS     (R14), Z13, Z1
	VMULPS     64(R14), Z13, Z2
	VMULPS     128(R14), Z13, Z3
	VMULPS     192(R14), Z13, Z30
	VMOVUPS    Z1, (R14)
	VMOVUPS    Z2, 64(R14)
	VMOVUPS    Z3, 128(R14)
	VMOVUPS    Z30, 192(R14)
	ADDQ       $256, R14
	JMP        exp64

exp64done:
	ADDQ $192, CX

exp16:
	CMPQ       AX, CX
	JAE        exptail
	PREFETCHT0 (AX)(R9*1) // the next row, for its pass 1 (fwd 3.5 → 2.4 ms)
	VMOVUPS    (AX), Z4
	VSUBPS    Z12, Z4, Z4
	EXPY(VRNDSCALEPS, Z4, Z5, Z6, Z7, Z9)
	VSCALEFPS Z5, Z7, Z7
	VADDPS    Z7, Z0, Z0
	ADDQ      $64, AX
	TESTQ     DI, DI
	JZ        exp16
	VMOVUPS   Z7, (DX)
	ADDQ      $64, DX
	TESTQ     R14, R14
	JZ        exp16
	VMULPS    (R14), Z13, Z4
	VMOVUPS   Z4, (R14)
	ADDQ      $64, R14
	JMP       exp16

exptail:
	VMOVUPS.Z (AX), K1, Z4
	VSUBPS    Z12, Z4, Z4
	EXPY(VRNDSCALEPS, Z4, Z5, Z6, Z7, Z9)
	VSCALEFPS Z5, Z7, Z7
	VADDPS    Z7, Z0, K1, Z0
	TESTQ     DI, DI
	JZ        fold
	VMOVUPS   Z7, K1, (DX)
	TESTQ     R14, R14
	JZ        fold
	PREVTAIL

fold:
	// s = the canonical tree of the stripes; the loss; for the next
	// row's fused pass 3: Z13 = t = scale/s, X14 = e[y], R14 = this row
	VEXTRACTF64X4 $1, Z0, Y1
	VADDPS        Y1, Y0, Y0
	TREE8(VADDPS)
	ROWLOSS
	MOVQ          DI, R14
	TESTQ         DI, DI
	JZ            rownext
	MOVLQSX       (R10), AX
	VMOVSS        (DI)(AX*4), X14
	VDIVSS        X0, X10, X13
	VBROADCASTSS  X13, Z13

rownext:
	ADDQ R9, SI
	ADDQ R12, DI
	ADDQ $4, R10
	ADDQ $4, R11
	DECQ R8
	JNZ  row

	// Pass 3 of the last row
	TESTQ R14, R14
	JZ    done
	LEAQ  (R14)(R13*1), CX

scale16:
	CMPQ    R14, CX
	JAE     scaletail
	VMULPS  (R14), Z13, Z4
	VMOVUPS Z4, (R14)
	ADDQ    $64, R14
	JMP     scale16

scaletail:
	PREVTAIL

done:
	VZEROUPPER
	RET

// The 16-byte chunks of rows: SMLD0 (SMLDL) loads one as lane 0 of x
// (lane L of z), SMST0 (SMSTL) stores lane 0 of x (lane L of z); for
// cols < 4 the masked forms (SMLD0N…) load and store only the columns
// under K1, with -Inf (X17) in the others, by way of xt.
#define SMLD0(L, m, x, xt) VMOVUPS m, x
#define SMLDL(L, m, z, xt) VINSERTF32X4 L, m, z, z
#define SMST0(L, x, m, xt) VMOVUPS x, m
#define SMSTL(L, z, m, xt) VEXTRACTF32X4 L, z, m
#define SMLD0N(L, m, x, xt) VMOVAPS X17, x; VMOVUPS m, K1, x
#define SMLDLN(L, m, z, xt) VMOVAPS X17, xt; VMOVUPS m, K1, xt; VINSERTF32X4 L, xt, z, z
#define SMST0N(L, x, m, xt) VMOVUPS x, K1, m
#define SMSTLN(L, z, m, xt) VEXTRACTF32X4 L, z, xt; VMOVUPS xt, K1, m

// SMIN4 loads (LD: SMLD0… or Y4LD0…) the chunks of the next four rows
// (AX, R9 bytes apart) as lane L of z0…z3 and moves AX past them.
#define SMIN4(LD, L, z0, z1, z2, z3, xt) \
	LD(L, (AX), z0, xt);       \
	LD(L, (AX)(R9*1), z1, xt); \
	LEAQ (AX)(R9*2), AX;       \
	LD(L, (AX), z2, xt);       \
	LD(L, (AX)(R9*1), z3, xt); \
	LEAQ (AX)(R9*2), AX

// SMOUT4 stores (ST: SMST0… or Y4ST0…) lane L of z0…z3 as the chunks of
// the next four rows (AX, R12 bytes apart) and moves AX past them.
#define SMOUT4(ST, L, z0, z1, z2, z3, xt) \
	ST(L, z0, (AX), xt);        \
	ST(L, z1, (AX)(R12*1), xt); \
	LEAQ (AX)(R12*2), AX;       \
	ST(L, z2, (AX), xt);        \
	ST(L, z3, (AX)(R12*1), xt); \
	LEAQ (AX)(R12*2), AX

// SMCOLS4 sets BX to the byte offset in a row of the four columns from CX
// on, or of the last four when fewer are left.
#define SMCOLS4 \
	LEAQ    -4(R13), BX; \
	CMPQ    CX, BX;      \
	CMOVQLT CX, BX;      \
	SHLQ    $2, BX

// SMGROUPIN sets the slots at BASE(R14) of the four columns BX bytes into
// a row to those columns of the 16 rows at ROWS (R9 bytes apart, row 4b+j
// as lane b of zj, loaded by LD0 and LDL), x0…x3 the low lanes of z0…z3,
// t0, t1 and xt scratch.
#define SMGROUPIN(LD0, LDL, ROWS, BASE, x0, x1, x2, x3, z0, z1, z2, z3, t0, t1, xt) \
	LEAQ (ROWS)(BX*1), AX;                  \
	SMIN4(LD0, $0, x0, x1, x2, x3, xt);     \
	SMIN4(LDL, $1, z0, z1, z2, z3, xt);     \
	SMIN4(LDL, $2, z0, z1, z2, z3, xt);     \
	SMIN4(LDL, $3, z0, z1, z2, z3, xt);     \
	T4X4(z0, z1, z2, z3, t0, t1);           \
	MOVQ    BX, AX;                         \
	SHLQ    $4, AX;                         \
	VMOVUPS z1, (BASE+64*0)(R14)(AX*1);     \
	VMOVUPS z3, (BASE+64*1)(R14)(AX*1);     \
	VMOVUPS t0, (BASE+64*2)(R14)(AX*1);     \
	VMOVUPS t1, (BASE+64*3)(R14)(AX*1)

// SMGROUPOUT stores the dlogits of the four columns BX bytes into a row,
// from their e slots at BASE(R14), as those columns of the 16 rows at
// ROWS (R12 bytes apart), by ST0 and STL, with Z0-Z6: d = e·T - C, C =
// SC in the lanes whose label (Y) is the column, +0 in the others (e·t -
// +0 is e·t exactly, -0 included).
#define SMGROUPOUT(ST0, STL, ROWS, BASE, T, SC, Y) \
	MOVQ         BX, AX;                       \
	SHRQ         $2, AX;                       \
	VPBROADCASTD AX, Z6;                       \
	VPSUBD       Z6, Y, Z6;                    \
	SHLQ         $6, AX;                       \
	VPTESTNMD    Z6, Z6, K2;                   \
	VPCMPEQD     int1, Z6, K3;                 \
	VMOVAPS.Z    SC, K2, Z0;                   \
	VMOVAPS.Z    SC, K3, Z1;                   \
	VPCMPEQD     int2, Z6, K2;                 \
	VPCMPEQD     int3, Z6, K3;                 \
	VMOVAPS.Z    SC, K2, Z2;                   \
	VMOVAPS.Z    SC, K3, Z3;                   \
	VFMSUB231PS  (BASE+64*0)(R14)(AX*1), T, Z0; \
	VFMSUB231PS  (BASE+64*1)(R14)(AX*1), T, Z1; \
	VFMSUB231PS  (BASE+64*2)(R14)(AX*1), T, Z2; \
	VFMSUB231PS  (BASE+64*3)(R14)(AX*1), T, Z3; \
	LEAQ         (ROWS)(BX*1), AX;             \
	T4X4(Z0, Z1, Z2, Z3, Z4, Z5);              \
	SMOUT4(ST0, $0, X1, X3, X4, X5, X0);       \
	SMOUT4(STL, $1, Z1, Z3, Z4, Z5, X0);       \
	SMOUT4(STL, $2, Z1, Z3, Z4, Z5, X0);       \
	SMOUT4(STL, $3, Z1, Z3, Z4, Z5, X0)

// SMCOLSOUT stores the dlogits of the e slots at BASE(R14) as the 16 rows
// at R15 (SMGROUPOUT), four columns a turn; LOOP, NARROW and DONE are
// labels.
#define SMCOLSOUT(LOOP, NARROW, DONE, BASE, T, SC, Y) \
	XORL CX, CX;                             \
	CMPQ R13, $4;                            \
	JB   NARROW;                             \
LOOP:                                        \
	SMCOLS4;                                 \
	SMGROUPOUT(SMST0, SMSTL, R15, BASE, T, SC, Y); \
	ADDQ $4, CX;                             \
	CMPQ CX, R13;                            \
	JB   LOOP;                               \
	JMP  DONE;                               \
NARROW:                                      \
	XORL BX, BX;                             \
	SMGROUPOUT(SMST0N, SMSTLN, R15, BASE, T, SC, Y); \
DONE:

// SMPICK sets Z1 (Z2) to A's (B's) x - mx of column Z14 (a, b) in the
// lanes whose label (Z8, Z9) is that column, then moves Z14 to the next
// column.
#define SMPICK(a, b) \
	VPCMPEQD Z14, Z8, K2;        \
	VPCMPEQD Z14, Z9, K3;        \
	VMOVAPS  a, K2, Z1;          \
	VMOVAPS  b, K3, Z2;          \
	VPADDD   int1, Z14, Z14

// func SoftmaxCEColsAVX512(rows, cols int, logits []float32, ld int, labels []int32, loss, dlogits []float32, ldd int, scale float32)
// Requires: AVX512F, AVX512DQ
TEXT ·SoftmaxCEColsAVX512(SB), 0, $4160-132
	// One row per lane, 16 rows per block, two blocks (A, B) at a time so
	// that one's chain of dependent steps fills the other's gaps: a
	// block's 16 rows are transposed, four columns at a time (the last
	// four overlapping the previous when cols is not a multiple of 4), so
	// column i is slot i and stripe i of every row a lane of it; the
	// canonical trees become 15 vertical steps, and dlogits' columns are
	// transposed back into rows the same way. Frame (from R14): A's 16
	// slots of logit columns, A's 16 slots of e, then B's. With 16 rows
	// left, B is A again (all loads precede the stores, so even aliased
	// dlogits get the same values twice).
	SMARGS(Z10, Z17)

	// R14 = the frame's first 64-byte boundary, the slots' base: Go
	// aligns SP to 8 bytes (this gave 0.985× where the call happened to
	// be misaligned)
	LEAQ 63(SP), R14
	ANDQ $-64, R14
	SHLQ $2, R9
	SHLQ $2, R12
	MOVQ CX, R13

	// K1 = the columns of a 4-column chunk when cols < 4; slots
	// cols…15: x = -Inf and e = +0, for the trees
	MOVL   $1, AX
	SHLL   CX, AX
	DECL   AX
	KMOVW  AX, K1
	VPXORD Z0, Z0, Z0

pad:
	CMPQ    CX, $16
	JAE     block
	MOVQ    CX, AX
	SHLQ    $6, AX
	VMOVUPS Z17, 0(R14)(AX*1)
	VMOVUPS Z0, 1024(R14)(AX*1)
	VMOVUPS Z17, 2048(R14)(AX*1)
	VMOVUPS Z0, 3072(R14)(AX*1)
	INCQ    CX
	JMP     pad

block:
	// DX = B's offset in labels and loss: 64 bytes, or 0 when B is A;
	// R15 = B's rows
	XORL    DX, DX
	MOVL    $64, AX
	CMPQ    R8, $32
	CMOVQCC AX, DX
	MOVQ    R9, AX
	SHLQ    $4, AX
	LEAQ    (SI)(AX*1), R15
	TESTQ   DX, DX
	CMOVQEQ SI, R15

	// slot i = x_i = column i, for A and B
	XORL CX, CX
	CMPQ R13, $4
	JB   narrowin

colsin:
	SMCOLS4
	SMGROUPIN(SMLD0, SMLDL, SI, 0, X0, X1, X2, X3, Z0, Z1, Z2, Z3, Z4, Z5, X4)
	SMGROUPIN(SMLD0, SMLDL, R15, 2048, X6, X7, X8, X9, Z6, Z7, Z8, Z9, Z10, Z11, X10)
	ADDQ $4, CX
	CMPQ CX, R13
	JB   colsin
	JMP  colsindone

narrowin:
	VBROADCASTSS negInf, Z17
	XORL         BX, BX
	SMGROUPIN(SMLD0N, SMLDLN, SI, 0, X0, X1, X2, X3, Z0, Z1, Z2, Z3, Z4, Z5, X4)
	SMGROUPIN(SMLD0N, SMLDLN, R15, 2048, X6, X7, X8, X9, Z6, Z7, Z8, Z9, Z10, Z11, X10)

colsindone:
	MOVQ R9, AX
	SHLQ $4, AX
	LEAQ (R15)(AX*1), SI

	// mx = Max by the tree: A's in Z12, B's in Z13
	VBROADCASTSS negInf, Z11
	COLTREE(VMAXPS, PICKLD, 0, maxA)
	VMOVAPS Z16, Z12
	COLTREE(VMAXPS, PICKLD, 2048, maxB)
	VMOVAPS Z16, Z13

	// slot 16+i = e_i = Exp(x_i - mx); Z1 (Z2) = x[y] - mx, picked from
	// the column whose index (Z14) is the label (Z8, Z9) before any
	// dlogits store (dlogits may alias logits)
	VMOVDQU32 (R10), Z8
	VMOVDQU32 (R10)(DX*1), Z9
	VPXORD    Z14, Z14, Z14
	LEAQ      0(R14), BX
	XORL      CX, CX

	// two columns a turn while two are left (CX < cols-1): four Exp
	// chains, interleaved
	DECQ R13

exps2:
	CMPQ      CX, R13
	JAE       exps2done
	VMOVUPS   (BX), Z4
	VMOVUPS   2048(BX), Z16
	VMOVUPS   64(BX), Z21
	VMOVUPS   2112(BX), Z26
	VSUBPS    Z12, Z4, Z4
	VSUBPS    Z13, Z16, Z16
	VSUBPS    Z12, Z21, Z21
	VSUBPS    Z13, Z26, Z26
	SMPICK(Z4, Z16)
	SMPICK(Z21, Z26)
	EXPY4(Z4, Z5, Z6, Z7, Z3, Z16, Z17, Z18, Z19, Z20, Z21, Z22, Z23, Z24, Z25, Z26, Z27, Z28, Z29, Z30)
	VMOVUPS   Z7, 1024(BX)
	VMOVUPS   Z19, 3072(BX)
	VMOVUPS   Z24, 1088(BX)
	VMOVUPS   Z29, 3136(BX)
	ADDQ      $128, BX
	ADDQ      $2, CX
	JMP       exps2

exps2done:
	INCQ R13

exps:
	CMPQ      CX, R13
	JAE       expsdone
	VMOVUPS   (BX), Z4
	VMOVUPS   2048(BX), Z16
	VSUBPS    Z12, Z4, Z4
	VSUBPS    Z13, Z16, Z16
	SMPICK(Z4, Z16)
	EXPY(VRNDSCALEPS, Z4, Z5, Z6, Z7, Z3)
	EXPY(VRNDSCALEPS, Z16, Z17, Z18, Z19, Z20)
	VSCALEFPS Z5, Z7, Z7
	VSCALEFPS Z17, Z19, Z19
	VMOVUPS   Z7, 1024(BX)
	VMOVUPS   Z19, 3072(BX)
	ADDQ      $64, BX
	INCQ      CX
	JMP       exps

expsdone:

	// s = Sum(e) (Z12, Z13); loss = Log(s) - (x[y] - mx)
	COLTREE(VADDPS, SLOTLD, 1024, sumA)
	VMOVAPS Z16, Z12
	COLTREE(VADDPS, SLOTLD, 3072, sumB)
	VMOVAPS Z16, Z13
	LOGQ(Z12, Z4, Z5, Z6, Z7)
	LOGQ(Z13, Z16, Z17, Z18, Z19)
	VCMPPS  $3, Z12, Z12, K2
	VMOVAPS Z12, K2, Z7
	VSUBPS  Z1, Z7, Z7
	VMOVUPS Z7, (R11)
	VCMPPS  $3, Z13, Z13, K3
	VMOVAPS Z13, K3, Z19
	VSUBPS  Z2, Z19, Z19
	VMOVUPS Z19, (R11)(DX*1)
	TESTQ   DI, DI
	JZ      blocknext

	// dlogits from the e slots with t = scale/s (SMGROUPOUT), transposed
	// back into rows: A's, then B's (t in Z12, Z13; SMGROUPOUT leaves
	// them, the labels and scale alone); R15 = B's rows of dlogits
	VBROADCASTSS scale+128(FP), Z10
	VDIVPS       Z12, Z10, Z12
	VDIVPS       Z13, Z10, Z13
	MOVQ    DI, R15
	SMCOLSOUT(colsoutA, narrowoutA, storedA, 1024, Z12, Z10, Z8)
	MOVQ    R12, AX
	SHLQ    $4, AX
	LEAQ    (DI)(AX*1), R15
	TESTQ   DX, DX
	CMOVQEQ DI, R15
	SMCOLSOUT(colsoutB, narrowoutB, storedB, 3072, Z13, Z10, Z9)
	MOVQ R12, AX
	SHLQ $4, AX
	LEAQ (R15)(AX*1), DI

blocknext:
	LEAQ 64(R10)(DX*1), R10
	LEAQ 64(R11)(DX*1), R11
	SHRQ $2, DX
	SUBQ $16, R8
	SUBQ DX, R8
	JG   block
	VZEROUPPER
	RET

// ---- AVX2: softmax-CE one row per lane, 8 rows a block ----

// The 16-byte chunks of rows for AVX2, as SMLD0… for AVX-512 (L unused):
// Y4LD0 (Y4LDH) loads one as the low lane of x (the high lane of y),
// Y4ST0 (Y4STH) stores x (y's high lane); the masked forms (Y4LD0N…) load
// and store only the columns under X10, 0 in the others, by way of xt.
#define Y4LD0(L, m, x, xt) VMOVUPS m, x
#define Y4LDH(L, m, y, xt) VINSERTF128 $1, m, y, y
#define Y4ST0(L, x, m, xt) VMOVUPS x, m
#define Y4STH(L, y, m, xt) VEXTRACTF128 $1, y, m
#define Y4LD0N(L, m, x, xt) VMASKMOVPS m, X10, x
#define Y4LDHN(L, m, y, xt) VMASKMOVPS m, X10, xt; VINSERTF128 $1, xt, y, y
#define Y4ST0N(L, x, m, xt) VMASKMOVPS x, X10, m
#define Y4STHN(L, y, m, xt) VEXTRACTF128 $1, y, xt; VMASKMOVPS xt, X10, m

// Y4SLOT stores column k of a group (y, at BX*8(R14)) and its pick
// against -Inf (Y9; NaN becomes -Inf) 1024 bytes on.
#define Y4SLOT(k, y) \
	VMOVUPS y, (32*k)(R14)(BX*8);  \
	VMAXPS  Y9, y, y;              \
	VMOVUPS y, (1024+32*k)(R14)(BX*8)

// Y4GROUPIN sets the slots of the four columns BX bytes into a row
// (Y4SLOT) to those columns of the 8 rows at SI (R9 bytes apart, row 4b+j
// as lane b of Yj, loaded by LD0 and LDH), with Y0-Y5.
#define Y4GROUPIN(LD0, LDH) \
	LEAQ (SI)(BX*1), AX;                 \
	SMIN4(LD0, $0, X0, X1, X2, X3, X4);  \
	SMIN4(LDH, $1, Y0, Y1, Y2, Y3, X4);  \
	T4X4(Y0, Y1, Y2, Y3, Y4, Y5); \
	Y4SLOT(0, Y1);                \
	Y4SLOT(1, Y3);                \
	Y4SLOT(2, Y4);                \
	Y4SLOT(3, Y5)

// Y4GROUPOUT stores the dlogits slots (512 bytes on) of the four columns
// BX bytes into a row as those columns of the 8 rows of dlogits at DI
// (R12 bytes apart), by ST0 and STH, with Y0-Y5.
#define Y4GROUPOUT(ST0, STH) \
	VMOVUPS (512+32*0)(R14)(BX*8), Y0; \
	VMOVUPS (512+32*1)(R14)(BX*8), Y1; \
	VMOVUPS (512+32*2)(R14)(BX*8), Y2; \
	VMOVUPS (512+32*3)(R14)(BX*8), Y3; \
	LEAQ    (DI)(BX*1), AX;            \
	T4X4(Y0, Y1, Y2, Y3, Y4, Y5);        \
	SMOUT4(ST0, $0, X1, X3, X4, X5, X0); \
	SMOUT4(STH, $1, Y1, Y3, Y4, Y5, X0)

// Y8ROWS loads the 8 slots at BASE(R14) into Y0–Y7.
#define Y8ROWS(BASE) \
	VMOVUPS (BASE+32*0)(R14), Y0; \
	VMOVUPS (BASE+32*1)(R14), Y1; \
	VMOVUPS (BASE+32*2)(R14), Y2; \
	VMOVUPS (BASE+32*3)(R14), Y3; \
	VMOVUPS (BASE+32*4)(R14), Y4; \
	VMOVUPS (BASE+32*5)(R14), Y5; \
	VMOVUPS (BASE+32*6)(R14), Y6; \
	VMOVUPS (BASE+32*7)(R14), Y7

// TREE16Y folds the 16 ymm slots at BASE(R14) into Y0 by the canonical
// tree (COLTREE's steps: slot j = OP(slot j+h, slot j)); Y1–Y7 scratch.
#define TREE16Y(OP, BASE) \
	Y8ROWS(BASE+256); \
	OP (BASE+32*0)(R14), Y0, Y0; \
	OP (BASE+32*1)(R14), Y1, Y1; \
	OP (BASE+32*2)(R14), Y2, Y2; \
	OP (BASE+32*3)(R14), Y3, Y3; \
	OP (BASE+32*4)(R14), Y4, Y4; \
	OP (BASE+32*5)(R14), Y5, Y5; \
	OP (BASE+32*6)(R14), Y6, Y6; \
	OP (BASE+32*7)(R14), Y7, Y7; \
	OP Y0, Y4, Y0; \
	OP Y1, Y5, Y1; \
	OP Y2, Y6, Y2; \
	OP Y3, Y7, Y3; \
	OP Y0, Y2, Y0; \
	OP Y1, Y3, Y1; \
	OP Y0, Y1, Y0

// LANES8 sets the mask y to the int32 lanes j < n (a register).
#define LANES8(n, y) \
	MOVQ         n, X0; \
	VPBROADCASTD X0, y; \
	VPCMPGTD     iota<>(SB), y, y

// func SoftmaxCEColsAVX2(rows, cols int, logits []float32, ld int, labels []int32, loss, dlogits []float32, ldd int, scale float32)
// Requires: AVX, AVX2, FMA
TEXT ·SoftmaxCEColsAVX2(SB), 0, $1600-132
	// SoftmaxCEColsAVX512 with 8 rows a block, one block at a time: four
	// columns at a time by 4×4 transposes in the two 128-bit lanes.
	// Frame: 16 slots of one ymm for the logit columns, 16 for their e,
	// 16 for the columns picked against -Inf (the max tree's; -Inf past
	// cols). Y9 -Inf, X10 the columns of a 4-column chunk when cols < 4,
	// Y12 mx then s, Y13 the labels, Y14 scale, Y15 x[y] - mx.
	SMARGS(Y14, Y9)

	// R14 = the frame's first 64-byte boundary, the slots' base (Go
	// aligns SP to 8 bytes, and a 32-byte slot may straddle two lines)
	LEAQ 63(SP), R14
	ANDQ $-64, R14
	SHLQ $2, R9
	SHLQ $2, R12
	MOVQ CX, R13
	LANES8(CX, Y10)

	// slots cols…15: e = +0 for the sum tree, pick = -Inf for the max
	VXORPS Y0, Y0, Y0

ypad:
	CMPQ    CX, $16
	JAE     yblock
	MOVQ    CX, AX
	SHLQ    $5, AX
	VMOVUPS Y0, 512(R14)(AX*1)
	VMOVUPS Y9, 1024(R14)(AX*1)
	INCQ    CX
	JMP     ypad

yblock:
	// slot i = x_i = column i and its pick against -Inf; mx = Max by the
	// tree of the picked slots
	XORL CX, CX
	CMPQ R13, $4
	JB   ynarrowin

ycolsin:
	SMCOLS4
	Y4GROUPIN(Y4LD0, Y4LDH)
	ADDQ $4, CX
	CMPQ CX, R13
	JB   ycolsin
	JMP  ymax

ynarrowin:
	XORL BX, BX
	Y4GROUPIN(Y4LD0N, Y4LDHN)
	MOVQ R13, CX

ynarrowinf:
	// the masked loads left 0 in the picks of columns cols…3
	CMPQ    CX, $4
	JAE     ymax
	MOVQ    CX, AX
	SHLQ    $5, AX
	VMOVUPS Y9, 1024(R14)(AX*1)
	INCQ    CX
	JMP     ynarrowinf

ymax:
	MOVQ R9, AX
	SHLQ $3, AX
	ADDQ AX, SI
	TREE16Y(VMAXPS, 1024)
	VMOVAPS Y0, Y12

	// slot 16+i = e_i = Exp(x_i - mx); Y15 = x[y] - mx, picked from the
	// column whose index (Y5) is the label before any dlogits store
	VMOVDQU (R10), Y13
	VPXOR   Y5, Y5, Y5
	LEAQ    0(R14), BX
	XORL    CX, CX

yexps:
	VMOVUPS   (BX), Y0
	VSUBPS    Y12, Y0, Y0
	VPCMPEQD  Y5, Y13, Y6
	VBLENDVPS Y6, Y0, Y15, Y15
	EXPY(VROUNDPS, Y0, Y1, Y2, Y3, Y4)
	SCALE2(Y1, Y3, Y4)
	VMOVUPS   Y3, 512(BX)
	VPADDD    int1, Y5, Y5
	ADDQ      $32, BX
	INCQ      CX
	CMPQ      CX, R13
	JB        yexps

	// s = Sum(e); loss = Log(s) - (x[y] - mx)
	TREE16Y(VADDPS, 512)
	VMOVAPS   Y0, Y12
	LOGQ(Y12, Y0, Y1, Y2, Y3)
	VCMPPS    $3, Y12, Y12, Y4
	VBLENDVPS Y4, Y12, Y3, Y3
	VSUBPS    Y15, Y3, Y3
	VMOVUPS   Y3, (R11)
	TESTQ     DI, DI
	JZ        ynext

	// slot 16+i = dlogits column i = e_i·t - (scale where y == i, +0
	// elsewhere) with t = scale/s, as SMGROUPOUT, then the columns transposed
	// back into rows
	VDIVPS Y12, Y14, Y12
	LEAQ   512(R14), BX
	XORL   CX, CX
	VPXOR  Y5, Y5, Y5

ydcol:
	VPCMPEQD    Y5, Y13, Y6
	VANDPS      Y14, Y6, Y1
	VMOVUPS     (BX), Y0
	VFMSUB213PS Y1, Y12, Y0
	VMOVUPS     Y0, (BX)
	VPADDD   int1, Y5, Y5
	ADDQ     $32, BX
	INCQ     CX
	CMPQ     CX, R13
	JB       ydcol
	XORL CX, CX
	CMPQ R13, $4
	JB   ynarrowout

ycolsout:
	SMCOLS4
	Y4GROUPOUT(Y4ST0, Y4STH)
	ADDQ $4, CX
	CMPQ CX, R13
	JB   ycolsout
	JMP  ycolsoutdone

ynarrowout:
	XORL BX, BX
	Y4GROUPOUT(Y4ST0N, Y4STHN)

ycolsoutdone:
	MOVQ R12, AX
	SHLQ $3, AX
	ADDQ AX, DI

ynext:
	ADDQ $32, R10
	ADDQ $32, R11
	SUBQ $8, R8
	JG   yblock
	VZEROUPPER
	RET
