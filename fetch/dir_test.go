package fetch

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestDirStore(t *testing.T) {
	root := t.TempDir()
	for name, body := range map[string]string{
		"logs/job/1/build-log.txt":  "one\n",
		"logs/job/2/build-log.txt":  "two\n",
		"logs/job/latest-build.txt": "2",
		"logs/job-b/3/x":            "",
		"top.txt":                   "top",
	} {
		p := filepath.Join(root, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	outside := filepath.Join(t.TempDir(), "secret")
	os.WriteFile(outside, []byte("secret"), 0o644)
	if err := os.Symlink(outside, filepath.Join(root, "logs", "job", "escape")); err != nil {
		t.Fatal(err)
	}
	s, err := OpenDir(root)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	list := func(prefix, delim string) []string {
		t.Helper()
		var names []string
		for o, err := range s.List(ctx, prefix, delim) {
			if err != nil {
				t.Fatalf("List(%q, %q): %v", prefix, delim, err)
			}
			names = append(names, o.Name)
		}
		return names
	}
	for _, tt := range []struct {
		prefix, delim string
		want          []string
	}{
		{"logs/job/", "/", []string{"logs/job/1/", "logs/job/2/", "logs/job/latest-build.txt"}},
		{"logs/", "/", []string{"logs/job-b/", "logs/job/"}}, // byte order, as GCS: '-' < '/'
		{"logs/job", "/", []string{"logs/job-b/", "logs/job/"}},
		{"logs/job/", "", []string{"logs/job/1/build-log.txt", "logs/job/2/build-log.txt", "logs/job/latest-build.txt"}},
		{"", "/", []string{"logs/", "top.txt"}},
		{"nothing/", "/", nil},
	} {
		if got := list(tt.prefix, tt.delim); !slices.Equal(got, tt.want) {
			t.Errorf("List(%q, %q) = %v, want %v", tt.prefix, tt.delim, got, tt.want)
		}
	}
	r, size, err := s.Open(ctx, "logs/job/1/build-log.txt")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(r)
	r.Close()
	if string(b) != "one\n" || size != 4 {
		t.Errorf("Open = %q, size %d", b, size)
	}
	for _, tt := range []struct {
		name     string
		notExist bool
		says     string
	}{
		{"logs/job/9/build-log.txt", true, filepath.Join(root, "logs/job/9/build-log.txt") + ": not found"},
		{"logs/job/escape", false, "escape"},
		{"../outside", false, "invalid object name"},
		{"logs/job/1", false, "is a directory"},
	} {
		_, _, err := s.Open(ctx, tt.name)
		if err == nil || IsNotExist(err) != tt.notExist || !strings.Contains(err.Error(), tt.says) {
			t.Errorf("Open(%q) error %v: want IsNotExist %v, saying %q", tt.name, err, tt.notExist, tt.says)
		}
	}
	if _, err := s.Stat(ctx, "logs/job/1"); !IsNotExist(err) {
		t.Errorf("Stat of a directory = %v, want not found (a prefix is no object)", err)
	}
	if o, err := s.Stat(ctx, "top.txt"); err != nil || o.Size != 3 {
		t.Errorf("Stat(top.txt) = %+v, %v", o, err)
	}
	if _, err := OpenDir(filepath.Join(root, "top.txt")); err == nil {
		t.Error("OpenDir of a file succeeded")
	}
}

func TestDirStorePermission(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root reads everything")
	}
	root := t.TempDir()
	p := filepath.Join(root, "locked.txt")
	os.WriteFile(p, []byte("x"), 0o000)
	s, _ := OpenDir(root)
	_, _, err := s.Open(context.Background(), "locked.txt")
	if !IsPermission(err) || !strings.Contains(err.Error(), p) {
		t.Errorf("Open of an unreadable file = %v, want a permission error naming it", err)
	}
}
