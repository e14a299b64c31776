package moodletest

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// EnvFixtures names the environment variable that points at the fixture directory, for
// checkouts where shared/ is not next to the repository.
const EnvFixtures = "KTS_FIXTURES"

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
	dir     string
	entries []Entry
	bodies  map[string][]byte
}

// LoadFixtures reads manifest.json and every reply body it lists from dir.
func LoadFixtures(dir string) (*Fixtures, error) {
	raw, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		return nil, fmt.Errorf("moodletest: %w", err)
	}
	var m struct {
		Fixtures []Entry `json:"fixtures"`
	}
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, fmt.Errorf("moodletest: %s: %w", filepath.Join(dir, "manifest.json"), err)
	}
	if len(m.Fixtures) == 0 {
		return nil, fmt.Errorf("moodletest: %s lists no fixtures", filepath.Join(dir, "manifest.json"))
	}
	f := &Fixtures{dir: dir, entries: m.Fixtures, bodies: make(map[string][]byte, len(m.Fixtures))}
	for _, e := range m.Fixtures {
		b, err := os.ReadFile(filepath.Join(dir, e.File))
		if err != nil {
			return nil, fmt.Errorf("moodletest: fixture of manifest: %w", err)
		}
		f.bodies[e.File] = b
	}
	return f, nil
}

// Recorded loads the recorded Moodle 4.5 fixtures (see FixturesDir) or fails the test.
// Load them once per top-level test and hand them to every server.
func Recorded(tb testing.TB) *Fixtures {
	tb.Helper()
	f, err := LoadFixtures(FixturesDir(tb))
	if err != nil {
		tb.Fatal(err)
	}
	return f
}

// FixturesDir returns the directory of the recorded Moodle 4.5 fixtures: $KTS_FIXTURES when
// set, else shared/moodle-fixtures/moodle-4.5 next to the repository (the module root's
// parent holds shared/, locally and on CI). It fails the test, saying where it looked, when
// the directory has no manifest.json, so a missing checkout is not mistaken for a bug.
func FixturesDir(tb testing.TB) string {
	tb.Helper()
	if d := os.Getenv(EnvFixtures); d != "" {
		if !hasManifest(d) {
			tb.Fatalf("moodletest: $%s=%q has no manifest.json", EnvFixtures, d)
		}
		return d
	}
	root, err := moduleRoot()
	if err != nil {
		tb.Fatalf("moodletest: %v; set $%s to the fixture directory", err, EnvFixtures)
	}
	d := filepath.Join(filepath.Dir(root), "shared", "moodle-fixtures", "moodle-4.5")
	if !hasManifest(d) {
		tb.Fatalf("moodletest: no fixtures at %s (expected shared/ next to the repository); set $%s to the fixture directory", d, EnvFixtures)
	}
	return d
}

func hasManifest(dir string) bool {
	st, err := os.Stat(filepath.Join(dir, "manifest.json"))
	return err == nil && st.Mode().IsRegular()
}

// moduleRoot walks up from the working directory (a test runs in its package directory) to
// the directory holding go.mod.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("moodletest: no go.mod above the working directory")
		}
		dir = parent
	}
}

// Dir returns the directory the fixtures were read from.
func (f *Fixtures) Dir() string { return f.dir }

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
