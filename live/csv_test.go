package live_test

import (
	"encoding/csv"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
)

// parseCSV reads an export: header and rows.
func parseCSV(t *testing.T, body string) table {
	t.Helper()
	r := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, "\ufeff")))
	r.FieldsPerRecord = -1
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatalf("the export is not CSV: %v\n%s", err, tail(body, 1000))
	}
	if len(recs) == 0 {
		t.Fatal("the export is empty, not even a header")
	}
	return table{Header: recs[0], Rows: recs[1:]}
}

// mismatch is one cell that differs from Moodle's truth.
type mismatch struct {
	key, column, want, got string
}

// compareTables compares got with want cell by cell, rows matched by their first column (the
// user id or cmid), and fails the test with the number of differing cells, the count per
// column and the first 20 cells. Extra or missing rows and columns are differences too.
func compareTables(t *testing.T, what string, want, got table) {
	t.Helper()
	if !slices.Equal(want.Header, got.Header) {
		t.Errorf("%s: header\n got %q\nwant %q", what, got.Header, want.Header)
	}
	gotRows := map[string][]string{}
	var order []string
	for _, r := range got.Rows {
		if len(r) == 0 {
			continue
		}
		if _, dup := gotRows[r[0]]; dup {
			t.Errorf("%s: row %s appears twice", what, r[0])
		}
		gotRows[r[0]] = r
		order = append(order, r[0])
	}
	col := func(h []string, name string) int { return slices.Index(h, name) }
	var diffs []mismatch
	wantKeys := map[string]bool{}
	for _, w := range want.Rows {
		wantKeys[w[0]] = true
		g, ok := gotRows[w[0]]
		if !ok {
			diffs = append(diffs, mismatch{key: w[0], column: "(row)", want: "present", got: "missing"})
			continue
		}
		for i, name := range want.Header {
			j := col(got.Header, name)
			gv := "(no column)"
			if j >= 0 && j < len(g) {
				gv = g[j]
			}
			if gv != w[i] {
				diffs = append(diffs, mismatch{key: w[0], column: name, want: w[i], got: gv})
			}
		}
	}
	for _, k := range order {
		if !wantKeys[k] {
			diffs = append(diffs, mismatch{key: k, column: "(row)", want: "absent", got: "present"})
		}
	}
	if len(diffs) == 0 {
		return
	}
	cells := len(want.Rows) * len(want.Header)
	perColumn := map[string]int{}
	for _, d := range diffs {
		perColumn[d.column]++
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %d of %d cells differ from Moodle's own numbers (truth.php)\nper column:", what, len(diffs), cells)
	cols := make([]string, 0, len(perColumn))
	for c := range perColumn {
		cols = append(cols, c)
	}
	slices.Sort(cols)
	for _, c := range cols {
		fmt.Fprintf(&b, " %q %d;", c, perColumn[c])
	}
	if f, err := os.CreateTemp("", "kts-live-diff-*.txt"); err == nil {
		for _, d := range diffs {
			fmt.Fprintf(f, "%s\t%s\tgot %q\twant %q\n", d.key, d.column, d.got, d.want)
		}
		f.Close()
		fmt.Fprintf(&b, "\nevery difference: %s", f.Name())
	}
	b.WriteString("\nfirst differences (row key, column: got, want):")
	for i, d := range diffs {
		if i == 20 {
			fmt.Fprintf(&b, "\n  … and %d more", len(diffs)-20)
			break
		}
		fmt.Fprintf(&b, "\n  %s, %s: got %q, want %q", d.key, d.column, d.got, d.want)
	}
	t.Error(b.String())
}
