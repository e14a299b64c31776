package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"strings"
	"testing"
	"time"
)

func TestParse(t *testing.T) {
	t.Parallel()
	tests := []struct {
		args    []string
		wantErr bool
	}{
		{nil, false},
		{[]string{"-students", "0", "-teachers", "5", "-warm", "2s"}, false},
		{[]string{"-teachers", "0"}, true},
		{[]string{"-teachers", "501"}, true},
		{[]string{"-students", "-1"}, true},
		{[]string{"-students", "20001"}, true},
		{[]string{"-warm", "soon"}, true},
	}
	for _, tt := range tests {
		if _, err := parse(tt.args, io.Discard); (err != nil) != tt.wantErr {
			t.Errorf("parse(%q): error %v; want an error %v", tt.args, err, tt.wantErr)
		}
	}
}

// TestShortRun runs loadgen end to end on the 500-student course, briefly. It builds the
// server and takes about half a minute, so it only runs with KTS_LOADTEST=1.
func TestShortRun(t *testing.T) {
	if os.Getenv("KTS_LOADTEST") != "1" {
		t.Skip("set KTS_LOADTEST=1 to run loadgen end to end")
	}
	t.Chdir("../..") // go build ./cmd/server runs from the repository's root
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	var out bytes.Buffer
	err := run(ctx, []string{"-students", "0", "-teachers", "5", "-warm", "1s", "-saturate", "0", "-timeout", "2m"}, &out, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"### BIG500", "| Moodle HTTP requests | 25 |", "refresh: requests, share of cold"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("the report lacks %q:\n%s", want, out.String())
		}
	}
}
