// Command demomoodle serves the demo Moodle (internal/demo) on its own, so
// the dashboard, a benchmark or a browser test can talk to it over the
// network as to a real Moodle 4.5.
//
// Every flag has an environment fallback with a KTS_DEMO_ prefix:
//
//	-addr          listen address (KTS_DEMO_ADDR, default 127.0.0.1:8089)
//	-base-url      site URL written into replies (KTS_DEMO_BASE_URL, default: from each request)
//	-big-students  size of the generated benchmark course, 0 = none (KTS_DEMO_BIG_STUDENTS)
//	-latency       "none" or "realistic" (KTS_DEMO_LATENCY)
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/knowthystudents/kts/internal/demo"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdout); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(0)
		}
		fmt.Fprintln(os.Stderr, "demomoodle:", err)
		os.Exit(1)
	}
}

// envName is a flag's environment fallback: -big-students → KTS_DEMO_BIG_STUDENTS.
func envName(flagName string) string {
	return "KTS_DEMO_" + strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))
}

// run parses the flags, serves the demo site until ctx is done and shuts
// down gracefully. It prints the listening URL and the demo accounts.
func run(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	fs := flag.NewFlagSet("demomoodle", flag.ContinueOnError)
	fs.SetOutput(stdout)
	env := func(name, def string) string {
		if v := getenv(envName(name)); v != "" {
			return v
		}
		return def
	}
	addr := fs.String("addr", env("addr", "127.0.0.1:8089"), "listen address (env "+envName("addr")+")")
	baseURL := fs.String("base-url", env("base-url", ""), "site URL in replies; empty: from each request (env "+envName("base-url")+")")
	bigDefault, err := strconv.Atoi(env("big-students", "0"))
	if err != nil {
		return fmt.Errorf("%s: %w", envName("big-students"), err)
	}
	big := fs.Int("big-students", bigDefault, "students in the generated benchmark course (course id 4); 0: none (env "+envName("big-students")+")")
	latency := fs.String("latency", env("latency", "none"), `"none" or "realistic" (a real Moodle's speed at 500 students) (env `+envName("latency")+")")
	if err := fs.Parse(args); err != nil {
		return err
	}
	opts := demo.Options{BaseURL: *baseURL, BigStudents: *big}
	switch *latency {
	case "none", "":
	case "realistic":
		opts.Latency = demo.RealisticLatency()
	default:
		return fmt.Errorf("-latency %q: want none or realistic", *latency)
	}
	if *big < 0 {
		return fmt.Errorf("-big-students %d: want 0 or more", *big)
	}

	site := demo.New(opts)
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: site.Handler(), ReadHeaderTimeout: 10 * time.Second}
	fmt.Fprintf(stdout, "demo Moodle listening on http://%s\n", ln.Addr())
	for _, a := range site.Accounts() {
		fmt.Fprintf(stdout, "  %-13s password %-13s token %s  (%s)\n", a.Username, a.Password, a.Token, a.Role)
	}

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil {
		return err
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
