// Command loadgen measures the dashboard against the demo Moodle's latency model, on this
// machine, and prints the figures docs/PERFORMANCE.md records.
//
// It serves the demo Moodle (RealisticLatency, BIG500 and a big course of -students) from
// its own process, starts the dashboard as a child process pointed at it, and plays
// teachers over loopback: a cold 500-student cohort, warm pages at -teachers concurrent
// teachers, an incremental refresh after 5 % of the students moved, and the same for the big
// course, with the dashboard's peak memory. It only ever talks to 127.0.0.1, is bounded by
// -timeout, and stops by itself.
//
//	go run ./cmd/loadgen            # everything, about four minutes
//	go run ./cmd/loadgen -students 0 # the 500-student course only
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "loadgen:", err)
		os.Exit(1)
	}
}

// options are loadgen's flags.
type options struct {
	students    int
	teachers    int
	warm        time.Duration
	think       time.Duration
	saturate    time.Duration
	server      string
	batchSize   int
	concurrency int
	timeout     time.Duration
	out         string
}

func parse(args []string, stderr io.Writer) (options, error) {
	var o options
	fs := flag.NewFlagSet("loadgen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.IntVar(&o.students, "students", 5000, "students of the demo's big course (0: skip it)")
	fs.IntVar(&o.teachers, "teachers", 50, "concurrent teachers of the warm runs")
	fs.DurationVar(&o.warm, "warm", 10*time.Second, "length of each warm run")
	fs.DurationVar(&o.think, "think", time.Second, "mean pause of a teacher between two pages in the warm runs (uniform over 0.5 to 1.5 times it)")
	fs.DurationVar(&o.saturate, "saturate", 5*time.Second, "length of the extra warm run without pauses, to find the ceiling (0: skip it)")
	fs.StringVar(&o.server, "server", "", "the dashboard binary (empty: go build ./cmd/server)")
	fs.IntVar(&o.batchSize, "batch-size", 25, "passed to the dashboard")
	fs.IntVar(&o.concurrency, "batch-concurrency", 4, "passed to the dashboard")
	fs.DurationVar(&o.timeout, "timeout", 10*time.Minute, "the whole run stops after this long")
	fs.StringVar(&o.out, "out", "", "also write the report to this file")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if o.teachers < 1 || o.teachers > 500 || o.students < 0 || o.students > 20000 {
		return o, fmt.Errorf("-teachers must be 1 to 500 and -students 0 to 20,000")
	}
	return o, nil
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	o, err := parse(args, stderr)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, o.timeout)
	defer cancel()
	b, err := newBench(ctx, o, stderr)
	if err != nil {
		return err
	}
	defer b.close()
	r, err := b.all(ctx)
	if err != nil {
		return err
	}
	report := r.markdown()
	fmt.Fprint(stdout, report)
	if o.out != "" {
		return os.WriteFile(o.out, []byte(report), 0o644)
	}
	return nil
}
