// Command auth0-explorer explores the Auth0 Authentication API: in a terminal
// UI, or headless with `call`, `token` and friends.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"auth0-explorer/ui/cli"
)

func main() {
	// Ctrl+C (or SIGTERM) cancels the context with cli.ErrInterrupted as its cause, so
	// Run can exit 130; a second Ctrl+C kills the process outright.
	ctx, cancel := context.WithCancelCause(context.Background())
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	go func() {
		<-sig
		signal.Stop(sig)
		cancel(cli.ErrInterrupted)
	}()
	code := cli.Run(ctx, os.Args[1:], cli.OSEnv())
	signal.Stop(sig)
	cancel(nil)
	os.Exit(code)
}
