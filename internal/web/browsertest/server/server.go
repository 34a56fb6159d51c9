// Package server builds and runs "simdkern serve" on a free loopback port
// for the browser test and the load test.
package server

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"time"
)

// Server is a running "simdkern serve".
type Server struct {
	URL  string // http://127.0.0.1:PORT
	cmd  *exec.Cmd
	done chan error
}

// Build compiles cmd/simdkern of the checkout that holds this module into
// dir and returns the binary's path.
func Build(dir string) (string, error) {
	_, file, _, _ := runtime.Caller(0)
	root := filepath.Join(filepath.Dir(file), "..", "..", "..", "..")
	bin := filepath.Join(dir, "simdkern")
	cmd := exec.Command("go", "build", "-o", bin, "./cmd/simdkern")
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("building simdkern: %v\n%s", err, out)
	}
	return bin, nil
}

// Start runs bin serve on a port the kernel picks and waits for the line
// that names it. The server dies with the process that started it.
func Start(bin string, args ...string) (*Server, error) {
	cmd := exec.Command(bin, append([]string{"serve", "-addr", "127.0.0.1:0"}, args...)...)
	first := &firstLine{line: make(chan string, 1)}
	cmd.Stdout, cmd.Stderr = first, os.Stderr
	// Pdeathsig, so that a test killed by its timeout leaves no server.
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	s := &Server{cmd: cmd, done: make(chan error, 1)}
	started := make(chan error, 1)
	// Pdeathsig fires when the thread that started the child exits: keep
	// it until the server does.
	go func() {
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		if err := cmd.Start(); err != nil {
			started <- err
			return
		}
		started <- nil
		s.done <- cmd.Wait()
	}()
	if err := <-started; err != nil {
		return nil, err
	}
	select {
	case line := <-first.line:
		url, ok := strings.CutPrefix(line, "serving on ")
		if !ok {
			s.Stop()
			return nil, fmt.Errorf("simdkern serve printed %q, want \"serving on URL\"", line)
		}
		s.URL = url
		return s, nil
	case err := <-s.done:
		return nil, fmt.Errorf("simdkern serve exited: %v", err)
	case <-time.After(30 * time.Second):
		s.Stop()
		return nil, errors.New("simdkern serve did not start within 30 s")
	}
}

// firstLine sends the first line written to it and discards the rest.
type firstLine struct {
	buf  []byte
	line chan string
	sent bool
}

func (f *firstLine) Write(p []byte) (int, error) {
	if !f.sent {
		f.buf = append(f.buf, p...)
		if i := bytes.IndexByte(f.buf, '\n'); i >= 0 {
			f.line <- string(f.buf[:i])
			f.sent, f.buf = true, nil
		}
	}
	return len(p), nil
}

// Stop interrupts the server, as Ctrl-C does, and returns an error unless
// it shuts down cleanly within 15 s.
func (s *Server) Stop() error {
	if err := s.cmd.Process.Signal(os.Interrupt); err != nil {
		return err
	}
	select {
	case err := <-s.done:
		return err
	case <-time.After(15 * time.Second):
		s.cmd.Process.Kill()
		return errors.New("simdkern serve did not stop within 15 s of an interrupt")
	}
}
