package static

import (
	"bytes"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"testing"
)

// The repository root, seen from this package's directory (go test runs
// tests there).
const repoRoot = ".."

var exactVersion = regexp.MustCompile(`^[0-9]+\.[0-9]+\.[0-9]+$`)

// TestNPMPinsAreExact keeps package.json's versions exact: a range would let
// npm install an htmx other than the one vendored here.
func TestNPMPinsAreExact(t *testing.T) {
	t.Parallel()
	pkg := readPackageJSON(t, filepath.Join(repoRoot, "package.json"))
	for _, deps := range []map[string]string{pkg.Dependencies, pkg.DevDependencies} {
		for name, v := range deps {
			if !exactVersion.MatchString(v) {
				t.Errorf("package.json: %s is %q, want an exact version such as 1.2.3", name, v)
			}
		}
	}
	for _, name := range []string{"htmx.org", "axe-core"} {
		if pinned(pkg, name) == "" {
			t.Errorf("package.json does not pin %s", name)
		}
	}

	var lock struct {
		Packages map[string]struct {
			Version string `json:"version"`
		} `json:"packages"`
	}
	readJSON(t, filepath.Join(repoRoot, "package-lock.json"), &lock)
	for _, name := range []string{"htmx.org", "axe-core"} {
		if got, want := lock.Packages["node_modules/"+name].Version, pinned(pkg, name); got != want {
			t.Errorf("package-lock.json has %s %q, package.json pins %q: run npm install and commit the lock file", name, got, want)
		}
	}
}

// TestVendoredHTMXMatchesPinnedNPM fails when static/vendor/htmx.min.js is
// not byte for byte the file npm installs for the pinned htmx.org, so the
// htmx we serve is always the one package.json names. Without node_modules
// (a Go-only checkout) there is nothing to compare and it skips, except in CI,
// where .ci/run runs npm ci first and a missing node_modules is a broken run.
func TestVendoredHTMXMatchesPinnedNPM(t *testing.T) {
	t.Parallel()
	want := pinned(readPackageJSON(t, filepath.Join(repoRoot, "package.json")), "htmx.org")
	dir := filepath.Join(repoRoot, "node_modules", "htmx.org")
	if _, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s is missing in CI: npm ci must run before the tests", dir)
		}
		t.Skipf("%s absent: run npm ci to compare the vendored htmx with %s", dir, want)
	}

	installed := readPackageJSON(t, filepath.Join(dir, "package.json")).Version
	if installed != want {
		t.Fatalf("node_modules has htmx.org %s but package.json pins %s: run npm ci", installed, want)
	}
	npmCopy, err := os.ReadFile(filepath.Join(dir, "dist", "htmx.min.js"))
	if err != nil {
		t.Fatal(err)
	}
	vendored, err := files.ReadFile("vendor/htmx.min.js")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(npmCopy, vendored) {
		t.Fatalf("static/vendor/htmx.min.js differs from htmx.org %s's dist/htmx.min.js: run make sync-htmx and commit it", want)
	}
}

type packageJSON struct {
	Version         string            `json:"version"`
	Dependencies    map[string]string `json:"dependencies"`
	DevDependencies map[string]string `json:"devDependencies"`
}

func pinned(p packageJSON, name string) string {
	if v, ok := p.Dependencies[name]; ok {
		return v
	}
	return p.DevDependencies[name]
}

func readPackageJSON(t *testing.T, path string) packageJSON {
	t.Helper()
	var p packageJSON
	readJSON(t, path, &p)
	return p
}

func readJSON(t *testing.T, path string, v any) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}
