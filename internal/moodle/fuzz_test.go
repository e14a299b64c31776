package moodle

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"testing"
)

// The seed corpus of each target lives in testdata/fuzz/<target>/, made from small recorded
// bodies and values; `go test` runs it like any test. Fuzz with e.g.
// go test -fuzz=FuzzDecodeReply -fuzztime=30s ./internal/moodle.

// FuzzDecodeReply: whatever a site sends, decodeReply neither panics nor lets invalid JSON
// through, recognises every exception body, and classifies each failure exactly once.
func FuzzDecodeReply(f *testing.F) {
	f.Add([]byte(`{"exception":"webservice_access_exception","errorcode":"accessexception","message":"Access control exception"}`))
	f.Add([]byte(`{"error":"Invalid login, please try again","errorcode":"invalidlogin"}`))
	f.Add([]byte(`<!DOCTYPE html><html></html>`))
	f.Add([]byte(`{"courses": [{"id": 2`))
	f.Add([]byte("  \n"))
	f.Fuzz(func(t *testing.T, body []byte) {
		var out any
		err := decodeReply("fn", body, &out)
		trimmed := bytes.TrimSpace(body)
		var me *Error
		var de *DecodeError
		switch {
		case err == nil:
			if !json.Valid(trimmed) {
				t.Fatalf("accepted invalid JSON %q", body)
			}
		case errors.As(err, &me):
			e := exceptionOf(trimmed)
			if e == nil || e.Code != me.Code || me.Function != "fn" {
				t.Fatalf("*Error %+v from a body that is not that exception: %q", me, body)
			}
		case errors.As(err, &de):
			if errors.Is(err, ErrNotJSON) == errors.Is(err, ErrTruncated) {
				t.Fatalf("%v must be exactly one of ErrNotJSON and ErrTruncated", err)
			}
			if json.Valid(trimmed) && de.Kind != DecodeShape {
				// Valid JSON may still not fit (1E700 overflows float64), but it is JSON.
				t.Fatalf("valid JSON %q reported as %v", body, err)
			}
		default:
			t.Fatalf("unexpected error type %T: %v", err, err)
		}
		if len(trimmed) > 0 && trimmed[0] == '{' && exceptionOf(trimmed) != nil && me == nil {
			t.Fatalf("exception body %q not reported as *Error (err %v)", body, err)
		}
	})
}

// FuzzTime: a timestamp that decodes survives a round trip, and "never" is exactly 0.
func FuzzTime(f *testing.F) {
	f.Add([]byte(`1795376688`))
	f.Add([]byte(`null`))
	f.Add([]byte(`"1795376688"`))
	f.Add([]byte(`1e300`))
	f.Fuzz(func(t *testing.T, b []byte) {
		var tm Time
		if tm.UnmarshalJSON(b) != nil {
			return
		}
		if tm.Never() != (tm.Unix() == 0) {
			t.Fatalf("%q: Never() = %v but Unix() = %d", b, tm.Never(), tm.Unix())
		}
		m, err := tm.MarshalJSON()
		if err != nil || !json.Valid(m) {
			t.Fatalf("%q: MarshalJSON() = %q, %v", b, m, err)
		}
		var back Time
		if err := back.UnmarshalJSON(m); err != nil || back.Unix() != tm.Unix() {
			t.Fatalf("%q: round trip through %q gave %d (%v), want %d", b, m, back.Unix(), err, tm.Unix())
		}
	})
}

// FuzzNumber: a decimal that decodes marshals to valid JSON that decodes to the same value.
func FuzzNumber(f *testing.F) {
	f.Add([]byte(`"92.00000"`))
	f.Add([]byte(`null`))
	f.Add([]byte(`""`))
	f.Add([]byte(`"Infinity"`))
	f.Add([]byte(`"nan"`))
	f.Fuzz(func(t *testing.T, b []byte) {
		var n Number
		if n.UnmarshalJSON(b) != nil {
			return
		}
		if n.Valid && (math.IsNaN(n.Value) || math.IsInf(n.Value, 0)) {
			t.Fatalf("%q decoded to %v, which no grade is", b, n.Value)
		}
		m, err := n.MarshalJSON()
		if err != nil || !json.Valid(m) {
			t.Fatalf("%q: MarshalJSON() = %q, %v", b, m, err)
		}
		var back Number
		if err := back.UnmarshalJSON(m); err != nil || back != n {
			t.Fatalf("%q: round trip through %q gave %+v (%v), want %+v", b, m, back, err, n)
		}
	})
}

// FuzzID: ids sent as numbers or strings decode to the integer they spell.
func FuzzID(f *testing.F) {
	f.Add([]byte(`"0"`))
	f.Add([]byte(`534`))
	f.Add([]byte(`null`))
	f.Add([]byte(`"nan"`))
	f.Fuzz(func(t *testing.T, b []byte) {
		var id ID
		if id.UnmarshalJSON(b) != nil {
			return
		}
		s := strings.TrimSpace(string(b))
		if u, err := strconv.Unquote(s); err == nil {
			s = strings.TrimSpace(u)
		}
		if v, err := strconv.ParseInt(s, 10, 64); err == nil && v > -1<<53 && v < 1<<53 && int64(id) != v {
			t.Fatalf("%q decoded to %d, want %d", b, id, v)
		}
		m, _ := json.Marshal(id)
		var back ID
		if err := back.UnmarshalJSON(m); err != nil || back != id {
			t.Fatalf("%q: round trip through %s gave %d (%v), want %d", b, m, back, err, id)
		}
	})
}

// FuzzBatchReply: a batch reply fills one result per inner call that ran, never more than were
// asked, each either data or an *Error of its own function, without the token.
func FuzzBatchReply(f *testing.F) {
	const token = "0badc0ffee0badc0ffee0badc0ffee00"
	f.Add([]byte(`{"responses":[{"error":false,"data":"{\"statuses\":[]}"},{"error":true,"exception":"{\"errorcode\":\"invalidrecord\",\"message\":\"` + token + `\"}"}]}`))
	f.Add([]byte(`{"responses":[{"error":true,"exception":"{\"errorcode\":\"` + token + `\"}"}]}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		var reply batchReply
		if decodeReply(FuncBatch, body, &reply) != nil {
			return
		}
		reqs := []BatchRequest{{Function: "f0"}, {Function: "f1"}, {Function: "f2"}}
		out := make([]BatchResult, len(reqs))
		n := reply.fill(reqs, out, token)
		if n != min(len(reply.Responses), len(reqs)) {
			t.Fatalf("fill ran %d of %d responses for %d requests", n, len(reply.Responses), len(reqs))
		}
		for i, r := range out {
			if i >= n {
				if r.Data != nil || r.Err != nil {
					t.Fatalf("result %d filled although its call did not run", i)
				}
				continue
			}
			if reply.Responses[i].Error {
				var me *Error
				if r.Data != nil || !errors.As(r.Err, &me) || me.Function != reqs[i].Function {
					t.Fatalf("result %d = %+v, want an *Error of %s", i, r, reqs[i].Function)
				}
				if text := fmt.Sprintf("%v %+v", r.Err, r.Err); strings.Contains(text, token) {
					t.Fatalf("result %d leaks the token: %s", i, text)
				}
				continue
			}
			if r.Err != nil || string(r.Data) != reply.Responses[i].Data {
				t.Fatalf("result %d = %+v, want the data", i, r)
			}
			var v any
			_ = r.Decode("f", &v) // must not panic
		}
	})
}

// FuzzScrub: for a Moodle-like token (hex), no error text keeps it, and sentinels still match.
func FuzzScrub(f *testing.F) {
	f.Add("Invalid token 0badc0ffee", "invalidtoken", []byte{0x0b, 0xad, 0xc0, 0xff, 0xee})
	f.Add("x", "0badc0ffee", []byte{0x0b, 0xad, 0xc0, 0xff, 0xee})
	f.Fuzz(func(t *testing.T, msg, code string, raw []byte) {
		if len(raw) == 0 {
			return
		}
		token := hex.EncodeToString(raw)
		errs := []error{
			&Error{Function: "f", Exception: msg, Code: code, Message: msg},
			errors.New(msg),
			fmt.Errorf("%s: %w", msg, &NetworkError{Function: "f", Kind: NetTimeout, Err: errors.New(code)}),
		}
		for _, err := range errs {
			s := scrub(err, token)
			for _, text := range []string{s.Error(), fmt.Sprintf("%v", s), fmt.Sprintf("%+v", s)} {
				if strings.Contains(text, token) {
					t.Fatalf("scrub leaks the token: %s", text)
				}
			}
		}
		// The fields of *Error reach structured logs one by one.
		me := errs[0].(*Error)
		if strings.Contains(me.Exception+"\x00"+me.Code+"\x00"+me.Message, token) {
			t.Fatalf("scrub left the token in %+v", *me)
		}
		if s := scrub(errs[2], token); !errors.Is(s, ErrTimeout) {
			t.Fatalf("scrubbing lost the sentinel: %v", s)
		}
	})
}
