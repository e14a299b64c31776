// Package wsfake holds what the two fake Moodles (moodletest, which replays recordings, and
// demo, the built-in demo site) share about Moodle's web-service wire: reading a form the way
// PHP builds $_POST, running tool_mobile_call_external_functions the way Moodle does, the
// error bodies, and /login/token.php. Both fakes must see a request exactly as a real Moodle
// would, or a client bug that only shows on a real site (items of a list in the wrong order)
// passes every test.
//
// It imports no testing code: the demo server is built from it.
package wsfake

import (
	"strconv"
	"strings"
)

// MaxInputVars is PHP's default max_input_vars (Debian's php.ini keeps it): PHP ignores the
// variables of a request past this many, with a warning nobody sees when debugging is off.
const MaxInputVars = 1000

// MaxInputNesting is PHP's default max_input_nesting_level: a variable nested deeper is
// dropped.
const MaxInputNesting = 64

// Array is a PHP array: an ordered map whose keys keep the order in which they were first
// set. A later value for the same key replaces the earlier one in place. Values are string
// or *Array. A key is an integer key when it is a canonical decimal integer ("7", "-3"; not
// "07", "+7" or " 7"), as PHP's symbol tables decide; integer keys are kept in their decimal
// form.
type Array struct {
	keys []string
	vals map[string]any
	next int64 // PHP's nNextFreeElement: where a[] appends
}

// NewArray returns an empty array.
func NewArray() *Array { return &Array{vals: map[string]any{}} }

// Len returns the number of elements.
func (a *Array) Len() int { return len(a.keys) }

// Keys returns the keys in PHP's order (order of first appearance).
func (a *Array) Keys() []string { return append([]string(nil), a.keys...) }

// Get returns the value of key (a string or an *Array) and whether it is set.
func (a *Array) Get(key string) (any, bool) {
	v, ok := a.vals[key]
	return v, ok
}

// String returns the value of key when it is a string.
func (a *Array) String(key string) (string, bool) {
	s, ok := a.vals[key].(string)
	return s, ok
}

// Array returns the value of key when it is an array.
func (a *Array) Array(key string) (*Array, bool) {
	x, ok := a.vals[key].(*Array)
	return x, ok
}

// Values returns the values in PHP's order: what `foreach ($a as $v)` visits, and so what
// Moodle's validation makes of a list parameter (external_multiple_structure keeps the order
// and drops the keys).
func (a *Array) Values() []any {
	out := make([]any, len(a.keys))
	for i, k := range a.keys {
		out[i] = a.vals[k]
	}
	return out
}

// IsList reports whether every key is an integer key, as in every list parameter of Moodle.
func (a *Array) IsList() bool {
	for _, k := range a.keys {
		if _, ok := intKey(k); !ok {
			return false
		}
	}
	return true
}

// Set sets key to v (a string or an *Array), keeping the key's place when it exists.
func (a *Array) Set(key string, v any) {
	if n, ok := intKey(key); ok {
		if n >= a.next {
			a.next = n + 1
		}
	}
	if _, ok := a.vals[key]; !ok {
		a.keys = append(a.keys, key)
	}
	a.vals[key] = v
}

// Append appends v under the next integer key, as $a[] = v does.
func (a *Array) Append(v any) { a.Set(strconv.FormatInt(a.next, 10), v) }

// Delete removes key, as unset() does.
func (a *Array) Delete(key string) {
	if _, ok := a.vals[key]; !ok {
		return
	}
	delete(a.vals, key)
	for i, k := range a.keys {
		if k == key {
			a.keys = append(a.keys[:i], a.keys[i+1:]...)
			break
		}
	}
}

// intKey reports whether k is a canonical decimal integer, which PHP stores as an integer key.
func intKey(k string) (int64, bool) {
	if k == "" || len(k) > 20 {
		return 0, false
	}
	digits := strings.TrimPrefix(k, "-")
	if digits == "" || digits[0] < '0' || digits[0] > '9' || len(digits) > 1 && digits[0] == '0' || k == "-0" {
		return 0, false
	}
	n, err := strconv.ParseInt(k, 10, 64)
	return n, err == nil
}

// ParseForm reads an application/x-www-form-urlencoded body (or a query string) into the array
// PHP would build ($_POST, $_GET): pairs are split on '&', names and values are URL-decoded
// ('+' is a space, a malformed %-escape stays as it is), and each name is registered as
// php_register_variable_ex does it:
//
//   - in the base name (before the first '['), ' ' and '.' become '_'; an empty base name
//     drops the variable;
//   - a[x][y] sets nested arrays, created on first use, keys in order of first appearance;
//     a[] appends at the next integer index; a key already set is overwritten in place, and a
//     string in the way of a nested key is replaced by an array;
//   - a '[' without its ']' is not an index: it becomes '_' and the name is plain;
//   - anything after a ']' that is not a '[' is ignored (a[b]c is a[b]);
//   - variables past MaxInputVars, or nested deeper than MaxInputNesting, are dropped.
func ParseForm(body string) *Array {
	root := NewArray()
	n := 0
	for pair := range strings.SplitSeq(body, "&") {
		if pair == "" {
			continue
		}
		if n++; n > MaxInputVars {
			break
		}
		name, value, _ := strings.Cut(pair, "=")
		register(root, urlDecode(name), urlDecode(value))
	}
	return root
}

// register stores value under name in root (php_register_variable_ex).
func register(root *Array, name, value string) {
	name = strings.TrimLeft(name, " ")
	base, rest, isArray := strings.Cut(name, "[")
	base = strings.NewReplacer(" ", "_", ".", "_").Replace(base)
	if base == "" {
		return
	}
	if !isArray {
		root.Set(base, value)
		return
	}
	// Collect the indices; nil stands for [] (append).
	var idx []*string
	for {
		r := strings.TrimPrefix(rest, " ") // PHP skips one space before looking for "]"
		if strings.HasPrefix(r, "]") {
			idx = append(idx, nil)
			rest = r[1:]
		} else {
			i := strings.IndexByte(rest, ']')
			if i < 0 {
				if len(idx) == 0 { // "a[b" is the plain name a_b
					plain := base + "_" + strings.NewReplacer(" ", "_", ".", "_", "[", "_").Replace(rest)
					root.Set(plain, value)
					return
				}
				break // "a[b][c" stops at a[b]
			}
			s := rest[:i]
			idx = append(idx, &s)
			rest = rest[i+1:]
		}
		if len(idx) > MaxInputNesting {
			return
		}
		if !strings.HasPrefix(rest, "[") {
			break
		}
		rest = rest[1:]
	}
	cur := root
	key := &base
	for _, next := range idx {
		var child *Array
		if key == nil {
			child = NewArray()
			cur.Append(child)
		} else if c, ok := cur.vals[*key].(*Array); ok {
			child = c
		} else {
			child = NewArray()
			cur.Set(*key, child)
		}
		cur, key = child, next
	}
	if key == nil {
		cur.Append(value)
		return
	}
	cur.Set(*key, value)
}

// urlDecode decodes like PHP's urldecode: '+' is a space, %XX a byte, and a '%' not followed
// by two hex digits stays as it is.
func urlDecode(s string) string {
	if !strings.ContainsAny(s, "+%") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '+':
			b.WriteByte(' ')
		case c == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]):
			b.WriteByte(unhex(s[i+1])<<4 | unhex(s[i+2]))
			i += 2
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case '0' <= c && c <= '9':
		return c - '0'
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10
	}
	return c - 'A' + 10
}

// Merge returns array_merge(a, b): a's elements, then b's; a string key of b replaces a's
// value in a's place, integer keys are renumbered from 0. Moodle's REST server reads its
// parameters as array_merge($_GET, $_POST).
func Merge(a, b *Array) *Array {
	out := NewArray()
	for _, src := range []*Array{a, b} {
		for _, k := range src.keys {
			if _, ok := intKey(k); ok {
				out.Append(src.vals[k])
				continue
			}
			out.Set(k, src.vals[k])
		}
	}
	return out
}
