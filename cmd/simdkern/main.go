// Command simdkern trains a multilayer perceptron on MNIST with the
// simdkern kernels, evaluates and applies the model, and reports the CPU
// and the kernels' speed.
//
//	simdkern train -out mnist.model     784-256-10 on MNIST (fetched and cached the first time)
//	simdkern eval -model mnist.model    test accuracy and confusion matrix
//	simdkern predict -model mnist.model digit.png test:0
//	simdkern show -out grid.png         a grid of labelled test digits
//	simdkern bench                      Sgemm GFLOP/s per variant and thread count, ReLU, softmax
//	simdkern cpu                        detected features and variants
//
// Errors end with one line on stderr and exit status 2 for usage errors
// (bad flags, SIMDKERN_CPU naming a variant this CPU lacks), 1 otherwise.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"

	"github.com/simdkern/simdkern/kernels"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// env is what a subcommand talks to; tests replace the writers.
type env struct {
	ctx            context.Context
	stdout, stderr io.Writer
}

type command struct {
	name, args, summary string
	run                 func(e *env, args []string) error
}

// commands is filled in init: the commands print their usage from it,
// which would otherwise be an initialisation cycle.
var commands []command

func init() {
	commands = []command{
		{"train", "[flags]", "train an MLP on MNIST (784-256-10, 98% in 15 epochs by default)", runTrain},
		{"eval", "-model FILE [flags]", "test accuracy and confusion matrix of a saved model", runEval},
		{"predict", "-model FILE IMAGE|test:N|train:N ...", "classify PNG/JPEG files or MNIST images", runPredict},
		{"show", "[flags]", "write a PNG grid of labelled MNIST digits", runShow},
		{"serve", "[flags]", "serve a page to draw digits on and the prediction API", runServe},
		{"bench", "[flags]", "measure the kernels: Sgemm GFLOP/s, ReLU GB/s, softmax-CE time", runBench},
		{"cpu", "[flags]", "CPU features, kernel variants, caches", runCPU},
	}
}

// usageError is a mistake in the command line: exit status 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error {
	return &usageError{fmt.Sprintf(format, args...)}
}

// errHelp reports that -h printed the usage: exit status 0.
var errHelp = errors.New("help requested")

// run executes the command line args and returns the exit status.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) (code int) {
	e := &env{ctx: ctx, stdout: stdout, stderr: stderr}
	// A panic is a bug, but the user still gets one line, not a stack trace.
	defer func() {
		if r := recover(); r != nil {
			code = fail(stderr, fmt.Errorf("internal error: %v", r))
		}
	}()
	if err := kernels.ConfigError(); err != nil {
		return fail(stderr, &usageError{err.Error()})
	}
	if len(args) == 0 {
		printUsage(stderr)
		return 2
	}
	switch args[0] {
	case "-h", "-help", "--help", "help":
		printUsage(stdout)
		return 0
	}
	for _, c := range commands {
		if c.name == args[0] {
			return fail(stderr, c.run(e, args[1:]))
		}
	}
	return fail(stderr, usagef("unknown command %q (commands: %s; see simdkern -h)", args[0], commandNames()))
}

func commandNames() string {
	names := make([]string, len(commands))
	for i, c := range commands {
		names[i] = c.name
	}
	return strings.Join(names, ", ")
}

func printUsage(w io.Writer) {
	fmt.Fprintf(w, "usage: simdkern COMMAND [flags]\n\nCommands:\n")
	for _, c := range commands {
		fmt.Fprintf(w, "  %-8s %s\n", c.name, c.summary)
	}
	fmt.Fprintf(w, "\nRun 'simdkern COMMAND -h' for a command's flags.\n"+
		"Environment: %s=DIR holds the MNIST files (else they are fetched and cached);\n"+
		"SIMDKERN_CPU=generic|avx2|avx512|neon caps the kernel variant (active here: %s).\n",
		mnistDirEnv, kernels.Variant())
}

// fail prints err as one line and returns its exit status.
func fail(stderr io.Writer, err error) int {
	switch {
	case err == nil:
		return 0
	case errors.Is(err, errHelp):
		return 0
	}
	// Some packages already prefix their messages with the program's name.
	msg := strings.TrimPrefix(err.Error(), "simdkern: ")
	msg = strings.Join(strings.Fields(strings.ReplaceAll(msg, "\n", "; ")), " ")
	fmt.Fprintf(stderr, "simdkern: %s\n", msg)
	var u *usageError
	if errors.As(err, &u) {
		return 2
	}
	return 1
}

// newFlags returns a flag set whose errors come back to the caller
// instead of being printed, so that each error is one line.
func newFlags(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return fs
}

// parseFlags parses args, allowing flags after positional arguments
// ("predict a.png -json"), and returns the positional ones. -h prints the
// command's usage on stdout and returns errHelp.
func parseFlags(e *env, fs *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				printCommandUsage(e.stdout, fs)
				return nil, errHelp
			}
			return nil, usagef("%s: %v (see simdkern %s -h)", fs.Name(), err, fs.Name())
		}
		args = fs.Args()
		if len(args) == 0 {
			return positional, nil
		}
		if args[0] == "--" {
			return append(positional, args[1:]...), nil
		}
		positional = append(positional, args[0])
		args = args[1:]
	}
}

func printCommandUsage(w io.Writer, fs *flag.FlagSet) {
	for _, c := range commands {
		if c.name == fs.Name() {
			fmt.Fprintf(w, "usage: simdkern %s %s\n\n%s.\n\nFlags:\n", c.name, c.args, strings.ToUpper(c.summary[:1])+c.summary[1:])
		}
	}
	fs.SetOutput(w)
	fs.PrintDefaults()
	fs.SetOutput(io.Discard)
}

// parseNoArgs parses the flags of a command that takes no other
// arguments.
func parseNoArgs(e *env, fs *flag.FlagSet, args []string) error {
	rest, err := parseFlags(e, fs, args)
	if err != nil {
		return err
	}
	return noArgs(fs, rest)
}

// noArgs rejects positional arguments for commands that take none.
func noArgs(fs *flag.FlagSet, args []string) error {
	if len(args) > 0 {
		return usagef("%s: unexpected argument %q (see simdkern %s -h)", fs.Name(), args[0], fs.Name())
	}
	return nil
}

// jsonFlag registers -json.
func jsonFlag(fs *flag.FlagSet) *bool {
	return fs.Bool("json", false, "print one JSON object on stdout instead of text")
}

// writeJSON prints v as one indented JSON object.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
