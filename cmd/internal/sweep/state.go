package sweep

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"

	"github.com/logdiff/logdiff/logdiff/regressions"
)

// State is what sweeps keep between runs in a directory:
//
//	analyses-I-of-N.jsonl  the comparisons made, one JSON record a line,
//	                       appended by shard I of N as each is made
//	reported.json          the regressions of the last summary written
//
// A sweep reads the analyses of every shard, whatever their count, so a
// transition compared once is not compared again, and a killed sweep
// started again redoes only what it had not finished. Each shard appends
// to its own file only, under a lock, one whole line per write, synced
// before the next job is counted done.
type State struct {
	dir string

	mu       sync.Mutex
	analyses map[string]regressions.Record // by transition
	f        *os.File                      // this shard's analyses, opened for appending

	// Warnings are damaged lines that were skipped on loading: a skipped
	// comparison is made again, nothing worse.
	Warnings []string
}

const (
	reportedFile   = "reported.json"
	maxRecordBytes = 32 << 20 // one line of a records or analyses file
)

// OpenState loads the state in dir (created if missing) and opens the
// analyses file of shard s for appending. Only one process may append to a
// shard's file at a time: a second one gets an error.
func OpenState(dir string, s Shard) (*State, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("opening the sweep state: %w", err)
	}
	st := &State{dir: dir, analyses: map[string]regressions.Record{}}
	names, err := filepath.Glob(filepath.Join(dir, "analyses-*.jsonl"))
	if err != nil {
		return nil, fmt.Errorf("opening the sweep state in %s: %w", dir, err)
	}
	own := filepath.Join(dir, "analyses-"+s.fileName()+".jsonl")
	f, err := openAppend(own)
	if err != nil {
		return nil, fmt.Errorf("opening the sweep state: %w", err)
	}
	st.f = f
	for _, name := range names {
		err := readLines(name, func(n int, line []byte) error {
			var r regressions.Record
			if err := json.Unmarshal(line, &r); err != nil || r.Job == "" || r.Failing == nil {
				st.Warnings = append(st.Warnings, fmt.Sprintf("%s:%d: not a record, skipped (its job will be compared again)", name, n))
				return nil
			}
			if old, ok := st.analyses[stateKey(r.Transition(), r.Filter)]; !ok || r.Analysed.After(old.Analysed) {
				st.analyses[stateKey(r.Transition(), r.Filter)] = r
			}
			return nil
		})
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("reading the sweep state: %w", err)
		}
	}
	return st, nil
}

// openAppend opens name for appending (O_APPEND: every write goes to the
// end, whatever was truncated) under an exclusive lock, first
// cutting a last line that a killed writer left without its newline: the
// next line appended would otherwise join it.
func openAppend(name string) (*os.File, error) {
	f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return nil, err
	}
	if err := lockFile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("%s is in use by another sweep: %w", name, err)
	}
	if err := cutTornLine(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return f, nil
}

// cutTornLine truncates f after its last newline.
func cutTornLine(f *os.File) error {
	fi, err := f.Stat()
	if err != nil || fi.Size() == 0 {
		return err
	}
	size := fi.Size()
	buf := make([]byte, 64<<10)
	for end := size; end > 0; {
		start := max(0, end-int64(len(buf)))
		n, err := f.ReadAt(buf[:end-start], start)
		if err != nil && !errors.Is(err, io.EOF) {
			return err
		}
		if i := bytes.LastIndexByte(buf[:n], '\n'); i >= 0 {
			keep := start + int64(i) + 1
			if keep == size {
				return nil
			}
			return f.Truncate(keep)
		}
		end = start
	}
	return f.Truncate(0)
}

// readLines calls fn with each non-empty line of the file; a last line
// without its newline (a torn write) is left out.
func readLines(name string, fn func(n int, line []byte) error) error {
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	br := bufio.NewReaderSize(f, 64<<10)
	for n := 1; ; n++ {
		line, err := readLine(br)
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%s:%d: %w", name, n, err)
		}
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		if err := fn(n, line); err != nil {
			return err
		}
	}
}

var errLongLine = fmt.Errorf("line longer than %d bytes", maxRecordBytes)

// readLine reads one whole line (without its newline), io.EOF at the end
// or for a last line without a newline.
func readLine(br *bufio.Reader) ([]byte, error) {
	var line []byte
	for {
		chunk, err := br.ReadSlice('\n')
		line = append(line, chunk...)
		if len(line) > maxRecordBytes {
			return nil, errLongLine
		}
		switch {
		case err == nil:
			return line[:len(line)-1], nil
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case errors.Is(err, io.EOF):
			return nil, io.EOF
		default:
			return nil, err
		}
	}
}

// stateKey is a comparison's key in the state: its transition and the
// filter its findings were kept by, so that sweeps with different --kind
// or --min-score share a state without taking each other's findings.
func stateKey(transition, filter string) string {
	return transition + "\x00" + filter
}

// lookup returns the comparison made earlier of a transition with the
// same filter ("" for none).
func (st *State) lookup(transition, filter string) (regressions.Record, bool) {
	st.mu.Lock()
	defer st.mu.Unlock()
	r, ok := st.analyses[stateKey(transition, filter)]
	return r, ok
}

// Len is the number of comparisons the state holds.
func (st *State) Len() int {
	st.mu.Lock()
	defer st.mu.Unlock()
	return len(st.analyses)
}

// add appends a new comparison and syncs it to disk.
func (st *State) add(r *regressions.Record) error {
	line, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("keeping the comparison of %s: %w", r.Job, err)
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	if err := appendLine(st.f, line); err != nil {
		return fmt.Errorf("keeping the comparison of %s in the sweep state: %w", r.Job, err)
	}
	st.analyses[stateKey(r.Transition(), r.Filter)] = *r
	return nil
}

// appendLine writes line and a newline in one write, then syncs.
func appendLine(f *os.File, line []byte) error {
	buf := make([]byte, 0, len(line)+1)
	buf = append(append(buf, line...), '\n')
	if _, err := f.Write(buf); err != nil {
		return err
	}
	return f.Sync()
}

// Close releases the state's file and its lock.
func (st *State) Close() error {
	return st.f.Close()
}

// ReadReported reads dir/reported.json; a missing file is an empty
// Reported (every regression is new).
func ReadReported(dir string) (*regressions.Reported, error) {
	name := filepath.Join(dir, reportedFile)
	data, err := readSmall(name, maxRecordBytes)
	if errors.Is(err, os.ErrNotExist) {
		return &regressions.Reported{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading the sweep state: %w", err)
	}
	var r regressions.Reported
	if err := json.Unmarshal(data, &r); err != nil {
		return nil, fmt.Errorf("reading the sweep state: %s: %w", name, err)
	}
	return &r, nil
}

// WriteReported replaces dir/reported.json with the regressions of s,
// atomically: a reader sees the old file or the new one. The previous
// summary's regressions of jobs that s could not read are kept, so that
// a job unreadable for a night is not new again the night after.
func WriteReported(dir string, s *regressions.Summary, prev *regressions.Reported) error {
	r := regressions.ReportedOf(s, prev)
	data, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("writing the sweep state: %w", err)
	}
	if err := writeAtomic(filepath.Join(dir, reportedFile), append(data, '\n')); err != nil {
		return fmt.Errorf("writing the sweep state: %w", err)
	}
	return nil
}

// writeAtomic writes a file through a synced temporary file renamed into
// place, then syncs the directory so that the rename survives a crash.
func writeAtomic(name string, data []byte) error {
	dir := filepath.Dir(name)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(name)+".tmp-")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // after a successful rename, nothing to remove
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), name); err != nil {
		return err
	}
	if d, err := os.Open(dir); err == nil {
		d.Sync() // best effort: not every file system syncs directories
		d.Close()
	}
	return nil
}

// readSmall reads a whole file of at most limit bytes.
func readSmall(name string, limit int64) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("%s: larger than %d bytes", name, limit)
	}
	return data, nil
}
