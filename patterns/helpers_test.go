package patterns

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// dataDir is ../shared/data seen from the module root.
func dataDir(t testing.TB) string {
	t.Helper()
	dir, err := filepath.Abs(filepath.Join("..", "..", "shared", "data"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("no shared data: %v", err)
	}
	return dir
}

var ansi = regexp.MustCompile(`\x1b\[[0-9;]*[A-Za-z]`)

// allPacks compiles every built-in pack.
func allPacks(t testing.TB) *Set {
	t.Helper()
	var files []*File
	for _, name := range Packs() {
		f, err := Pack(name)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	s, err := Compile(files...)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func mustParseFile(t testing.TB, path string) *File {
	t.Helper()
	f, err := ParseFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// readLog reads a log of ../shared/data (gunzipped if need be) into lines
// as a terminal shows them: ANSI escapes removed, split at \n, and of a line
// that \r divides only the last part (progress bars redraw a line).
func readLog(t testing.TB, name string) [][]byte {
	t.Helper()
	return readLogFile(t, filepath.Join(dataDir(t), name))
}

func readLogFile(t testing.TB, path string) [][]byte {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Skipf("no shared data: %v", err)
	}
	defer f.Close()
	var r io.Reader = f
	if strings.HasSuffix(path, ".gz") {
		if r, err = gzip.NewReader(f); err != nil {
			t.Fatal(err)
		}
	}
	data, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	data = ansi.ReplaceAll(data, nil)
	lines := bytes.Split(bytes.TrimSuffix(data, []byte("\n")), []byte("\n"))
	for i, l := range lines {
		l = bytes.TrimSuffix(l, []byte("\r"))
		if j := bytes.LastIndexByte(l, '\r'); j >= 0 {
			l = l[j+1:]
		}
		lines[i] = l
	}
	return lines
}

// compile parses YAML rule files named a.yaml, b.yaml, ... and compiles them.
func compile(t testing.TB, srcs ...string) *Set {
	t.Helper()
	var files []*File
	for i, src := range srcs {
		f, err := Parse(string(rune('a'+i))+".yaml", []byte(src))
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	s, err := Compile(files...)
	if err != nil {
		t.Fatal(err)
	}
	return s
}
