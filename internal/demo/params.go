package demo

import (
	"net/url"
	"sort"
	"strconv"
	"strings"
)

// args are a function's parameters as a tree: leaves are strings, nested
// structures and lists are args keyed by name or index ("0", "1", ...). The
// same tree comes from Moodle's bracket-notation form fields
// (options[0][name]=onlyactive) and from the JSON arguments of a
// tool_mobile_call_external_functions request, so every function parses its
// parameters one way.
type args map[string]any

// argsFromForm builds the tree from form fields in bracket notation. Fields
// of the REST server itself (wstoken, wsfunction, moodlewsrestformat) are
// left out.
func argsFromForm(form url.Values) args {
	root := args{}
	for key, vals := range form {
		if len(vals) == 0 {
			continue
		}
		switch key {
		case "wstoken", "wsfunction", "moodlewsrestformat":
			continue
		}
		root.set(splitBrackets(key), vals[0])
	}
	return root
}

// splitBrackets turns "options[0][name]" into [options 0 name].
func splitBrackets(key string) []string {
	i := strings.IndexByte(key, '[')
	if i < 0 {
		return []string{key}
	}
	parts := []string{key[:i]}
	rest := key[i:]
	for len(rest) > 1 && rest[0] == '[' {
		j := strings.IndexByte(rest, ']')
		if j < 0 {
			break
		}
		parts = append(parts, rest[1:j])
		rest = rest[j+1:]
	}
	return parts
}

func (a args) set(path []string, v string) {
	cur := a
	for _, p := range path[:len(path)-1] {
		next, ok := cur[p].(args)
		if !ok {
			next = args{}
			cur[p] = next
		}
		cur = next
	}
	cur[path[len(path)-1]] = v
}

// argsFromJSON converts decoded JSON arguments into the same tree: numbers
// and booleans become the strings a form would carry, null is left out.
func argsFromJSON(v any) any {
	switch t := v.(type) {
	case map[string]any:
		out := args{}
		for k, val := range t {
			if c := argsFromJSON(val); c != nil {
				out[k] = c
			}
		}
		return out
	case []any:
		out := args{}
		for i, val := range t {
			if c := argsFromJSON(val); c != nil {
				out[strconv.Itoa(i)] = c
			}
		}
		return out
	case string:
		return t
	case float64:
		return strconv.FormatFloat(t, 'f', -1, 64)
	case bool:
		if t {
			return "1"
		}
		return "0"
	}
	return nil
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
