package kernels

import (
	"runtime"
	"sync"
)

// gemmImpl is one variant's GEMM: a micro-kernel and its blocking. The Go
// driver below (packing, cache blocking, edges, threads) serves every
// variant; a new one only fills this struct.
type gemmImpl struct {
	// mr×nr is the register tile of C that kernel computes.
	mr, nr int
	// kc, mc, nc block k, m and n for the caches (gemm_config.go); mc is a
	// multiple of mr and nc of nr.
	kc, mc, nc int
	// kernel computes one full mr×nr tile of C, loading it first:
	//
	//	for i < mr, j < nr:
	//		acc := +0 if beta == 0 (c is not read), c[i*ldc+j] if beta == 1,
	//		       else beta * c[i*ldc+j]
	//		for p < k: acc = FMA(a[i*rsa+p*csa], b[p*sb+j], acc)
	//		c[i*ldc+j] = acc
	//
	// A's strides cover packed panels (rsa = 1, csa = mr) and A read in
	// place (rsa = 1, csa = lda for transA; rsa = lda, csa = 1 otherwise);
	// runTransposed passes op(B)'s packed panel as a and A's rows as b.
	// The driver guarantees k ≥ 1, sb ≥ nr, ldc ≥ nr,
	// len(a) ≥ (mr-1)*rsa+(k-1)*csa+1, len(b) ≥ (k-1)*sb+nr and
	// len(c) ≥ (mr-1)*ldc+nr.
	kernel func(k int, a []float32, rsa, csa int, b []float32, sb int, beta float32, c []float32, ldc int)

	// Optional kernels for the shapes that an mr×nr tile wastes; nil
	// leaves them to the tiles. Both read A and B in place, with whole k:
	// their C elements are the same chains.
	//
	// row computes the first n ≤ rowN elements of one row of C (batch 1):
	//
	//	for j < n:
	//		acc := +0, c[j] or beta * c[j] (as in kernel)
	//		for p < k: acc = FMA(a[p*sa], b[p*sb+j], acc)
	//		c[j] = acc
	row  func(k int, a []float32, sa int, b []float32, sb int, beta float32, c []float32, n int)
	rowN int
	// rowT computes rowTN elements of one row of C of A·Bᵀ (batch 1) from
	// rowTN rows of B, with A's row contiguous:
	//
	//	for j < rowTN:
	//		acc := +0, c[j] or beta * c[j] (as in kernel)
	//		for p < k: acc = FMA(a[p], b[j*sb+p], acc)
	//		c[j] = acc
	rowT  func(k int, a []float32, b []float32, sb int, beta float32, c []float32)
	rowTN int
	// narrow computes narrowM rows of C and their first n ≤ narrowN
	// columns (kernel's loop for i < narrowM, j < n), for narrow products.
	narrow           func(k int, a []float32, rsa, csa int, b []float32, sb int, beta float32, c []float32, ldc, n int)
	narrowM, narrowN int
	// transN is the most columns of C (n) that transposed tiles compute
	// (runTransposed, for transA); at most nr.
	transN int
	// kernelT, when not nil, is kernel for an mrT×nr tile (mrT < mr), which
	// runTransposed uses for n ≤ mrT.
	kernelT func(k int, a []float32, rsa, csa int, b []float32, sb int, beta float32, c []float32, ldc int)
	mrT     int
	// packT, when not nil, packs up to packTRows rows of k contiguous
	// elements transposed for packCols, leaving the lanes past them:
	//
	//	for p < k, i < rows: dst[p*sd+i] = src[i*ld+p]
	packT     func(dst []float32, sd int, src []float32, ld, rows, k int)
	packTRows int
	// packR, when not nil, packs k rows of a partial panel for packRows,
	// up to packRLanes lanes at a time:
	//
	//	for p < k, j < lanes: dst[p*sd+j] = src[p*ld+j] if j < cols, else 0
	packR      func(dst []float32, sd int, src []float32, ld, cols, lanes, k int)
	packRLanes int
}

var gemmGeneric = gemmImpl{
	mr: genericMR, nr: genericNR, transN: genericMR,
	kc: genericKC, mc: genericMC, nc: genericNC,
	kernel: gemmKernelPortable,
}

// gemmCall is one validated Sgemm call; run computes any block of its C.
type gemmCall struct {
	g              *gemmImpl
	transA, transB bool
	m, n, k        int
	alpha, beta    float32
	a, b, c        []float32
	lda, ldb, ldc  int
}

// gemmBuf holds one goroutine's packed panels and an edge tile.
type gemmBuf struct {
	a, b, tile []float32
}

// freeList keeps objects for reuse. Unlike a sync.Pool the GC does not
// empty it, so a steady stream of calls allocates nothing; it keeps at most
// 4·GOMAXPROCS objects (one per goroutine that ran at the same time).
type freeList[T any] struct {
	mu    sync.Mutex
	items []*T
}

func (l *freeList[T]) get() *T {
	l.mu.Lock()
	defer l.mu.Unlock()
	if n := len(l.items); n > 0 {
		x := l.items[n-1]
		l.items = l.items[:n-1]
		return x
	}
	return new(T)
}

// put keeps x, dropping the oldest objects when the list is full: x has
// just served a call and is sized for the next like it, and a list left
// fuller by a larger GOMAXPROCS would otherwise drop every x it is given.
func (l *freeList[T]) put(x *T) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if n := 4 * runtime.GOMAXPROCS(0); len(l.items) >= n {
		l.items = append(l.items[:0], l.items[len(l.items)-n+1:]...)
	}
	l.items = append(l.items, x)
}

var gemmBufs freeList[gemmBuf]

// grow returns x resliced to n elements, reallocated only when too small.
func grow(x []float32, n int) []float32 {
	if cap(x) < n {
		return make([]float32, n)
	}
	return x[:n]
}

// sgemm runs a validated Sgemm call with variant v.
func (t Threads) sgemm(v *variant, transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	if k == 0 || alpha == 0 {
		scaleC(m, n, beta, c, ldc)
		return
	}
	call := gemmCall{g: &v.gemm, transA: transA, transB: transB, m: m, n: n, k: k,
		alpha: alpha, beta: beta, a: a, b: b, c: c, lda: lda, ldb: ldb, ldc: ldc}
	w := t.workers(&call)
	if w <= 1 {
		call.runAlone(0, m, 0, n)
		return
	}
	call.parallel(w)
}

// scaleC is C = beta·C, or +0 without reading C when beta is 0: the whole
// contract when k or alpha is 0.
func scaleC(m, n int, beta float32, c []float32, ldc int) {
	if beta == 1 {
		return
	}
	for i := range m {
		row := c[i*ldc : i*ldc+n]
		if beta == 0 {
			clear(row)
			continue
		}
		for j := range row {
			row[j] *= beta
		}
	}
}

// runAlone computes C[i0:i1, j0:j1] on this goroutine only.
func (cl *gemmCall) runAlone(i0, i1, j0, j1 int) {
	buf := gemmBufs.get()
	cl.run(buf, nil, i0, i1, j0, j1)
	gemmBufs.put(buf)
}

// run computes C[i0:i1, j0:j1] with buf for packing: the GotoBLAS loops
// (n by nc, k by kc, m by mc, then nr×mr tiles with B's panel innermost-
// reused). Panels that the kernel can read in place (op(B) rows, op(A)
// columns, full tiles, alpha == 1) are not packed; partial panels are
// packed with zero padding and their tiles go through buf.tile. Batch-1
// and narrow products go instead through g.row and g.narrow (the rows past
// the last narrowM through g.row), which read A in place (and a narrow
// Bᵀ transposed once), and products with few columns and transA through
// runTransposed. With sh, the goroutines that split C's rows share the
// packed B: see packB.
func (cl *gemmCall) run(buf *gemmBuf, sh *gemmShare, i0, i1, j0, j1 int) {
	g := cl.g
	switch {
	case cl.rows():
		for i := i0; i < i1; i++ {
			cl.row(buf, i, j0, j1, cl.b[j0:], cl.ldb)
		}
		return
	case cl.rowsT():
		for i := i0; i < i1; i++ {
			cl.rowT(buf, i, j0, j1)
		}
		return
	case cl.transposed():
		cl.runTransposed(buf, i0, i1)
		return
	case cl.narrow():
		b, sb := cl.b[j0:], cl.ldb
		if cl.transB { // op(B)'s k rows from B's j1-j0 ≤ packTRows rows
			buf.b = grow(buf.b, cl.k*g.packTRows)
			g.packT(buf.b, g.packTRows, cl.b[j0*cl.ldb:], cl.ldb, j1-j0, cl.k)
			b, sb = buf.b, g.packTRows
		}
		i := i0
		for ; i+g.narrowM <= i1; i += g.narrowM {
			a, rsa, csa := cl.opA(i, 0)
			g.narrow(cl.k, a, rsa, csa, b, sb, cl.beta, cl.c[i*cl.ldc+j0:], cl.ldc, j1-j0)
		}
		for ; i < i1; i++ {
			cl.row(buf, i, j0, j1, b, sb)
		}
		return
	}
	mr, nr := g.mr, g.nr
	buf.tile = grow(buf.tile, mr*nr)
	for jc := j0; jc < j1; jc += g.nc {
		nn := min(g.nc, j1-jc)
		for pc := 0; pc < cl.k; pc += g.kc {
			kk := min(g.kc, cl.k-pc)
			beta := cl.beta
			if pc > 0 {
				beta = 1 // the float32 accumulators are in C now
			}
			b := cl.packB(buf, sh, jc, nn, pc, kk)
			for ic := i0; ic < i1; ic += g.mc {
				mm := min(g.mc, i1-ic)
				cl.packA(buf, ic, mm, pc, kk)
				for jr := 0; jr < nn; jr += nr {
					cols := min(nr, nn-jr)
					bp, sb := cl.panelB(b, jc, jr, cols, pc, kk)
					for ir := 0; ir < mm; ir += mr {
						rows := min(mr, mm-ir)
						ap, rsa, csa := cl.panelA(buf, ic, ir, rows, pc, kk)
						ct := cl.c[(ic+ir)*cl.ldc+jc+jr:]
						if rows == mr && cols == nr {
							g.kernel(kk, ap, rsa, csa, bp, sb, beta, ct, cl.ldc)
							continue
						}
						cl.edge(buf.tile, rows, cols, kk, ap, rsa, csa, bp, sb, beta, ct)
					}
				}
			}
			if sh != nil {
				sh.bar.wait() // the others are done with sh.b
			}
		}
	}
}

// edge computes a partial tile (rows×cols of C at ct) through tile, a full
// mr×nr scratch tile; the padded panels make its extra lanes harmless.
func (cl *gemmCall) edge(tile []float32, rows, cols, kk int, ap []float32, rsa, csa int, bp []float32, sb int, beta float32, ct []float32) {
	nr, ldc := cl.g.nr, cl.ldc
	if beta != 0 {
		for i := range rows {
			copy(tile[i*nr:i*nr+cols], ct[i*ldc:])
		}
	}
	cl.g.kernel(kk, ap, rsa, csa, bp, sb, beta, tile, nr)
	for i := range rows {
		copy(ct[i*ldc:i*ldc+cols], tile[i*nr:i*nr+cols])
	}
}

// tiled reports whether run computes cl by mr×nr tiles (and packs B), not
// row by row, by transposed tiles or by g.narrow.
func (cl *gemmCall) tiled() bool {
	return !cl.rows() && !cl.rowsT() && !cl.transposed() && !cl.narrow()
}

// transposed reports whether cl goes through runTransposed: n ≤ transN,
// and op(A)'s columns contiguous (transA), so that they can be the kernel's
// vectors without packing.
func (cl *gemmCall) transposed() bool {
	return cl.n <= cl.g.transN && cl.transA
}

// runTransposed computes C[i0:i1, :] by transposed tiles: C[i:i+nr, j:j+mr]ᵀ
// = op(B)[:, j:j+mr]ᵀ·op(A)[i:i+nr, :]ᵀ is a kernel tile whose mr (or mrT)
// rows are op(B)'s columns (read in place when they fill the one tile,
// else packed once, zero past n) and whose nr-wide vectors are rows of A
// read in place (packed, with alpha, for a partial block or alpha ≠ 1).
// Each element's chain is unchanged, since FMA(b, a, acc) = FMA(a, b, acc);
// the tiles go through buf.tile, transposed. With n = 10 the avx512 10×32
// kernel fills every row, where the 12×32 one filled 10 of 12 and tiles
// along n 10 of 16 lanes; the avx2 6×16 one fills 10 of 12 in two tiles.
func (cl *gemmCall) runTransposed(buf *gemmBuf, i0, i1 int) {
	g, k, n, ldc := cl.g, cl.k, cl.n, cl.ldc
	kernel, mr, nr := g.kernel, g.mr, g.nr
	if g.kernelT != nil && n <= g.mrT {
		kernel, mr = g.kernelT, g.mrT
	}
	// op(B)[p, j] is the kernel's A[j, p]
	bt, rsb, csb := cl.b, 1, cl.ldb
	if cl.transB {
		rsb, csb = cl.ldb, 1
	}
	if n != mr {
		buf.b = grow(buf.b, panelsLen(n, mr, k))
		g.packPanels(buf.b, mr, 0, n, k, cl.b, cl.ldb, !cl.transB, 1)
		bt, rsb, csb = buf.b, 1, mr
	}
	buf.tile = grow(buf.tile, mr*nr)
	tile := buf.tile
	for i := i0; i < i1; i += nr {
		rows := min(nr, i1-i)
		a, sa := cl.a[i:], cl.lda
		if rows < nr || cl.alpha != 1 {
			buf.a = grow(buf.a, panelsLen(rows, nr, k))
			g.packPanels(buf.a, nr, 0, rows, k, a, cl.lda, true, cl.alpha)
			a, sa = buf.a, nr
		}
		for j := 0; j < n; j += mr {
			cols := min(mr, n-j)
			c := cl.c[i*ldc+j : i*ldc+(rows-1)*ldc+j+cols]
			if cl.beta != 0 {
				g.transpose(tile, nr, c, ldc, rows, cols)
			}
			kernel(k, bt[j*k:], rsb, csb, a, sa, cl.beta, tile, nr) // panel j/mr, or j = 0
			g.transpose(c, ldc, tile, nr, cols, rows)
		}
	}
}

// rows reports whether cl goes row by row through g.row: batch 1 (up to
// gemmRowsM rows), B's rows contiguous.
func (cl *gemmCall) rows() bool {
	return cl.g.row != nil && cl.m <= gemmRowsM && !cl.transB
}

// rowsT reports whether cl goes row by row through g.rowT: batch 1 (up to
// gemmRowsM rows) of A·Bᵀ.
func (cl *gemmCall) rowsT() bool {
	return cl.g.rowT != nil && cl.m <= gemmRowsM && cl.transB
}

// narrow reports whether cl goes through g.narrow: n ≤ narrowN and alpha
// == 1 (A is read in place); op(B)'s rows are B's, or B's n rows
// transposed by g.packT.
func (cl *gemmCall) narrow() bool {
	return cl.g.narrow != nil && cl.n <= cl.g.narrowN && cl.alpha == 1 &&
		(!cl.transB || cl.g.packT != nil && cl.n <= cl.g.packTRows)
}

// row computes C[i, j0:j1] with g.row, rowN columns at a time, A's row i
// scaled by alpha into buf.a unless alpha == 1; b holds op(B)[:, j0:j1]
// with row stride sb.
func (cl *gemmCall) row(buf *gemmBuf, i, j0, j1 int, b []float32, sb int) {
	a, _, sa := cl.opA(i, 0)
	if cl.alpha != 1 {
		buf.a = grow(buf.a, cl.k)
		for p := range buf.a {
			buf.a[p] = cl.alpha * a[p*sa]
		}
		a, sa = buf.a, 1
	}
	for j := j0; j < j1; j += cl.g.rowN {
		cl.g.row(cl.k, a, sa, b[j-j0:], sb, cl.beta, cl.c[i*cl.ldc+j:], min(cl.g.rowN, j1-j))
	}
}

// rowT computes C[i, j0:j1] with g.rowT, rowTN columns (rows of B) at a
// time, A's row i copied to buf.a, scaled by alpha, unless it is
// contiguous and alpha == 1; a last block of fewer columns goes through
// copies of its rows of B, zero-padded, and of its elements of C.
func (cl *gemmCall) rowT(buf *gemmBuf, i, j0, j1 int) {
	a, _, sa := cl.opA(i, 0)
	k, w, ldb := cl.k, cl.g.rowTN, cl.ldb
	if cl.alpha != 1 || sa != 1 {
		buf.a = grow(buf.a, k)
		for p := range buf.a {
			buf.a[p] = cl.alpha * a[p*sa]
		}
		a = buf.a
	}
	c := cl.c[i*cl.ldc:]
	j := j0
	for ; j+w <= j1; j += w {
		cl.g.rowT(k, a, cl.b[j*ldb:], ldb, cl.beta, c[j:])
	}
	if n := j1 - j; n > 0 {
		buf.b = grow(buf.b, w*k)
		for r := range n {
			copy(buf.b[r*k:(r+1)*k], cl.b[(j+r)*ldb:])
		}
		clear(buf.b[n*k : w*k])
		buf.tile = grow(buf.tile, w)
		copy(buf.tile, c[j:j1])
		cl.g.rowT(k, a, buf.b, k, cl.beta, buf.tile)
		copy(c[j:j1], buf.tile[:n])
	}
}

// opA returns A from op(A)[i, p] on, with op(A)'s row and k strides.
func (cl *gemmCall) opA(i, p int) ([]float32, int, int) {
	if cl.transA {
		return cl.a[p*cl.lda+i:], 1, cl.lda
	}
	return cl.a[i*cl.lda+p:], cl.lda, 1
}

// inPlaceA reports whether the kernel reads A's full panels in place:
// alpha == 1 (packing applies alpha), and a stride that spreads a panel
// over the cache sets.
func (cl *gemmCall) inPlaceA() bool {
	return cl.alpha == 1 && !aliased(cl.lda)
}

// inPlaceB reports whether the kernel reads B's full panels in place: op(B)
// rows are contiguous unless transB, and the stride spreads a panel over
// the cache sets.
func (cl *gemmCall) inPlaceB() bool {
	return !cl.transB && !aliased(cl.ldb)
}

// aliased reports whether rows ld floats apart all fall in the same L1
// cache sets, which would evict a panel read in place before its reuse.
func aliased(ld int) bool {
	return ld*4%gemmAliasBytes == 0
}

// panelA returns the A panel of rows ic+ir… for k-block pc and its row
// and k strides.
func (cl *gemmCall) panelA(buf *gemmBuf, ic, ir, rows, pc, kk int) ([]float32, int, int) {
	if rows < cl.g.mr || !cl.inPlaceA() {
		return buf.a[ir*kk:], 1, cl.g.mr // panel ir/mr starts at ir/mr · kk·mr
	}
	return cl.opA(ic+ir, pc)
}

// panelB returns the B panel of columns jc+jr… for k-block pc and its
// stride, from the packed panels b unless it is read in place.
func (cl *gemmCall) panelB(b []float32, jc, jr, cols, pc, kk int) ([]float32, int) {
	if cols < cl.g.nr || !cl.inPlaceB() {
		return b[jr*kk:], cl.g.nr
	}
	return cl.b[pc*cl.ldb+jc+jr:], cl.ldb
}

// packA packs the A panels of rows ic…ic+mm-1, k-block pc, that panelA
// does not read in place.
func (cl *gemmCall) packA(buf *gemmBuf, ic, mm, pc, kk int) {
	mr := cl.g.mr
	lo := packedFrom(mm, mr, cl.inPlaceA())
	if lo == mm {
		return
	}
	buf.a = grow(buf.a, panelsLen(mm, mr, kk))
	src := corner(cl.a, cl.lda, cl.transA, ic, pc)
	cl.g.packPanels(buf.a, mr, lo, mm, kk, src, cl.lda, cl.transA, cl.alpha)
}

// packB packs the B panels of columns jc…jc+nn-1, k-block pc, that panelB
// does not read in place, and returns them: in buf.b, or with sh in sh.b,
// where this goroutine packs its share of the panels (part sh.q of sh.n)
// and waits for the others to pack theirs.
func (cl *gemmCall) packB(buf *gemmBuf, sh *gemmShare, jc, nn, pc, kk int) []float32 {
	nr := cl.g.nr
	lo := packedFrom(nn, nr, cl.inPlaceB())
	src := corner(cl.b, cl.ldb, !cl.transB, jc, pc)
	if sh == nil {
		if lo < nn {
			buf.b = grow(buf.b, panelsLen(nn, nr, kk))
			cl.g.packPanels(buf.b, nr, lo, nn, kk, src, cl.ldb, !cl.transB, 1)
		}
		return buf.b
	}
	panels := (nn - lo + nr - 1) / nr
	from, to := lo+sh.q*panels/sh.n*nr, min(nn, lo+(sh.q+1)*panels/sh.n*nr)
	if from < to {
		cl.g.packPanels(sh.b, nr, from, to, kk, src, cl.ldb, !cl.transB, 1)
	}
	sh.bar.wait()
	return sh.b
}

// packedFrom is the first of n lines that is packed in panels of width:
// all lines, or only the partial panel's when the full ones are read in
// place.
func packedFrom(n, width int, inPlace bool) int {
	if inPlace {
		return n / width * width
	}
	return 0
}

// panelsLen is the length of the panels of width lines that hold n lines
// of a k-block of kk.
func panelsLen(n, width, kk int) int {
	return (n + width - 1) / width * width * kk
}

// corner returns x from line i, k index p: x[p*ld+i:] when along (lines
// contiguous at each p), else x[i*ld+p:].
func corner(x []float32, ld int, along bool, i, p int) []float32 {
	if along {
		return x[p*ld+i:]
	}
	return x[i*ld+p:]
}

// packPanels packs lines lo…n-1 (rows of op(A) or columns of op(B); lo a
// multiple of width, and so is n unless it is the last line) of a k-block
// of kk into the panels of width lines in buf: panel q holds
// s·x(p, q·width+i) at q·kk·width + p·width + i, zero past line n, where
// x(p, i) is src[p*ld+i] when along, else src[i*ld+p].
func (g *gemmImpl) packPanels(buf []float32, width, lo, n, kk int, src []float32, ld int, along bool, s float32) {
	if along {
		g.packRows(buf, width, lo, n, kk, src, ld)
	} else {
		for q := lo; q < n; q += width {
			g.packCols(buf[q*kk:(q+width)*kk], width, src[q*ld:], ld, min(width, n-q), kk)
		}
	}
	if s != 1 {
		for i := range buf[lo*kk : panelsLen(n, width, kk)] {
			buf[lo*kk+i] *= s
		}
	}
}

// packRows packs lines lo…n-1 of k rows of contiguous elements (row stride
// ld) into the panels of packPanels. It walks src row by row, so that it
// reads sequentially: panel by panel, it would read the k rows of a panel
// at stride ld, which on 1024³ took 10% of the call.
func (g *gemmImpl) packRows(buf []float32, width, lo, n, k int, src []float32, ld int) {
	full := n / width * width
	tailR := g.packR != nil && full < n // the partial panel through packR
	for p := range k {
		row := src[p*ld : p*ld+n]
		q := lo
		for ; q < full; q += width {
			copy(buf[q*k+p*width:q*k+(p+1)*width], row[q:q+width])
		}
		if q < n && !tailR {
			d := buf[q*k+p*width : q*k+(p+1)*width]
			copy(d, row[q:])
			clear(d[n-q:])
		}
	}
	if tailR {
		// a copy and a clear call per row took 22 % of 256×10×256 Aᵀ·B,
		// whose B is one partial panel
		q := max(lo, full)
		d := buf[q*k : (q+width)*k]
		for c := 0; c < width; c += g.packRLanes {
			cols := max(0, min(g.packRLanes, n-q-c))
			g.packR(d[c:], width, src[min(q+c, n):], ld, cols, min(g.packRLanes, width-c), k)
		}
	}
}

// packCols packs w ≤ width rows of k contiguous elements (row stride ld)
// transposed: dst[p*width+i] = src[i*ld+p], zero for w ≤ i < width. Eight
// rows at a time, so that each step fills eight consecutive elements (four
// at a time took 9% of a 1024³ call, eight 5%).
func (g *gemmImpl) packCols(dst []float32, width int, src []float32, ld, w, k int) {
	if g.packT != nil {
		g.transpose(dst, width, src, ld, w, k)
		if w < width {
			for p := range k {
				clear(dst[p*width+w : (p+1)*width])
			}
		}
		return
	}
	i := 0
	for ; i+8 <= w; i += 8 {
		r0, r1 := src[i*ld:][:k], src[(i+1)*ld:][:k]
		r2, r3 := src[(i+2)*ld:][:k], src[(i+3)*ld:][:k]
		r4, r5 := src[(i+4)*ld:][:k], src[(i+5)*ld:][:k]
		r6, r7 := src[(i+6)*ld:][:k], src[(i+7)*ld:][:k]
		for p := range k {
			d := dst[p*width+i:][:8]
			d[0], d[1], d[2], d[3] = r0[p], r1[p], r2[p], r3[p]
			d[4], d[5], d[6], d[7] = r4[p], r5[p], r6[p], r7[p]
		}
	}
	for ; i+4 <= w; i += 4 {
		r0, r1 := src[i*ld:][:k], src[(i+1)*ld:][:k]
		r2, r3 := src[(i+2)*ld:][:k], src[(i+3)*ld:][:k]
		for p := range k {
			d := dst[p*width+i:][:4]
			d[0], d[1], d[2], d[3] = r0[p], r1[p], r2[p], r3[p]
		}
	}
	for ; i < w; i++ {
		for p, v := range src[i*ld : i*ld+k] {
			dst[p*width+i] = v
		}
	}
	if w < width {
		for p := range k {
			clear(dst[p*width+w : (p+1)*width])
		}
	}
}

// transpose sets dst[p*sd+i] = src[i*ld+p] for i < rows, p < k, through
// g.packT when the variant has one.
func (g *gemmImpl) transpose(dst []float32, sd int, src []float32, ld, rows, k int) {
	if g.packT == nil {
		for i := range rows {
			for p, v := range src[i*ld : i*ld+k] {
				dst[p*sd+i] = v
			}
		}
		return
	}
	for i := 0; i < rows; i += g.packTRows {
		g.packT(dst[i:], sd, src[i*ld:], ld, min(g.packTRows, rows-i), k)
	}
}

// workers is the number of goroutines for cl: t.procs(), and 1 below
// gemmParallelFlops.
func (t Threads) workers(cl *gemmCall) int {
	if 2*float64(cl.m)*float64(cl.n)*float64(cl.k) < gemmParallelFlops {
		return 1
	}
	return t.procs()
}

// gemmPart is one worker's share of a call: C[i0:i1, j0:j1], with the
// B panels it shares with the other parts, if any.
type gemmPart struct {
	cl             *gemmCall
	sh             *gemmShare
	i0, i1, j0, j1 int
	done           *latch
}

// gemmShare is one part's view of the packed B that the parts of a call
// split along m share: each packs part q of n of every block's panels.
type gemmShare struct {
	b    []float32
	bar  *barrier
	q, n int
}

// gemmJob is the per-call state of a parallel call, reused so that it is
// not allocated on every call.
type gemmJob struct {
	cl     gemmCall
	done   latch
	bar    barrier
	b      []float32 // the shared packed B
	parts  []gemmPart
	shares []gemmShare
}

var gemmJobs freeList[gemmJob]

func (p *gemmPart) compute() {
	buf := gemmBufs.get()
	p.cl.run(buf, p.sh, p.i0, p.i1, p.j0, p.j1)
	gemmBufs.put(buf)
}

func (p *gemmPart) finished() *latch { return p.done }

// parallel splits C into w blocks of whole tiles, along m unless its
// largest block would have clearly more of C than along n (with B packed,
// along n unless that is clearly more), and computes them on w goroutines
// (the caller's included). Each element's chain is the same whoever
// computes it, so results do not depend on w. Split along m with B packed
// (a narrow B), the parts share B's packed panels (gemmShare) rather than
// each packing all of them.
func (cl *gemmCall) parallel(w int) {
	g := cl.g
	mr := g.mr // rows of C a tile computes
	if cl.transposed() {
		mr = g.nr // and n ≤ transN ≤ nr: no split along n
	}
	tilesM, tilesN := (cl.m+mr-1)/mr, (cl.n+g.nr-1)/g.nr
	// The largest part's share of C either way: along m unless that is
	// clearly more. 32×256×784 (the default recipe's forward GEMM) splits
	// 24/8 rows along m, 128/128 columns along n: 157 → 111 µs a call in
	// training, and the recipe 12.2–12.5 s → 10.0–12.0 s in three pairs.
	partM := min((tilesM+w-1)/w*mr, cl.m) * cl.n
	partN := cl.m * min((tilesN+w-1)/w*g.nr, cl.n)
	alongM := cl.transposed() || 4*partM <= 5*partN
	if !cl.transposed() && cl.tiled() && !cl.inPlaceB() {
		// B is packed: along n each part packs its own panels, where parts
		// along m share one packed B with two barriers per block. Along n
		// unless that is clearly more; two threads, 9 rounds alternating:
		// 256×256×784 A·Bᵀ 239 → 272 GFLOP/s, 256×784×256 A·Bᵀ 251 → 265,
		// 784×256×256 A·Bᵀ 291 → 301, 2048³ 233 → 281, 1024³ 212 → 217
		// and 281 → 283; 512×96×512 A·Bᵀ (3 panels) 260 along m, 217
		// along n.
		alongM = 4*partN > 5*partM
	}
	tiles := tilesN
	if alongM {
		tiles = tilesM
	}
	w = min(w, tiles)
	if w <= 1 {
		cl.runAlone(0, cl.m, 0, cl.n)
		return
	}
	job := gemmJobs.get()
	job.cl = *cl
	if cap(job.parts) < w {
		job.parts = make([]gemmPart, w)
		job.shares = make([]gemmShare, w)
	}
	share := alongM && cl.tiled() && !cl.inPlaceB()
	if share {
		job.b = grow(job.b, panelsLen(min(g.nc, cl.n), g.nr, min(g.kc, cl.k)))
		job.bar.init(w)
	}
	job.done.init(w)
	parts := job.parts[:w]
	for q := range parts {
		lo, hi := q*tiles/w, (q+1)*tiles/w
		p := gemmPart{cl: &job.cl, i0: 0, i1: cl.m, j0: 0, j1: cl.n, done: &job.done}
		if alongM {
			p.i0, p.i1 = lo*mr, min(hi*mr, cl.m)
		} else {
			p.j0, p.j1 = lo*g.nr, min(hi*g.nr, cl.n)
		}
		if share {
			job.shares[q] = gemmShare{b: job.b, bar: &job.bar, q: q, n: w}
			p.sh = &job.shares[q]
		}
		parts[q] = p
	}
	runParts(parts, &job.done)
	job.cl = gemmCall{} // drop the caller's slices
	gemmJobs.put(job)
}
