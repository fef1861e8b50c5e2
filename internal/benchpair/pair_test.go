package benchpair

import (
	"os"
	"path/filepath"
	"testing"
)

func TestShiftClocks(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"taskcluster", "[task 2025-02-14T10:08:10.482Z] 10:08:10     INFO - x", "[task 2025-02-14T11:31:27.482Z] 11:31:27     INFO - x"},
		{"past midnight moves the date", "[taskcluster 2025-02-28 23:40:00.000Z] done", "[taskcluster 2025-03-01 01:03:17.000Z] done"},
		{"a clock alone wraps", "at 23:59:59 it ended", "at 01:23:16 it ended"},
		{"no clock", "version 1.2.3, 4 tests", "version 1.2.3, 4 tests"},
		{"digits around", "12:34:56:78 and 112:34:56", "12:34:56:78 and 112:34:56"},
		{"not a time", "25:61:61", "25:61:61"},
		{"at the ends", "00:00:00", "01:23:17"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := string(ShiftClocks(nil, []byte(tc.in), Shift)); got != tc.want {
				t.Errorf("ShiftClocks(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

// TestMake: the pair of two small logs; the second side has the lines of the
// first but about one in a hundred, its clocks shifted; a second call keeps
// the files.
func TestMake(t *testing.T) {
	src := filepath.Join("..", "..", "..", "shared", "data", "treeherder-logs")
	if _, err := os.Stat(src); err != nil {
		t.Skip("no ../shared/data/treeherder-logs")
	}
	dir := t.TempDir()
	a, b, err := Make(src, dir, 4<<20)
	if err != nil {
		t.Fatal(err)
	}
	sa, _ := os.Stat(a)
	if sa.Size() < 4<<20 || sa.Size() > 5<<20 {
		t.Errorf("a.log has %d bytes, want 4 MiB and the rest of a line", sa.Size())
	}
	la, _ := Lines(a)
	lb, _ := Lines(b)
	if dropped := la - lb; dropped < la/200 || dropped > la/50 {
		t.Errorf("b.log has %d of a.log's %d lines: want about 1%% fewer", lb, la)
	}
	if _, _, err := Make(src, dir, 4<<20); err != nil {
		t.Fatal(err)
	}
	if st, _ := os.Stat(a); !st.ModTime().Equal(sa.ModTime()) {
		t.Error("a second Make wrote the pair again")
	}
}
