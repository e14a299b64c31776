package moodle

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"testing"
)

// decodeWhole is how replies were decoded before decodeStream: the whole body trimmed,
// checked with json.Valid, tried as an exception, then unmarshalled. decodeStream must
// classify every body the same way and decode the same value.
func decodeWhole(fn string, body []byte, out any) error {
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 {
		return &DecodeError{Function: fn, Kind: DecodeEmpty}
	}
	if trimmed[0] == '<' {
		return &DecodeError{Function: fn, Kind: DecodeNotJSON}
	}
	if trimmed[0] == '{' {
		if e := exceptionOf(trimmed); e != nil {
			e.Function = fn
			return e
		}
	}
	if !json.Valid(trimmed) {
		kind := DecodeNotJSON
		if trimmed[0] == '{' || trimmed[0] == '[' || trimmed[0] == '"' {
			kind = DecodeTruncated
		}
		return &DecodeError{Function: fn, Kind: kind}
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(trimmed, out); err != nil {
		return &DecodeError{Function: fn, Kind: DecodeShape, Err: err}
	}
	return nil
}

// class names an outcome without the details that may differ (json's error texts).
func class(err error) string {
	var me *Error
	var de *DecodeError
	switch {
	case err == nil:
		return "ok"
	case errors.As(err, &me):
		return "moodle:" + me.Code + ":" + me.Exception + ":" + me.Message
	case errors.As(err, &de):
		return []string{"notjson", "truncated", "shape", "empty"}[de.Kind]
	}
	return "other:" + err.Error()
}

// FuzzDecodeStreamMatchesWhole: streaming decodes every body, for the reply types that are
// streamed (a top-level array, an object with arrays of objects), exactly as reading it whole
// did: same outcome, and the same value when it succeeds.
func FuzzDecodeStreamMatchesWhole(f *testing.F) {
	f.Add([]byte(`[{"id":5,"fullname":"Zoë","groups":[{"id":1,"name":"A"}],"roles":[{"roleid":5,"shortname":"student"}],"lastaccess":"17"}]`))
	f.Add([]byte(`{"assignments":[{"assignmentid":1,"submissions":[{"id":1,"userid":5,"status":"submitted","plugins":[]}]}],"warnings":[]}`))
	f.Add([]byte(`{"exception":"moodle_exception","errorcode":"invalidtoken","message":"Invalid token"}`))
	f.Add([]byte(`{"error":"Invalid login","errorcode":"invalidlogin"}`))
	f.Add([]byte(`{"assignments":[{"assignmentid":1,"submissions":[{"id":`))
	f.Add([]byte(`[{"id":"x"}] `))
	f.Add([]byte(`{"ASSIGNMENTS":null,"Exception":"x","assignments":[{"submissions":null}]}`))
	f.Add([]byte(`[] []`))
	f.Fuzz(func(t *testing.T, body []byte) {
		check := func(name string, mk func() any) {
			want, got := mk(), mk()
			we := decodeWhole("fn", body, want)
			ge := decodeReply("fn", body, got)
			if class(we) != class(ge) {
				t.Fatalf("%s %q: streamed %v (%s); whole %v (%s)", name, body, ge, class(ge), we, class(we))
			}
			if we == nil && !reflect.DeepEqual(want, got) {
				t.Fatalf("%s %q: streamed %+v; whole %+v", name, body, got, want)
			}
		}
		check("[]EnrolledUser", func() any { return new([]EnrolledUser) })
		check("SubmissionsReply", func() any { return new(SubmissionsReply) })
		check("nil", func() any { return nil })
	})
}
