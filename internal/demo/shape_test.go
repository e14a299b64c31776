package demo_test

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// shape is the JSON shape of a value: its type, an object's keys, an
// array's distinct element shapes, and for a string holding JSON (the data
// and exception of tool_mobile_call_external_functions, customdata) the
// shape of that JSON.
type shape struct {
	kind   string // null, bool, number, string, jsonstring, object, array
	fields map[string]*shape
	elems  []*shape // distinct by sig
	inner  *shape
	sig    string
}

func shapeOf(v any) *shape {
	s := &shape{}
	switch t := v.(type) {
	case nil:
		s.kind = "null"
	case bool:
		s.kind = "bool"
	case float64, json.Number:
		s.kind = "number"
	case string:
		s.kind = "string"
		if trimmed := strings.TrimSpace(t); strings.HasPrefix(trimmed, "{") || strings.HasPrefix(trimmed, "[") {
			var in any
			if json.Unmarshal([]byte(t), &in) == nil {
				s.kind, s.inner = "jsonstring", shapeOf(in)
			}
		}
	case map[string]any:
		s.kind = "object"
		s.fields = map[string]*shape{}
		for k, val := range t {
			s.fields[k] = shapeOf(val)
		}
	case []any:
		s.kind = "array"
		seen := map[string]bool{}
		for _, val := range t {
			e := shapeOf(val)
			if !seen[e.sig] {
				seen[e.sig] = true
				s.elems = append(s.elems, e)
			}
		}
	default:
		panic(fmt.Sprintf("unexpected JSON value %T", v))
	}
	s.sig = s.signature()
	return s
}

func (s *shape) signature() string {
	switch s.kind {
	case "object":
		keys := make([]string, 0, len(s.fields))
		for k := range s.fields {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		var b strings.Builder
		b.WriteString("{")
		for _, k := range keys {
			b.WriteString(k + ":" + s.fields[k].sig + ",")
		}
		return b.String() + "}"
	case "array":
		sigs := make([]string, 0, len(s.elems))
		for _, e := range s.elems {
			sigs = append(sigs, e.sig)
		}
		sort.Strings(sigs)
		return "[" + strings.Join(sigs, "|") + "]"
	case "jsonstring":
		return "json(" + s.inner.sig + ")"
	}
	return s.kind
}

// scalar reports kinds a demo null may stand for: Moodle itself sends null
// for some values that are usually numbers or strings (a never-accessed
// lastaccess), but never null for a list or an object.
func (s *shape) scalar() bool { return s.kind != "object" && s.kind != "array" }

// matches is shape equality with nulls as wildcards: fixture null matches
// anything, demo null matches a fixture scalar, and an empty array matches
// any array.
func matches(fix, got *shape) bool {
	switch {
	case fix.kind == "null":
		return true
	case got.kind == "null":
		return fix.scalar()
	case fix.kind != got.kind:
		return false
	}
	switch fix.kind {
	case "object":
		if len(fix.fields) != len(got.fields) {
			return false
		}
		for k, f := range fix.fields {
			g, ok := got.fields[k]
			if !ok || !matches(f, g) {
				return false
			}
		}
	case "array":
		if len(fix.elems) == 0 || len(got.elems) == 0 {
			return true
		}
		for _, f := range fix.elems {
			if !anyMatch(f, got.elems, false) {
				return false
			}
		}
		for _, g := range got.elems {
			if !anyMatch(g, fix.elems, true) {
				return false
			}
		}
	case "jsonstring":
		return matches(fix.inner, got.inner)
	}
	return true
}

func anyMatch(s *shape, in []*shape, reversed bool) bool {
	for _, o := range in {
		if reversed && matches(o, s) || !reversed && matches(s, o) {
			return true
		}
	}
	return false
}

// shapeDiff explains how got's shape differs from the fixture's: every key
// path of the fixture must be in the demo reply with the same JSON type,
// the demo may not add keys the fixture never has, every element shape of
// a fixture array must be produced by the demo and every demo element shape
// must be one the fixture shows.
func shapeDiff(path string, fix, got *shape) []string {
	switch {
	case fix.kind == "null":
		return nil
	case got.kind == "null":
		if fix.scalar() {
			return nil
		}
		return []string{fmt.Sprintf("%s: demo sends null, Moodle sends %s", path, fix.kind)}
	case fix.kind != got.kind:
		return []string{fmt.Sprintf("%s: demo sends %s, Moodle sends %s", path, got.kind, fix.kind)}
	}
	var out []string
	switch fix.kind {
	case "object":
		for _, k := range sortedKeys(fix.fields) {
			g, ok := got.fields[k]
			if !ok {
				out = append(out, fmt.Sprintf("%s.%s: missing in the demo reply", path, k))
				continue
			}
			out = append(out, shapeDiff(path+"."+k, fix.fields[k], g)...)
		}
		for _, k := range sortedKeys(got.fields) {
			if _, ok := fix.fields[k]; !ok {
				out = append(out, fmt.Sprintf("%s.%s: the demo sends a key Moodle does not", path, k))
			}
		}
	case "array":
		if len(fix.elems) > 0 && len(got.elems) == 0 {
			return []string{fmt.Sprintf("%s: Moodle sends elements, the demo an empty array", path)}
		}
		if len(got.elems) == 0 {
			return nil
		}
		for _, f := range fix.elems {
			if !anyMatch(f, got.elems, false) {
				out = append(out, closest(path+"[]", f, got.elems, false,
					"no demo element has this fixture element's shape")...)
			}
		}
		for _, g := range got.elems {
			if len(fix.elems) > 0 && !anyMatch(g, fix.elems, true) {
				out = append(out, closest(path+"[]", g, fix.elems, true,
					"a demo element has a shape no fixture element has")...)
			}
		}
	case "jsonstring":
		out = append(out, shapeDiff(path+"(json)", fix.inner, got.inner)...)
	}
	return out
}

// closest reports the differences to the nearest candidate.
func closest(path string, s *shape, cands []*shape, reversed bool, what string) []string {
	var best []string
	for _, c := range cands {
		var d []string
		if reversed {
			d = shapeDiff(path, c, s)
		} else {
			d = shapeDiff(path, s, c)
		}
		if best == nil || len(d) < len(best) {
			best = d
		}
	}
	return append([]string{path + ": " + what + "; nearest differs:"}, best...)
}

func sortedKeys(m map[string]*shape) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
