package sweep_test

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/logdiff/logdiff/cmd/internal/sweep"
	"github.com/logdiff/logdiff/logdiff"
	"github.com/logdiff/logdiff/logdiff/regressions"
)

// writeShard writes records of jobs as shard s into dest.
func writeShard(t *testing.T, dest string, s sweep.Shard, finish bool, jobs ...string) string {
	t.Helper()
	w, err := sweep.CreateRecords(dest, s)
	if err != nil {
		t.Fatal(err)
	}
	for _, j := range jobs {
		r := regressed(j, "k-"+j)
		if err := w.Write(&r); err != nil {
			t.Fatal(err)
		}
	}
	if finish {
		if err := w.Finish(testNow); err != nil {
			t.Fatal(err)
		}
	} else {
		w.Close()
	}
	return w.Name()
}

func TestReadRecords(t *testing.T) {
	t.Run("all shards", func(t *testing.T) {
		dir := t.TempDir() + "/"
		writeShard(t, dir, sweep.Shard{Index: 1, Count: 2}, true, "c", "a")
		writeShard(t, dir, sweep.Shard{Index: 0, Count: 2}, true, "b")
		rs, err := sweep.ReadRecords([]string{dir})
		if err != nil {
			t.Fatal(err)
		}
		var jobs []string
		for _, r := range rs {
			jobs = append(jobs, r.Job)
		}
		if strings.Join(jobs, " ") != "a b c" {
			t.Errorf("jobs %v, want a b c sorted", jobs)
		}
	})
	t.Run("a run again replaces its shard", func(t *testing.T) {
		dir := t.TempDir() + "/"
		writeShard(t, dir, sweep.Whole, true, "a", "b")
		writeShard(t, dir, sweep.Whole, true, "a")
		rs, err := sweep.ReadRecords([]string{dir})
		if err != nil || len(rs) != 1 {
			t.Errorf("%d records, %v; want 1", len(rs), err)
		}
	})
	errs := []struct {
		name  string
		setup func(t *testing.T, dir string) []string
		want  string
	}{
		{"a shard missing", func(t *testing.T, dir string) []string {
			writeShard(t, dir, sweep.Shard{Index: 0, Count: 3}, true, "a")
			writeShard(t, dir, sweep.Shard{Index: 2, Count: 3}, true, "b")
			return []string{dir}
		}, "lacks shard 1/3"},
		{"a shard unfinished", func(t *testing.T, dir string) []string {
			writeShard(t, dir, sweep.Shard{Index: 0, Count: 2}, true, "a")
			writeShard(t, dir, sweep.Shard{Index: 1, Count: 2}, false, "b")
			return []string{dir}
		}, "1-of-2.jsonl is not marked complete"},
		{"two splits in one directory", func(t *testing.T, dir string) []string {
			writeShard(t, dir, sweep.Whole, true, "a")
			writeShard(t, dir, sweep.Shard{Index: 0, Count: 2}, true, "b")
			writeShard(t, dir, sweep.Shard{Index: 1, Count: 2}, true, "c")
			return []string{dir}
		}, "split 1 and 2 ways"},
		{"a job twice", func(t *testing.T, dir string) []string {
			writeShard(t, dir+"x/", sweep.Whole, true, "a")
			writeShard(t, dir+"y/", sweep.Whole, true, "a")
			return []string{dir + "x", dir + "y"}
		}, "job a is recorded both in"},
		{"a file changed after", func(t *testing.T, dir string) []string {
			name := writeShard(t, dir, sweep.Whole, true, "a")
			f, _ := os.OpenFile(name, os.O_APPEND|os.O_WRONLY, 0)
			r := regressed("z", "k")
			b, _ := json.Marshal(r)
			f.Write(append(b, '\n'))
			f.Close()
			return []string{dir}
		}, "holds 2 records, its marker says 1"},
		{"a file without its marker", func(t *testing.T, dir string) []string {
			return []string{writeShard(t, filepath.Join(dir, "r.jsonl"), sweep.Whole, false, "a")}
		}, "r.jsonl is not marked complete"},
		{"not JSON", func(t *testing.T, dir string) []string {
			name := writeShard(t, dir, sweep.Whole, true, "a")
			os.WriteFile(name, []byte("{oops\n"), 0o644)
			return []string{dir}
		}, "0-of-1.jsonl:1:"},
		{"no shard files", func(t *testing.T, dir string) []string { return []string{dir} }, "holds no shard-I-of-N.jsonl"},
	}
	for _, tt := range errs {
		t.Run(tt.name, func(t *testing.T) {
			paths := tt.setup(t, t.TempDir()+"/")
			_, err := sweep.ReadRecords(paths)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want %q", err, tt.want)
			}
		})
	}
	if _, err := sweep.CreateRecords(filepath.Join(t.TempDir(), "r.jsonl"), sweep.Shard{Index: 0, Count: 2}); err == nil || !strings.Contains(err.Error(), "needs a directory") {
		t.Errorf("a shard into a file: %v", err)
	}
}

// lines returns the lines of a file.
func lines(t *testing.T, name string) []string {
	t.Helper()
	f, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 64<<20)
	for sc.Scan() {
		out = append(out, sc.Text())
	}
	return out
}

// TestStateDamage: a line a killed writer tore is cut before the next is
// appended; a damaged line is skipped with a warning; a second writer of
// the same shard is refused.
func TestStateDamage(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "analyses-0-of-1.jsonl")
	good := regressed("a", "k")
	b, _ := json.Marshal(good)
	other := filepath.Join(dir, "analyses-1-of-2.jsonl")
	os.WriteFile(other, []byte("{damaged\n"+string(b)+"\n"), 0o644)
	os.WriteFile(name, append(append(b, '\n'), b[:len(b)/2]...), 0o644) // torn
	st, err := sweep.OpenState(dir, sweep.Whole)
	if err != nil {
		t.Fatal(err)
	}
	if st.Len() != 1 {
		t.Errorf("state holds %d comparisons, want 1", st.Len())
	}
	if len(st.Warnings) != 1 || !strings.Contains(st.Warnings[0], "analyses-1-of-2.jsonl:1") {
		t.Errorf("warnings %q, want one naming the damaged line", st.Warnings)
	}
	if _, err := sweep.OpenState(dir, sweep.Whole); err == nil || !strings.Contains(err.Error(), "in use by another sweep") {
		t.Errorf("second writer: %v", err)
	}
	if got := lines(t, name); len(got) != 1 {
		t.Errorf("after opening: %d lines, want the torn one cut", len(got))
	}
	st.Close()
}

// regressed is a regressed record of job whose one finding has key.
func regressed(job, key string) regressions.Record {
	return regressions.Record{Version: 1, Job: job, Status: regressions.Regressed,
		Failing:  &regressions.Run{Build: "100", Result: "FAILURE"},
		Findings: []logdiff.Finding{{Rank: 1, Kind: logdiff.New, Key: key, Summary: key}}}
}

// TestReportedFile: what a summary reported survives the state file, and
// a damaged file is an error that names it. (What counts as new is
// regressions.ReportedOf's, tested there.)
func TestReportedFile(t *testing.T) {
	dir := t.TempDir()
	r, err := sweep.ReadReported(dir)
	if err != nil || len(r.Regressions) != 0 {
		t.Fatalf("no state: %+v, %v", r, err)
	}
	s := regressions.Summarize([]regressions.Record{regressed("a", "k1"), regressed("b", "k1"), regressed("c", "k2")}, 3, nil, testNow)
	if err := sweep.WriteReported(dir, s, r); err != nil {
		t.Fatal(err)
	}
	back, err := sweep.ReadReported(dir)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := json.Marshal(back)
	want, _ := json.Marshal(regressions.ReportedOf(s, r))
	if string(got) != string(want) {
		t.Errorf("read back %s\nwant      %s", got, want)
	}
	os.WriteFile(filepath.Join(dir, "reported.json"), []byte("{"), 0o644)
	if _, err := sweep.ReadReported(dir); err == nil || !strings.Contains(err.Error(), "reported.json") {
		t.Errorf("damaged: %v", err)
	}
}
