// TRANSPOSE16 transposes the 16×16 block in Z0–Z15 (row r in Zr), Z16
// spare, by four stages of 16 two-source shuffles (all on one port):
// column q of the block ends in register T16Qq.
#define TRANSPOSE16 \
	VUNPCKLPS Z1, Z0, Z16; \
	VUNPCKHPS Z1, Z0, Z1; \
	VUNPCKLPS Z3, Z2, Z0; \
	VUNPCKHPS Z3, Z2, Z3; \
	VUNPCKLPS Z5, Z4, Z2; \
	VUNPCKHPS Z5, Z4, Z5; \
	VUNPCKLPS Z7, Z6, Z4; \
	VUNPCKHPS Z7, Z6, Z7; \
	VUNPCKLPS Z9, Z8, Z6; \
	VUNPCKHPS Z9, Z8, Z9; \
	VUNPCKLPS Z11, Z10, Z8; \
	VUNPCKHPS Z11, Z10, Z11; \
	VUNPCKLPS Z13, Z12, Z10; \
	VUNPCKHPS Z13, Z12, Z13; \
	VUNPCKLPS Z15, Z14, Z12; \
	VUNPCKHPS Z15, Z14, Z15; \
	VUNPCKLPD Z0, Z16, Z14; \
	VUNPCKHPD Z0, Z16, Z0; \
	VUNPCKLPD Z3, Z1, Z16; \
	VUNPCKHPD Z3, Z1, Z3; \
	VUNPCKLPD Z4, Z2, Z1; \
	VUNPCKHPD Z4, Z2, Z4; \
	VUNPCKLPD Z7, Z5, Z2; \
	VUNPCKHPD Z7, Z5, Z7; \
	VUNPCKLPD Z8, Z6, Z5; \
	VUNPCKHPD Z8, Z6, Z8; \
	VUNPCKLPD Z11, Z9, Z6; \
	VUNPCKHPD Z11, Z9, Z11; \
	VUNPCKLPD Z12, Z10, Z9; \
	VUNPCKHPD Z12, Z10, Z12; \
	VUNPCKLPD Z15, Z13, Z10; \
	VUNPCKHPD Z15, Z13, Z15; \
	VSHUFF32X4 $0x88, Z1, Z14, Z13; \
	VSHUFF32X4 $0xdd, Z1, Z14, Z1; \
	VSHUFF32X4 $0x88, Z4, Z0, Z14; \
	VSHUFF32X4 $0xdd, Z4, Z0, Z4; \
	VSHUFF32X4 $0x88, Z2, Z16, Z0; \
	VSHUFF32X4 $0xdd, Z2, Z16, Z2; \
	VSHUFF32X4 $0x88, Z7, Z3, Z16; \
	VSHUFF32X4 $0xdd, Z7, Z3, Z7; \
	VSHUFF32X4 $0x88, Z9, Z5, Z3; \
	VSHUFF32X4 $0xdd, Z9, Z5, Z9; \
	VSHUFF32X4 $0x88, Z12, Z8, Z5; \
	VSHUFF32X4 $0xdd, Z12, Z8, Z12; \
	VSHUFF32X4 $0x88, Z10, Z6, Z8; \
	VSHUFF32X4 $0xdd, Z10, Z6, Z10; \
	VSHUFF32X4 $0x88, Z15, Z11, Z6; \
	VSHUFF32X4 $0xdd, Z15, Z11, Z15; \
	VSHUFF32X4 $0x88, Z3, Z13, Z11; \
	VSHUFF32X4 $0xdd, Z3, Z13, Z3; \
	VSHUFF32X4 $0x88, Z5, Z14, Z13; \
	VSHUFF32X4 $0xdd, Z5, Z14, Z5; \
	VSHUFF32X4 $0x88, Z8, Z0, Z14; \
	VSHUFF32X4 $0xdd, Z8, Z0, Z8; \
	VSHUFF32X4 $0x88, Z6, Z16, Z0; \
	VSHUFF32X4 $0xdd, Z6, Z16, Z6; \
	VSHUFF32X4 $0x88, Z9, Z1, Z16; \
	VSHUFF32X4 $0xdd, Z9, Z1, Z9; \
	VSHUFF32X4 $0x88, Z12, Z4, Z1; \
	VSHUFF32X4 $0xdd, Z12, Z4, Z12; \
	VSHUFF32X4 $0x88, Z10, Z2, Z4; \
	VSHUFF32X4 $0xdd, Z10, Z2, Z10; \
	VSHUFF32X4 $0x88, Z15, Z7, Z2; \
	VSHUFF32X4 $0xdd, Z15, Z7, Z15

// T16Q0…T16Q15: where TRANSPOSE16 leaves column q.
#define T16Q0 Z11
#define T16Q1 Z13
#define T16Q2 Z14
#define T16Q3 Z0
#define T16Q4 Z16
#define T16Q5 Z1
#define T16Q6 Z4
#define T16Q7 Z2
#define T16Q8 Z3
#define T16Q9 Z5
#define T16Q10 Z8
#define T16Q11 Z6
#define T16Q12 Z9
#define T16Q13 Z12
#define T16Q14 Z10
#define T16Q15 Z15

// TRANSPOSE8 transposes the 8×8 block in Y0–Y7 (row r in Yr), Y8 spare,
// by three stages of 8 two-source shuffles: column q of the block ends in
// register T8Qq.
#define TRANSPOSE8 \
	VUNPCKLPS Y1, Y0, Y8; \
	VUNPCKHPS Y1, Y0, Y1; \
	VUNPCKLPS Y3, Y2, Y0; \
	VUNPCKHPS Y3, Y2, Y3; \
	VUNPCKLPS Y5, Y4, Y2; \
	VUNPCKHPS Y5, Y4, Y5; \
	VUNPCKLPS Y7, Y6, Y4; \
	VUNPCKHPS Y7, Y6, Y7; \
	VUNPCKLPD Y0, Y8, Y6; \
	VUNPCKHPD Y0, Y8, Y0; \
	VUNPCKLPD Y3, Y1, Y8; \
	VUNPCKHPD Y3, Y1, Y3; \
	VUNPCKLPD Y4, Y2, Y1; \
	VUNPCKHPD Y4, Y2, Y4; \
	VUNPCKLPD Y7, Y5, Y2; \
	VUNPCKHPD Y7, Y5, Y7; \
	VPERM2F128 $0x20, Y1, Y6, Y5; \
	VPERM2F128 $0x31, Y1, Y6, Y1; \
	VPERM2F128 $0x20, Y4, Y0, Y6; \
	VPERM2F128 $0x31, Y4, Y0, Y4; \
	VPERM2F128 $0x20, Y2, Y8, Y0; \
	VPERM2F128 $0x31, Y2, Y8, Y2; \
	VPERM2F128 $0x20, Y7, Y3, Y8; \
	VPERM2F128 $0x31, Y7, Y3, Y7

// T8Q0…T8Q7: where TRANSPOSE8 leaves column q.
#define T8Q0 Y5
#define T8Q1 Y6
#define T8Q2 Y0
#define T8Q3 Y8
#define T8Q4 Y1
#define T8Q5 Y4
#define T8Q6 Y2
#define T8Q7 Y7

// T4X4 transposes the 4×4 blocks in each 128-bit lane of r0…r3 (t0, t1
// spare): element j of lane b of register k ends as element k of lane b
// of output j, and the outputs are r1, r3, t0, t1.
#define T4X4(r0, r1, r2, r3, t0, t1) \
	VUNPCKLPS r1, r0, t0; \
	VUNPCKHPS r1, r0, r0; \
	VUNPCKLPS r3, r2, t1; \
	VUNPCKHPS r3, r2, r2; \
	VUNPCKLPD t1, t0, r1; \
	VUNPCKHPD t1, t0, r3; \
	VUNPCKLPD r2, r0, t0; \
	VUNPCKHPD r2, r0, t1
