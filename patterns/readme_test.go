package patterns

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestREADMEExample keeps the rule file shown in the README valid.
func TestREADMEExample(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(data), "```yaml\n")
	if !ok {
		t.Fatal("README.md shows no YAML rule file")
	}
	block, _, _ := strings.Cut(rest, "```")
	f, err := Parse("README.md", []byte(block))
	if err != nil {
		t.Fatal(err)
	}
	set, err := Compile(f)
	if err != nil {
		t.Fatal(err)
	}
	if h, ok := set.Hint([]byte("Split-Path : Cannot bind argument to parameter 'Path' because it is an empty string.")); !ok || !strings.Contains(h, "the Path parameter") {
		t.Errorf("the README's hint rule gives %q, %v", h, ok)
	}
}
