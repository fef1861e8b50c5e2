package patterns

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
)

// packFS holds the built-in packs, one YAML rule file per pack.
//
//go:embed packs/*.yaml
var packFS embed.FS

// Packs returns the names of the built-in packs, sorted.
func Packs() []string {
	entries, _ := fs.ReadDir(packFS, "packs") // embedded: cannot fail
	var names []string
	for _, e := range entries {
		if name, ok := strings.CutSuffix(e.Name(), ".yaml"); ok {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	return names
}

// Pack returns the built-in pack called name. Its rules have Pack set to
// name and Source to "packs/<name>.yaml:<line>".
func Pack(name string) (*File, error) {
	if !slices.Contains(Packs(), name) {
		return nil, fmt.Errorf("unknown pack %q (packs: %s)", name, strings.Join(Packs(), ", "))
	}
	p := path.Join("packs", name+".yaml")
	data, err := packFS.ReadFile(p)
	if err != nil {
		return nil, fmt.Errorf("reading pack %s: %w", name, err)
	}
	f, err := parse(p, data, false)
	if err != nil {
		return nil, fmt.Errorf("built-in pack %s: %w", name, err)
	}
	for i := range f.Rules {
		f.Rules[i].Pack = name
	}
	return f, nil
}
