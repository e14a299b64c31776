package handlers_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// TestSpreadsheetExport: export.xlsx has the cohort view's rows for the same query, and the
// contract CSV gets a byte order mark only when ?bom=1 asks for it.
func TestSpreadsheetExport(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	b := e.browser()
	b.signInTeacher()
	page := b.get("/course/2?group=1&sort=access")
	want := byTestID(page.doc, "student-row")
	p := b.get("/course/2/export.xlsx?group=1&sort=access")
	if p.status != http.StatusOK || p.header.Get("Content-Type") != "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" ||
		!strings.Contains(p.header.Get("Content-Disposition"), ".xlsx") {
		t.Fatalf("export.xlsx: %d %q %q", p.status, p.header.Get("Content-Type"), p.header.Get("Content-Disposition"))
	}
	f, err := excelize.OpenReader(strings.NewReader(p.body))
	if err != nil {
		t.Fatalf("not a spreadsheet: %v", err)
	}
	defer f.Close()
	rows, _ := f.GetRows("Students")
	if len(rows)-1 != len(want) {
		t.Fatalf("%d students in the spreadsheet; the page shows %d", len(rows)-1, len(want))
	}
	for i, tr := range want {
		name := text(one(t, tr, "student-link"))
		if rows[i+1][0] != name {
			t.Errorf("row %d: %q; the page has %q", i+1, rows[i+1][0], name)
		}
	}
	if p := b.get("/course/2/export.xlsx?sort=nonsense"); p.status != http.StatusBadRequest {
		t.Errorf("a bad query: %d; want 400 as for the page", p.status)
	}
	plain := b.get("/course/2/export.csv")
	bom := b.get("/course/2/export.csv?bom=1")
	if strings.HasPrefix(plain.body, "\ufeff") || !strings.HasPrefix(plain.body, "userid,") {
		t.Errorf("the plain CSV starts %q; want the header without a BOM", plain.body[:10])
	}
	if bom.body != "\ufeff"+plain.body {
		t.Errorf("?bom=1 does not give the same CSV with a BOM: starts %q", bom.body[:10])
	}
	if a := b.get("/course/2/activities.csv?bom=1"); !strings.HasPrefix(a.body, "\ufeffcmid,") {
		t.Errorf("activities.csv?bom=1 starts %q", a.body[:10])
	}
}
