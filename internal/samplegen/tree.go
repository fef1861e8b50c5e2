package main

import (
	"bufio"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// readmeTitle is the first line of the README samplegen writes. writeTree only
// deletes files from a directory whose README starts with it, so a mistyped
// -out cannot wipe someone's work.
const readmeTitle = "# Sample Prow bucket: kubernetes-ci-logs"

// writeTree makes dir hold exactly files: it writes each one and removes any
// other file, so runs dropped from the story do not linger.
func writeTree(dir string, files map[string][]byte) error {
	info, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return fmt.Errorf("checking output directory %s: %w", dir, err)
	case !info.IsDir():
		return fmt.Errorf("output %s is not a directory", dir)
	default:
		if err := checkOurs(dir); err != nil {
			return err
		}
	}

	var stale []string
	if err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if errors.Is(err, fs.ErrNotExist) && p == dir {
			return filepath.SkipDir
		}
		if err != nil {
			return err
		}
		if d.IsDir() {
			return nil
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		if _, ok := files[filepath.ToSlash(rel)]; !ok {
			stale = append(stale, p)
		}
		return nil
	}); err != nil {
		return fmt.Errorf("listing %s: %w", dir, err)
	}
	for _, p := range stale {
		if err := os.Remove(p); err != nil {
			return fmt.Errorf("removing stale %s: %w", p, err)
		}
	}
	if err := removeEmptyDirs(dir); err != nil {
		return err
	}

	paths := make([]string, 0, len(files))
	for p := range files {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		full := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			return fmt.Errorf("creating directory for %s: %w", p, err)
		}
		if err := os.WriteFile(full, files[p], 0o644); err != nil {
			return fmt.Errorf("writing %s: %w", p, err)
		}
	}
	return nil
}

// checkOurs refuses a non-empty directory that samplegen did not write.
func checkOurs(dir string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("reading output directory %s: %w", dir, err)
	}
	if len(entries) == 0 {
		return nil
	}
	f, err := os.Open(filepath.Join(dir, "README.md"))
	if err == nil {
		defer f.Close()
		sc := bufio.NewScanner(f)
		if sc.Scan() && sc.Text() == readmeTitle {
			return nil
		}
	}
	return fmt.Errorf("refusing to write into %s: it is not empty and its README.md does not start with %q", dir, readmeTitle)
}

func removeEmptyDirs(root string) error {
	var dirs []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if errors.Is(err, fs.ErrNotExist) && p == root {
			return filepath.SkipDir
		}
		if err != nil {
			return err
		}
		if d.IsDir() && p != root {
			dirs = append(dirs, p)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("listing %s: %w", root, err)
	}
	// Deepest first, so a parent empties before it is looked at.
	sort.Slice(dirs, func(i, j int) bool {
		return strings.Count(dirs[i], string(filepath.Separator)) > strings.Count(dirs[j], string(filepath.Separator))
	})
	for _, d := range dirs {
		entries, err := os.ReadDir(d)
		if err != nil {
			return fmt.Errorf("reading %s: %w", d, err)
		}
		if len(entries) == 0 {
			if err := os.Remove(d); err != nil {
				return fmt.Errorf("removing empty %s: %w", d, err)
			}
		}
	}
	return nil
}
