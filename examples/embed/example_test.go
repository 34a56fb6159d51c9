package main

import "os"

// The embedded model reads the embedded sample, a 7.
func Example() {
	if err := classify(os.Stdout, sample); err != nil {
		panic(err)
	}
	// Output: digit 7 (probability 0.99999)
}
