package main

import (
	"context"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestStartupPrintsTheDashboardsAddress: a newcomer running `make run` is told where to point
// the browser, the dashboard's own address (not only the demo Moodle's, which is in the logs).
func TestStartupPrintsTheDashboardsAddress(t *testing.T) {
	t.Parallel()
	addr := freeAddr(t)
	_, port, _ := net.SplitHostPort(addr)
	ctx, cancel := context.WithCancel(context.Background())
	out := &lockedBuffer{}
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"-addr", ":" + port}, func(string) string { return "" }, out, io.Discard)
	}()
	defer func() { cancel(); <-done }()
	want := "http://localhost:" + port + "/"
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(out.String(), want) {
		select {
		case err := <-done:
			t.Fatalf("server exited: %v", err)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("stdout %q does not name %s", out.String(), want)
		}
		time.Sleep(20 * time.Millisecond)
	}
	resp, err := http.Get(want + "healthz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("the printed address answers %d", resp.StatusCode)
	}
}

// TestBusyPortSaysHowToPickAnother: "address already in use" alone leaves a newcomer stuck.
func TestBusyPortSaysHowToPickAnother(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	err = run(context.Background(), []string{"-addr", ln.Addr().String(), "-moodle-url", "http://127.0.0.1:1"}, func(string) string { return "" }, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "already in use") || !strings.Contains(err.Error(), "-addr") {
		t.Fatalf("run on a busy port: %v; want a sentence naming -addr", err)
	}
}
