// Package export writes the cohort and the activity report as CSV, exactly in the columns the
// public contract promises to spreadsheets and scripts: UTF-8, RFC 4180, a header row, and
// cells that a spreadsheet cannot mistake for a formula.
package export

import (
	"encoding/csv"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/knowthystudents/kts/internal/when"
)

// writer wraps csv.Writer with the contract's cell rules.
type writer struct{ w *csv.Writer }

func newWriter(w io.Writer) *writer { return &writer{w: csv.NewWriter(w)} }

// row writes one record; cells are already made safe.
func (w *writer) row(cells []string) error { return w.w.Write(cells) }

// flush ends the file and reports any write error.
func (w *writer) flush() error {
	w.w.Flush()
	return w.w.Error()
}

// text makes a text cell safe: valid UTF-8, and a leading =, +, -, @, tab or carriage return
// (which a spreadsheet would read as a formula) prefixed with an apostrophe.
func text(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// integer writes a whole number cell.
func integer(n int64) string { return strconv.FormatInt(n, 10) }

// number writes a plain decimal: 92, 78.5, never an exponent; empty for a value that is no
// number (NaN, infinities), which a spreadsheet would read as text.
func number(f float64) string {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return ""
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}

// timestamp writes RFC 3339 in UTC, empty for "never".
func timestamp(t when.Time) string {
	if t.Never() {
		return ""
	}
	return t.Time().UTC().Format(time.RFC3339)
}
