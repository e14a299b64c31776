package views

import (
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestViewsImportNoMoodle: the views are fed by the domain and their own view models, never by
// the Moodle client, the loader or the cache (issue 19). With the domain free of them too,
// `go list -deps ./views` names none of the three.
func TestViewsImportNoMoodle(t *testing.T) {
	t.Parallel()
	banned := []string{"internal/load", "internal/moodle", "internal/cache"}
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range f.Imports {
			path, _ := strconv.Unquote(imp.Path.Value)
			for _, b := range banned {
				if strings.HasSuffix(path, "/"+b) || strings.Contains(path, "/"+b+"/") {
					t.Errorf("%s imports %s: the views take domain and view-model types only", name, path)
				}
			}
		}
	}
}
