package kernels

// gemmExp selects experimental behaviour (scratch, to be removed).
var gemmExp int
