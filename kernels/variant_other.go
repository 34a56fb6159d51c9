//go:build purego || !(amd64 || arm64)

package kernels

// simdVariant: with the purego tag or on other architectures only the
// generic variant exists.
func simdVariant(name string) variant { return variant{name: name} }
