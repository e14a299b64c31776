package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"sync"
	"testing"
	"time"
)

// syncBuffer is an io.Writer the test can read while run writes.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func TestRunServesTheDemoSite(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	out := &syncBuffer{}
	env := map[string]string{"KTS_DEMO_ADDR": "127.0.0.1:0"}
	done := make(chan error, 1)
	go func() { done <- run(ctx, nil, func(k string) string { return env[k] }, out) }()

	re := regexp.MustCompile(`listening on (http://\S+)`)
	var base string
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if m := re.FindStringSubmatch(out.String()); m != nil {
			base = m[1]
			break
		}
	}
	if base == "" {
		t.Fatalf("run never said where it listens: %q", out.String())
	}
	resp, err := http.PostForm(base+"/login/token.php", url.Values{
		"username": {"kts.teacher"}, "password": {"demo-teacher"}, "service": {"moodle_mobile_app"}})
	if err != nil {
		t.Fatal(err)
	}
	var tok struct {
		Token string `json:"token"`
	}
	err = json.NewDecoder(resp.Body).Decode(&tok)
	resp.Body.Close()
	if err != nil || len(tok.Token) != 32 {
		t.Fatalf("token reply: %+v, %v", tok, err)
	}
	if !bytes.Contains([]byte(out.String()), []byte(tok.Token)) {
		t.Errorf("the start-up banner does not list the teacher's token %s", tok.Token)
	}

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("run returned %v after shutdown, want nil", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("run did not return after its context was cancelled")
	}
}

func TestRunRejectsBadFlags(t *testing.T) {
	getenv := func(string) string { return "" }
	for _, args := range [][]string{
		{"-latency", "slow"},
		{"-big-students", "-5"},
		{"-no-such-flag"},
	} {
		if err := run(t.Context(), args, getenv, &syncBuffer{}); err == nil {
			t.Errorf("run(%v) = nil, want an error", args)
		}
	}
}
