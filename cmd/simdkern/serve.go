package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/simdkern/simdkern/internal/web"
	"github.com/simdkern/simdkern/mlp"
)

// runServe serves the drawing page and the prediction API until
// interrupted, then lets requests in progress finish.
func runServe(e *env, args []string) error {
	fs := newFlags("serve")
	addr := fs.String("addr", "127.0.0.1:8080", "listen address; port 0 picks a free port (the first line printed names it)")
	modelPath := fs.String("model", "", "model file written by simdkern train -out (default: the embedded 784-256-10 model of the default recipe)")
	if err := parseNoArgs(e, fs, args); err != nil {
		return err
	}
	var model *mlp.Model
	var err error
	if *modelPath == "" {
		model, err = web.DefaultModel()
	} else {
		model, err = loadModel(*modelPath)
	}
	if err != nil {
		return err
	}
	handler, err := web.Handler(model)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	srv := web.NewServer(handler)
	fmt.Fprintf(e.stdout, "serving on http://%s\n", ln.Addr())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		return err
	case <-e.ctx.Done():
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(ctx); err != nil {
		return fmt.Errorf("serve: shutting down: %w", err)
	}
	if err := <-done; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
