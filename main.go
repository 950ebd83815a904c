// Command auth0-explorer explores the Auth0 Authentication API: in a terminal
// UI, or headless with `call`, `token` and friends.
package main

import (
	"context"
	"os"
	"os/signal"

	"auth0-explorer/ui/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := cli.Run(ctx, os.Args[1:], cli.OSEnv())
	stop()
	os.Exit(code)
}
