// Command server runs the Know Thy Students dashboard.
//
// With no -moodle-url it starts a built-in demo Moodle on a loopback port and talks to it
// over HTTP exactly as it would to a real site.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "kts:", err)
		os.Exit(1)
	}
}
