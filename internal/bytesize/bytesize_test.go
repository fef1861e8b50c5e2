package bytesize

import "testing"

func TestFormat(t *testing.T) {
	for _, tt := range []struct {
		n    int64
		want string
	}{
		{0, "0 B"},
		{50, "50 B"},
		{1023, "1023 B"},
		{1024, "1 KiB"},
		{1536, "1.5 KiB"},
		{2000, "2.0 KiB"}, // rounded
		{16 << 10, "16 KiB"},
		{1<<20 + 1, "1.0 MiB"},
		{3 << 29, "1.5 GiB"},
		{2 << 30, "2 GiB"},
		{8 << 30, "8 GiB"},
		{5 << 40, "5 TiB"},
		{3000 << 40, "3000 TiB"}, // no unit past TiB
	} {
		if got := Format(tt.n); got != tt.want {
			t.Errorf("Format(%d) = %q, want %q", tt.n, got, tt.want)
		}
	}
}
