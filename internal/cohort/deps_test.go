package cohort_test

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

const module = "github.com/knowthystudents/kts/"

// TestDomainDoesNotImportMoodle keeps the domain apart from the Moodle client: cohort and the
// packages built on it reach neither internal/moodle (nor its sub-packages), nor the loader
// or its cache, not even through another package of this module. It reads the imports of
// every non-test file, following the module's own packages from the repository root.
func TestDomainDoesNotImportMoodle(t *testing.T) {
	t.Parallel()
	root := filepath.Join("..", "..")
	forbidden := []string{"internal/moodle", "internal/load", "internal/cache", "internal/intake"}
	for _, start := range []string{"internal/cohort", "internal/attention", "internal/compose", "internal/export"} {
		t.Run(start, func(t *testing.T) {
			t.Parallel()
			via := map[string]string{start: ""} // package → the package that imports it
			queue := []string{start}
			for len(queue) > 0 {
				pkg := queue[0]
				queue = queue[1:]
				for _, imp := range moduleImports(t, root, pkg) {
					if _, seen := via[imp]; seen {
						continue
					}
					via[imp] = pkg
					if slices.ContainsFunc(forbidden, func(f string) bool { return imp == f || strings.HasPrefix(imp, f+"/") }) {
						chain := []string{imp}
						for p := pkg; p != ""; p = via[p] {
							chain = append([]string{p}, chain...)
						}
						t.Errorf("%s imports %s: %s", start, imp, strings.Join(chain, " → "))
						continue
					}
					queue = append(queue, imp)
				}
			}
			if len(via) < 2 {
				t.Fatalf("found no imports of %s: is the repository root %s?", start, root)
			}
		})
	}
}

// moduleImports returns the module-relative paths of the module's packages that pkg's
// non-test files import.
func moduleImports(t *testing.T, root, pkg string) []string {
	t.Helper()
	entries, err := os.ReadDir(filepath.Join(root, filepath.FromSlash(pkg)))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	fset := token.NewFileSet()
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, filepath.Join(root, filepath.FromSlash(pkg), name), nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, spec := range f.Imports {
			path, err := strconv.Unquote(spec.Path.Value)
			if err != nil {
				t.Fatal(err)
			}
			if rel, ok := strings.CutPrefix(path, module); ok && !slices.Contains(out, rel) {
				out = append(out, rel)
			}
		}
	}
	return out
}
