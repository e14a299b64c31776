package moodle

import (
	"cmp"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// Params are a wsfunction's arguments in Moodle's bracket notation (courseids[0]=2,
// options[0][name]=onlyactive). Build them with the helpers, never by gluing strings at call
// sites, so that the notation lives in one place. Send them with Encode, never with
// url.Values.Encode: see Encode for why the order of the body matters.
type Params url.Values

// Set sets a scalar parameter.
func (p Params) Set(name, value string) Params { url.Values(p).Set(name, value); return p }

// SetInt sets an integer parameter.
func (p Params) SetInt(name string, v int64) Params {
	return p.Set(name, strconv.FormatInt(v, 10))
}

// SetBool sets a 0/1 parameter, as Moodle's PARAM_BOOL expects.
func (p Params) SetBool(name string, v bool) Params {
	if v {
		return p.Set(name, "1")
	}
	return p.Set(name, "0")
}

// IntList sets name[0], name[1], ... to ids.
func (p Params) IntList(name string, ids []int64) Params {
	for i, id := range ids {
		p.SetInt(name+"["+strconv.Itoa(i)+"]", id)
	}
	return p
}

// StringList sets name[0], name[1], ... to values.
func (p Params) StringList(name string, values []string) Params {
	for i, v := range values {
		p.Set(name+"["+strconv.Itoa(i)+"]", v)
	}
	return p
}

// Item sets name[i][field] = value, for lists of structures (options, messages, notes).
func (p Params) Item(name string, i int, field, value string) Params {
	return p.Set(name+"["+strconv.Itoa(i)+"]["+field+"]", value)
}

// Option is one entry of Moodle's options[] lists ({name, value}).
type Option struct{ Name, Value string }

// Options sets name[i][name] and name[i][value] for each option.
func (p Params) Options(name string, opts []Option) Params {
	for i, o := range opts {
		p.Item(name, i, "name", o.Name)
		p.Item(name, i, "value", o.Value)
	}
	return p
}

func newParams() Params { return Params{} }

// ArgsParams flattens JSON-like arguments (as sent inside a batch) into bracket notation, so
// that a batched call can be re-sent on its own: {"options": [{"name": "a"}]} becomes
// options[0][name]=a.
func ArgsParams(args map[string]any) Params {
	p := newParams()
	for k, v := range args {
		flatten(p, k, v)
	}
	return p
}

func flatten(p Params, name string, v any) {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			flatten(p, name+"["+k+"]", e)
		}
	case map[string]string:
		for k, e := range x {
			p.Set(name+"["+k+"]", e)
		}
	case []map[string]string:
		for i, e := range x {
			flatten(p, name+"["+strconv.Itoa(i)+"]", e)
		}
	case []map[string]any:
		for i, e := range x {
			flatten(p, name+"["+strconv.Itoa(i)+"]", e)
		}
	case []any:
		for i, e := range x {
			flatten(p, name+"["+strconv.Itoa(i)+"]", e)
		}
	case []int64:
		p.IntList(name, x)
	case []string:
		p.StringList(name, x)
	case bool:
		p.SetBool(name, x)
	case int:
		p.SetInt(name, int64(x))
	case int64:
		p.SetInt(name, x)
	case string:
		p.Set(name, x)
	default:
		p.Set(name, fmt.Sprint(x))
	}
}

// Encode writes the parameters as a form body whose list items stand in index order:
// requests[2][...] before requests[10][...]. The order is not cosmetic. PHP builds each array
// in the order its keys first appear in the body, whatever their indices, and Moodle walks
// those arrays in that order: tool_mobile_call_external_functions answers its inner calls in
// it, and validation keeps it for every list. url.Values.Encode sorts keys as strings
// ("10" < "2"), so from the eleventh item on PHP would see a different list than the one
// meant, and a batch's replies would land on the wrong students.
func (p Params) Encode() string {
	keys := make([]string, 0, len(p))
	for k := range p {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, compareKeys)
	var b strings.Builder
	for _, k := range keys {
		ek := url.QueryEscape(k)
		for _, v := range p[k] {
			if b.Len() > 0 {
				b.WriteByte('&')
			}
			b.WriteString(ek)
			b.WriteByte('=')
			b.WriteString(url.QueryEscape(v))
		}
	}
	return b.String()
}

// compareKeys orders bracket-notation keys segment by segment (name, then each [...]), with
// segments that are both whole numbers compared as numbers: a[2][x] < a[10][a] < b.
func compareKeys(a, b string) int {
	sa, sb := keySegments(a), keySegments(b)
	for i := range min(len(sa), len(sb)) {
		if c := compareSegment(sa[i], sb[i]); c != 0 {
			return c
		}
	}
	return cmp.Compare(len(sa), len(sb))
}

func compareSegment(a, b string) int {
	na, errA := strconv.ParseUint(a, 10, 63)
	nb, errB := strconv.ParseUint(b, 10, 63)
	switch {
	case errA == nil && errB == nil:
		return cmp.Compare(na, nb)
	case errA == nil:
		return -1 // numbers before names, so a mixed array keeps its list part together
	case errB == nil:
		return 1
	}
	return strings.Compare(a, b)
}

// keySegments splits "requests[10][function]" into [requests 10 function].
func keySegments(key string) []string {
	name, rest, ok := strings.Cut(key, "[")
	if !ok {
		return []string{key}
	}
	segs := []string{name}
	for {
		seg, after, ok := strings.Cut(rest, "]")
		if !ok {
			return append(segs, rest)
		}
		segs = append(segs, seg)
		if !strings.HasPrefix(after, "[") {
			if after != "" {
				segs = append(segs, after)
			}
			return segs
		}
		rest = after[1:]
	}
}
