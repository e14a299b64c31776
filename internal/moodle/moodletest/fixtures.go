package moodletest

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"testing"

	"github.com/knowthystudents/kts/internal/moodle/moodlefixtures"
)

// Entry is one recorded exchange of manifest.json: the exact request (Params, with wstoken
// and passwords shown as "REDACTED") and the file holding Moodle's reply body.
type Entry struct {
	File       string            `json:"file"`
	Endpoint   string            `json:"endpoint"`
	WSFunction string            `json:"wsfunction"`
	Params     map[string]string `json:"params"`
	HTTPStatus int               `json:"http_status"`
	TokenKind  string            `json:"token_kind"`
	ErrorCode  string            `json:"errorcode"` // "" when the reply is not an error
	Note       string            `json:"note"`
}

// Fixtures are the recorded replies of one Moodle site. They are read once, never change,
// and may be shared by any number of servers and parallel tests.
type Fixtures struct {
	fsys    fs.FS
	entries []Entry
	bodies  map[string][]byte
}

// LoadFixtures reads manifest.json and every reply body it lists from fsys.
func LoadFixtures(fsys fs.FS) (*Fixtures, error) {
	raw, err := fs.ReadFile(fsys, "manifest.json")
	if err != nil {
		return nil, fmt.Errorf("moodletest: %w", err)
	}
	var m struct {
		Fixtures []Entry `json:"fixtures"`
	}
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, fmt.Errorf("moodletest: manifest.json: %w", err)
	}
	if len(m.Fixtures) == 0 {
		return nil, fmt.Errorf("moodletest: manifest.json lists no fixtures")
	}
	f := &Fixtures{fsys: fsys, entries: m.Fixtures, bodies: make(map[string][]byte, len(m.Fixtures))}
	for _, e := range m.Fixtures {
		b, err := fs.ReadFile(fsys, e.File)
		if err != nil {
			return nil, fmt.Errorf("moodletest: fixture of manifest: %w", err)
		}
		f.bodies[e.File] = b
	}
	return f, nil
}

// Recorded loads the recorded Moodle 4.5 fixtures embedded in moodlefixtures or fails the
// test. Load them once per top-level test and hand them to every server.
func Recorded(tb testing.TB) *Fixtures {
	tb.Helper()
	f, err := LoadFixtures(moodlefixtures.Moodle45())
	if err != nil {
		tb.Fatal(err)
	}
	return f
}

// File returns a copy of any file of the recordings (seed-data.json, manifest.json, a reply
// body), or an error when there is none.
func (f *Fixtures) File(name string) ([]byte, error) {
	return fs.ReadFile(f.fsys, name)
}

// Entries returns every manifest entry, in manifest order.
func (f *Fixtures) Entries() []Entry {
	out := make([]Entry, len(f.entries))
	copy(out, f.entries)
	return out
}

// Entry returns the manifest entry of file.
func (f *Fixtures) Entry(file string) (Entry, bool) {
	for _, e := range f.entries {
		if e.File == file {
			return e, true
		}
	}
	return Entry{}, false
}

// Body returns a copy of the recorded reply body of file, nil when the manifest does not
// list it.
func (f *Fixtures) Body(file string) []byte {
	b, ok := f.bodies[file]
	if !ok {
		return nil
	}
	return append([]byte(nil), b...)
}
