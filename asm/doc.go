// Package asm holds the assembly kernels and their Go stubs; callers (package kernels) guarantee each stub's preconditions.
package asm
