package demo

import (
	"sort"
	"strconv"
	"strings"

	"github.com/knowthystudents/kts/internal/moodle/wsfake"
)

// args are a function's parameters as a tree: leaves are strings, nested
// structures and lists are args keyed by name or index ("0", "1", ...). The
// same tree comes from Moodle's bracket-notation form fields
// (options[0][name]=onlyactive) and from the JSON arguments of a
// tool_mobile_call_external_functions request, so every function parses its
// parameters one way.
type args map[string]any

// argsOf builds the tree from the parameters as PHP read them (form fields
// in bracket notation, or a batch call's JSON arguments): every list is
// renumbered 0, 1, ... in PHP's order, which is what Moodle's validation makes
// of it whatever indices the client sent.
func argsOf(p *wsfake.Array) args {
	out := args{}
	list := p.IsList()
	for i, k := range p.Keys() {
		name := k
		if list {
			name = strconv.Itoa(i)
		}
		switch v, _ := p.Get(k); x := v.(type) {
		case string:
			out[name] = x
		case *wsfake.Array:
			out[name] = argsOf(x)
		}
	}
	return out
}

// str returns a scalar parameter. A structure where a scalar is expected is
// invalid, as in Moodle.
func (a args) str(name string) (string, bool, error) {
	v, ok := a[name]
	if !ok {
		return "", false, nil
	}
	s, isStr := v.(string)
	if !isStr {
		return "", true, errInvalidParameter()
	}
	return s, true, nil
}

func (a args) reqStr(name string) (string, error) {
	s, ok, err := a.str(name)
	if err != nil {
		return "", err
	}
	if !ok {
		return "", errInvalidParameter()
	}
	return s, nil
}

func (a args) strOr(name, def string) (string, error) {
	s, ok, err := a.str(name)
	if err != nil || !ok {
		return def, err
	}
	return s, nil
}

// parseInt accepts what Moodle's PARAM_INT accepts: an optional minus sign
// and digits ("abc" and "1.5" are invalid parameters).
func parseInt(s string) (int64, error) {
	n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil || strings.HasPrefix(strings.TrimSpace(s), "+") {
		return 0, errInvalidParameter()
	}
	return n, nil
}

func (a args) reqInt(name string) (int64, error) {
	s, err := a.reqStr(name)
	if err != nil {
		return 0, err
	}
	return parseInt(s)
}

func (a args) intOr(name string, def int64) (int64, error) {
	s, ok, err := a.str(name)
	if err != nil {
		return 0, err
	}
	if !ok {
		return def, nil
	}
	return parseInt(s)
}

// parseBool accepts what Moodle's PARAM_BOOL accepts.
func parseBool(s string) (bool, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "1", "true", "yes", "on":
		return true, nil
	case "0", "false", "no", "off", "":
		return false, nil
	}
	return false, errInvalidParameter()
}

func (a args) boolOr(name string, def bool) (bool, error) {
	s, ok, err := a.str(name)
	if err != nil {
		return false, err
	}
	if !ok {
		return def, nil
	}
	return parseBool(s)
}

// list returns the elements of a list parameter in index order; missing
// means an empty list.
func (a args) list(name string) ([]any, error) {
	v, ok := a[name]
	if !ok {
		return nil, nil
	}
	m, isMap := v.(args)
	if !isMap {
		if s, _ := v.(string); s == "" {
			return nil, nil // an empty list sent as "name="
		}
		return nil, errInvalidParameter()
	}
	keys := make([]int, 0, len(m))
	for k := range m {
		n, err := strconv.Atoi(k)
		if err != nil {
			return nil, errInvalidParameter()
		}
		keys = append(keys, n)
	}
	sort.Ints(keys)
	out := make([]any, len(keys))
	for i, k := range keys {
		out[i] = m[strconv.Itoa(k)]
	}
	return out, nil
}

func (a args) ints(name string) ([]int64, error) {
	items, err := a.list(name)
	if err != nil {
		return nil, err
	}
	out := make([]int64, len(items))
	for i, it := range items {
		s, ok := it.(string)
		if !ok {
			return nil, errInvalidParameter()
		}
		if out[i], err = parseInt(s); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (a args) strs(name string) ([]string, error) {
	items, err := a.list(name)
	if err != nil {
		return nil, err
	}
	out := make([]string, len(items))
	for i, it := range items {
		s, ok := it.(string)
		if !ok {
			return nil, errInvalidParameter()
		}
		out[i] = s
	}
	return out, nil
}

func (a args) objs(name string) ([]args, error) {
	items, err := a.list(name)
	if err != nil {
		return nil, err
	}
	out := make([]args, len(items))
	for i, it := range items {
		m, ok := it.(args)
		if !ok {
			return nil, errInvalidParameter()
		}
		out[i] = m
	}
	return out, nil
}

// options reads Moodle's options[i][name]/options[i][value] list into a map.
func (a args) options() (map[string]string, error) {
	items, err := a.objs("options")
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for _, it := range items {
		name, err := it.reqStr("name")
		if err != nil {
			return nil, err
		}
		val, err := it.strOr("value", "")
		if err != nil {
			return nil, err
		}
		out[name] = val
	}
	return out, nil
}
