package moodle

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestFunctionNamesLiveHere: outside this package and the fakes of Moodle (the demo site and
// this package's test fakes), code names a web-service function only by its constant, so a
// renamed or added function is one edit here. Test files count too.
func TestFunctionNamesLiveHere(t *testing.T) {
	t.Parallel()
	names := map[string]bool{}
	for _, f := range Functions() {
		names[f] = true
	}
	root := filepath.Join("..", "..")
	fset := token.NewFileSet()
	checked := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			switch {
			case rel == "internal/moodle", rel == "internal/demo", rel == "node_modules",
				strings.HasPrefix(d.Name(), ".") && rel != ".", d.Name() == "testdata":
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") {
			return nil
		}
		file, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		checked++
		ast.Inspect(file, func(n ast.Node) bool {
			lit, ok := n.(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return true
			}
			if s, err := strconv.Unquote(lit.Value); err == nil && names[s] {
				t.Errorf("%s: %q is a wsfunction name; use its moodle.Func constant", fset.Position(lit.Pos()), s)
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked < 100 {
		t.Fatalf("only %d Go files found outside internal/moodle: the walk missed the module", checked)
	}
}
