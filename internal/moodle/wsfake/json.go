package wsfake

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
)

// FromJSON decodes a batch request's arguments the way tool_mobile_call_external_functions
// does (json_decode($arguments, true), anything but an object or array being []): objects and
// arrays become Arrays, keys in the order the JSON gives them; numbers keep their text, true
// and false become "1" and "0" (what a form would carry for PARAM_BOOL) and null leaves the
// key out.
func FromJSON(raw string) *Array {
	if !json.Valid([]byte(raw)) { // json_decode gives null
		return NewArray()
	}
	dec := json.NewDecoder(strings.NewReader(raw))
	dec.UseNumber()
	v, err := decodeValue(dec)
	if err != nil {
		return NewArray()
	}
	a, ok := v.(*Array)
	if !ok {
		return NewArray()
	}
	return a
}

// decodeValue reads one JSON value: string, *Array or nil (null).
func decodeValue(dec *json.Decoder) (any, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		a := NewArray()
		switch t {
		case '{':
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return nil, err
				}
				k, _ := kt.(string)
				v, err := decodeValue(dec)
				if err != nil {
					return nil, err
				}
				if v != nil {
					a.Set(k, v)
				}
			}
		case '[':
			for i := 0; dec.More(); i++ {
				v, err := decodeValue(dec)
				if err != nil {
					return nil, err
				}
				if v != nil {
					a.Set(strconv.Itoa(i), v)
				}
			}
		}
		if _, err := dec.Token(); err != nil { // the closing delimiter
			return nil, err
		}
		return a, nil
	case string:
		return t, nil
	case json.Number:
		return t.String(), nil
	case bool:
		if t {
			return "1", nil
		}
		return "0", nil
	}
	return nil, nil
}

// Flatten writes a parameter array back in Moodle's bracket notation (courseids[0]=2,
// options[0][name]=onlyactive), each list renumbered 0, 1, ... in PHP's order, which is what
// Moodle's validation makes of a list whatever indices the form used. Two requests Moodle
// reads alike flatten alike, so the result can key recorded replies.
func Flatten(a *Array) map[string]string {
	out := map[string]string{}
	flattenInto(out, "", a)
	return out
}

func flattenInto(out map[string]string, prefix string, a *Array) {
	list := a.IsList()
	for i, k := range a.keys {
		name := k
		if list {
			name = strconv.Itoa(i)
		}
		if prefix != "" {
			name = prefix + "[" + name + "]"
		}
		switch v := a.vals[k].(type) {
		case string:
			out[name] = v
		case *Array:
			if v.Len() == 0 {
				continue
			}
			flattenInto(out, name, v)
		}
	}
}

// PHPJSON encodes v as PHP's json_encode does by default where it differs from encoding/json:
// '/' is escaped as "\/" and <, >, & are left as they are.
func PHPJSON(v any) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		panic("wsfake: " + err.Error()) // only plain values are encoded here
	}
	return bytes.ReplaceAll(bytes.TrimRight(buf.Bytes(), "\n"), []byte("/"), []byte(`\/`))
}
