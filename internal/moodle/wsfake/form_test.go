package wsfake

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"testing"
)

// dump renders an array as PHP's var_export would order it: keys in PHP's order.
func dump(v any) string {
	switch x := v.(type) {
	case string:
		return strconv.Quote(x)
	case *Array:
		parts := make([]string, 0, x.Len())
		for _, k := range x.Keys() {
			e, _ := x.Get(k)
			parts = append(parts, k+":"+dump(e))
		}
		return "[" + strings.Join(parts, " ") + "]"
	}
	return fmt.Sprintf("?%T", v)
}

// TestParseFormLikePHP pins what php_register_variable_ex makes of names (the expected values
// are what PHP 8.2 puts in $_POST for the same body).
func TestParseFormLikePHP(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, body, want string
	}{
		{"keys in order of first appearance, not index order", "a[10]=x&a[2]=y&a[0]=z", `[a:[10:"x" 2:"y" 0:"z"]]`},
		{"later duplicate overwrites in place", "a[x]=1&a[y]=2&a[x]=3", `[a:[x:"3" y:"2"]]`},
		{"plain duplicate: the last wins", "a=1&b=2&a=3", `[a:"3" b:"2"]`},
		{"[] appends after the highest integer key", "a[]=1&a[]=2&a[5]=3&a[]=4", `[a:[0:"1" 1:"2" 5:"3" 6:"4"]]`},
		{"[] of structures: each [] a new element", "r[][f]=x&r[][f]=y", `[r:[0:[f:"x"] 1:[f:"y"]]]`},
		{"nested structures keep their own order", "r[1][b]=1&r[0][a]=2&r[1][a]=3", `[r:[1:[b:"1" a:"3"] 0:[a:"2"]]]`},
		{"a string in the way becomes an array", "a=1&a[b]=2", `[a:[b:"2"]]`},
		{"an array is replaced by a later string", "a[b]=1&a=2", `[a:"2"]`},
		{"dot and space in the base name", "a.b=1&c d=2", `[a_b:"1" c_d:"2"]`},
		{"dot inside an index stays", "a[b.c]=1", `[a:[b.c:"1"]]`},
		{"unclosed bracket is not an index", "a[b=1", `[a_b:"1"]`},
		{"unclosed nested bracket stops at the last index", "a[b][c=1", `[a:[b:"1"]]`},
		{"text after ] is ignored", "a[b]c=1", `[a:[b:"1"]]`},
		{"empty base name is dropped", "[a]=1&=2&b=3", `[b:"3"]`},
		{"leading spaces of a name are dropped", "%20%20a=1", `[a:"1"]`},
		{"encoded brackets are brackets", "a%5B0%5D=1", `[a:[0:"1"]]`},
		{"plus is a space, bad escapes stay", "a=x+y%2&b=%zz%41", `[a:"x y%2" b:"%zzA"]`},
		{"name without =", "a&b=", `[a:"" b:""]`},
		{"a space before ] is []", "a[ ]=1&a[ ]=2", `[a:[0:"1" 1:"2"]]`},
		{"07 is a string key; [] still starts at 0", "a[07]=1&a[]=2", `[a:[07:"1" 0:"2"]]`},
		{"negative integer key", "a[-3]=1&a[]=2", `[a:[-3:"1" 0:"2"]]`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := dump(ParseForm(tt.body)); got != tt.want {
				t.Errorf("ParseForm(%q) = %s, want %s", tt.body, got, tt.want)
			}
		})
	}
}

// TestParseFormSortedEncodingReordersLists is the bug of issue 14 seen from PHP: a list of
// eleven or more items encoded with url.Values.Encode reaches Moodle in another order.
func TestParseFormSortedEncodingReordersLists(t *testing.T) {
	t.Parallel()
	form := url.Values{}
	for i := range 12 {
		form.Set("ids["+strconv.Itoa(i)+"]", strconv.Itoa(100+i))
	}
	ids, _ := ParseForm(form.Encode()).Array("ids")
	var got []string
	for _, v := range ids.Values() {
		got = append(got, v.(string))
	}
	want := "100 110 111 101 102 103 104 105 106 107 108 109" // ids[0] ids[10] ids[11] ids[1] ids[2] ...
	if g := strings.Join(got, " "); g != want {
		t.Errorf("PHP order of a sorted body = %s, want %s", g, want)
	}
}

func TestParseFormLimits(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	for i := range MaxInputVars + 5 {
		fmt.Fprintf(&b, "v%d=1&", i)
	}
	if n := ParseForm(b.String()).Len(); n != MaxInputVars {
		t.Errorf("%d variables kept, want max_input_vars = %d", n, MaxInputVars)
	}
	deep := "a" + strings.Repeat("[x]", MaxInputNesting) + "=1&b" + strings.Repeat("[x]", MaxInputNesting+1) + "=1"
	got := ParseForm(deep)
	if _, ok := got.Get("a"); !ok {
		t.Errorf("a variable nested %d deep was dropped", MaxInputNesting)
	}
	if _, ok := got.Get("b"); ok {
		t.Errorf("a variable nested %d deep was kept", MaxInputNesting+1)
	}
}

func TestMergeLikeArrayMerge(t *testing.T) {
	t.Parallel()
	got := Merge(ParseForm("wstoken=g&x=1&0=a"), ParseForm("y=2&wstoken=p&0=b"))
	if d, want := dump(got), `[wstoken:"p" x:"1" 0:"a" y:"2" 1:"b"]`; d != want {
		t.Errorf("Merge = %s, want %s", d, want)
	}
}

func TestFromJSONKeepsOrder(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{`{"userid":5,"courseid":2,"options":[{"name":"a","value":true}],"skip":null}`,
			`[userid:"5" courseid:"2" options:[0:[name:"a" value:"1"]]]`},
		{`{"b":1,"a":2,"b":3}`, `[b:"3" a:"2"]`},
		{`[1,2]`, `[0:"1" 1:"2"]`},
		{`"x"`, `[]`},
		{`{"a":1} trailing`, `[]`},
		{`not json`, `[]`},
	}
	for _, tt := range tests {
		if got := dump(FromJSON(tt.in)); got != tt.want {
			t.Errorf("FromJSON(%s) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

func TestFlattenRenumbersLists(t *testing.T) {
	t.Parallel()
	got := Flatten(ParseForm("courseids[7]=3&courseids[2]=5&options[0][name]=a&options[0][value]=1&field=id"))
	want := map[string]string{"courseids[0]": "3", "courseids[1]": "5", "options[0][name]": "a", "options[0][value]": "1", "field": "id"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("Flatten = %v, want %v", got, want)
	}
}
