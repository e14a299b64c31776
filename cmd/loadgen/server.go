package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// child is the dashboard under test, a process of its own so that its memory is its own.
type child struct {
	cmd *exec.Cmd
	url string
	dir string
}

// startServer builds the dashboard if needed and starts it on a free loopback port, pointed
// at the demo Moodle, and waits until /healthz answers.
func startServer(ctx context.Context, o options, moodleURL string, log io.Writer) (*child, error) {
	c := &child{}
	bin := o.server
	if bin == "" {
		dir, err := os.MkdirTemp("", "kts-loadgen-")
		if err != nil {
			return nil, err
		}
		c.dir = dir
		bin = filepath.Join(dir, "kts-server")
		build := exec.CommandContext(ctx, "go", "build", "-o", bin, "./cmd/server")
		build.Stdout, build.Stderr = log, log
		if err := build.Run(); err != nil {
			c.close()
			return nil, fmt.Errorf("go build ./cmd/server (run loadgen from the repository's root): %w", err)
		}
	}
	port, err := freePort()
	if err != nil {
		c.close()
		return nil, err
	}
	addr := "127.0.0.1:" + strconv.Itoa(port)
	c.url = "http://" + addr
	c.cmd = exec.Command(bin, "-addr", addr, "-moodle-url", moodleURL, "-log-level", "warn",
		// Nothing may turn stale during the run: the refresh is asked for explicitly.
		"-cache-ttl", "1h", "-full-refresh-after", "2h",
		"-batch-size", strconv.Itoa(o.batchSize), "-batch-concurrency", strconv.Itoa(o.concurrency))
	c.cmd.Env = cleanEnv()
	c.cmd.Stdout, c.cmd.Stderr = log, log
	if err := c.cmd.Start(); err != nil {
		c.close()
		return nil, err
	}
	if err := waitHealthy(ctx, c.url); err != nil {
		c.close()
		return nil, err
	}
	return c, nil
}

// cleanEnv drops KTS_ settings of the caller's environment, so the flags above are all there is.
func cleanEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "KTS_") {
			env = append(env, kv)
		}
	}
	return env
}

func (c *child) pid() int { return c.cmd.Process.Pid }

// close stops the dashboard and removes the binary built for it.
func (c *child) close() {
	if c.cmd != nil && c.cmd.Process != nil {
		c.cmd.Process.Signal(os.Interrupt)
		done := make(chan struct{})
		go func() { c.cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			c.cmd.Process.Kill()
		}
	}
	if c.dir != "" {
		os.RemoveAll(c.dir)
	}
}

func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

func waitHealthy(ctx context.Context, base string) error {
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+"/healthz", nil)
		if resp, err := http.DefaultClient.Do(req); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		time.Sleep(100 * time.Millisecond)
	}
	return fmt.Errorf("the dashboard did not answer /healthz within 30 s")
}
