package sweep

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/logdiff/logdiff/logdiff/regressions"
)

// RecordsFile writes a sweep's records, one JSON object a line, each line
// written whole and synced as its job is done. Finish adds the marker
// FILE.done that says the file is complete; merging refuses a file
// without one.
//
// The records go to a file, or to a directory that shards share: shard I
// of N writes DIR/shard-I-of-N.jsonl.
type RecordsFile struct {
	name  string
	shard Shard
	mu    sync.Mutex
	f     *os.File
	n     int
}

// marker is the content of a records file's .done marker.
type marker struct {
	Shard    string    `json:"shard"`
	Records  int       `json:"records"`
	Finished time.Time `json:"finished"`
}

// IsDir reports whether a records destination names a directory: it ends
// in a slash or is an existing directory.
func IsDir(dest string) bool {
	if strings.HasSuffix(dest, "/") || strings.HasSuffix(dest, string(filepath.Separator)) {
		return true
	}
	fi, err := os.Stat(dest)
	return err == nil && fi.IsDir()
}

// CreateRecords starts the records of shard s at dest (a file, or a
// directory: see IsDir), replacing those of an earlier run of the same
// shard. A shard of more than one needs a directory.
func CreateRecords(dest string, s Shard) (*RecordsFile, error) {
	name := dest
	if IsDir(dest) {
		if err := os.MkdirAll(dest, 0o755); err != nil {
			return nil, fmt.Errorf("creating the records directory: %w", err)
		}
		name = filepath.Join(dest, "shard-"+s.fileName()+".jsonl")
	} else if s.Count > 1 {
		return nil, fmt.Errorf("records %s: shard %s needs a directory that all shards write to (end the path with /)", dest, s)
	} else if err := os.MkdirAll(filepath.Dir(dest), 0o755); err != nil {
		return nil, fmt.Errorf("creating the records file: %w", err)
	}
	f, err := openAppend(name)
	if err != nil {
		return nil, fmt.Errorf("creating the records: %w", err)
	}
	// The file is about to change: the old marker no longer tells the
	// truth, so it goes first.
	if err := os.Remove(name + ".done"); err != nil && !errors.Is(err, os.ErrNotExist) {
		f.Close()
		return nil, fmt.Errorf("creating the records: %w", err)
	}
	if err := f.Truncate(0); err != nil {
		f.Close()
		return nil, fmt.Errorf("creating the records %s: %w", name, err)
	}
	return &RecordsFile{name: name, shard: s, f: f}, nil
}

// Name is the records file's path.
func (w *RecordsFile) Name() string { return w.name }

// Write appends a record.
func (w *RecordsFile) Write(r *regressions.Record) error {
	line, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("writing the record of %s: %w", r.Job, err)
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if err := appendLine(w.f, line); err != nil {
		return fmt.Errorf("writing the record of %s to %s: %w", r.Job, w.name, err)
	}
	w.n++
	return nil
}

// Finish closes the file and writes its .done marker.
func (w *RecordsFile) Finish(now time.Time) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if err := w.f.Close(); err != nil {
		return fmt.Errorf("closing %s: %w", w.name, err)
	}
	data, _ := json.Marshal(marker{Shard: w.shard.String(), Records: w.n, Finished: now.UTC()})
	if err := writeAtomic(w.name+".done", append(data, '\n')); err != nil {
		return fmt.Errorf("marking %s complete: %w", w.name, err)
	}
	return nil
}

// Close closes the file without marking it complete (a sweep that
// stopped early).
func (w *RecordsFile) Close() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.f.Close()
}

// ReadRecords reads the records of complete sweeps: each path is a
// records file or a directory of shards' files. A directory must hold
// every shard of one count (shard-0-of-N to shard-N-1-of-N), each marked
// complete; a file must be marked complete. A job recorded twice is an
// error. The records come sorted by job.
func ReadRecords(paths []string) ([]regressions.Record, error) {
	var files []string
	for _, p := range paths {
		fi, err := os.Stat(p)
		if err != nil {
			return nil, fmt.Errorf("reading records: %w", err)
		}
		if !fi.IsDir() {
			files = append(files, p)
			continue
		}
		fs, err := shardFiles(p)
		if err != nil {
			return nil, err
		}
		files = append(files, fs...)
	}
	var out []regressions.Record
	from := map[string]string{}
	for _, name := range files {
		m, err := readMarker(name)
		if err != nil {
			return nil, err
		}
		n := 0
		err = readLines(name, func(line int, b []byte) error {
			var r regressions.Record
			if err := json.Unmarshal(b, &r); err != nil {
				return fmt.Errorf("%s:%d: %w", name, line, err)
			}
			if r.Job == "" {
				return fmt.Errorf("%s:%d: a record without a job", name, line)
			}
			if other, ok := from[r.Job]; ok {
				return fmt.Errorf("job %s is recorded both in %s and in %s: merge the records of one sweep", r.Job, other, name)
			}
			from[r.Job] = name
			out = append(out, r)
			n++
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("reading records: %w", err)
		}
		if n != m.Records {
			return nil, fmt.Errorf("reading records: %s holds %d records, its marker says %d: the file was changed after its sweep finished", name, n, m.Records)
		}
	}
	slices.SortFunc(out, func(a, b regressions.Record) int { return strings.Compare(a.Job, b.Job) })
	return out, nil
}

// Pending lists the shards of count whose records in dir are not marked
// complete yet, as "I/N".
func Pending(dir string, count int) []string {
	var out []string
	for i := range count {
		s := Shard{i, count}
		name := filepath.Join(dir, "shard-"+s.fileName()+".jsonl")
		_, err1 := os.Stat(name)
		_, err2 := os.Stat(name + ".done")
		if err1 != nil || err2 != nil {
			out = append(out, s.String())
		}
	}
	return out
}

func readMarker(name string) (marker, error) {
	data, err := readSmall(name+".done", 4096)
	if errors.Is(err, os.ErrNotExist) {
		return marker{}, fmt.Errorf("reading records: %s is not marked complete (no %s.done): its sweep has not finished, or was stopped; run it again", name, filepath.Base(name))
	}
	if err != nil {
		return marker{}, fmt.Errorf("reading records: %w", err)
	}
	var m marker
	if err := json.Unmarshal(data, &m); err != nil {
		return marker{}, fmt.Errorf("reading records: %s.done: %w", name, err)
	}
	return m, nil
}

// shardFiles lists a directory's shard files and checks that they are all
// the shards of one count.
func shardFiles(dir string) ([]string, error) {
	names, err := filepath.Glob(filepath.Join(dir, "shard-*.jsonl"))
	if err != nil {
		return nil, fmt.Errorf("reading records in %s: %w", dir, err)
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("reading records: %s holds no shard-I-of-N.jsonl files", dir)
	}
	counts := map[int][]int{}
	for _, n := range names {
		i, c, ok := shardOf(n)
		if !ok {
			return nil, fmt.Errorf("reading records: %s: not a name a shard writes (shard-I-of-N.jsonl)", n)
		}
		counts[c] = append(counts[c], i)
	}
	if len(counts) > 1 {
		var cs []string
		for c := range counts {
			cs = append(cs, fmt.Sprint(c))
		}
		slices.Sort(cs)
		return nil, fmt.Errorf("reading records: %s holds the records of sweeps split %s ways: give each sweep its own directory", dir, strings.Join(cs, " and "))
	}
	for c, idx := range counts {
		slices.Sort(idx)
		var missing []string
		for i := range c {
			if _, ok := slices.BinarySearch(idx, i); !ok {
				missing = append(missing, Shard{i, c}.String())
			}
		}
		if len(missing) > 0 {
			return nil, fmt.Errorf("reading records: %s lacks shard %s: run it, then merge", dir, strings.Join(missing, ", "))
		}
	}
	slices.Sort(names)
	return names, nil
}

// SplitOf is how many ways the sweep whose shard files dir holds was
// split (the N of shard-I-of-N.jsonl), or 0 when it holds none or those of
// several splits: a merge that waits for another count is told so.
func SplitOf(dir string) int {
	names, _ := filepath.Glob(filepath.Join(dir, "shard-*.jsonl"))
	split := 0
	for _, n := range names {
		_, c, ok := shardOf(n)
		if !ok {
			continue
		}
		if split != 0 && c != split {
			return 0
		}
		split = c
	}
	return split
}

// shardOf reads the shard a records file holds from its name,
// shard-I-of-N.jsonl; ok is false for any other name.
func shardOf(name string) (i, count int, ok bool) {
	if _, err := fmt.Sscanf(filepath.Base(name), "shard-%d-of-%d.jsonl", &i, &count); err != nil || count < 1 || i < 0 || i >= count {
		return 0, 0, false
	}
	return i, count, true
}
