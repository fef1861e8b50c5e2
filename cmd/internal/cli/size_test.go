package cli

import "testing"

func TestByteSize(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want int64
		str  string
	}{
		{"0", 0, "0"},
		{"1000", 1000, "1000"},
		{"1024", 1024, "1KiB"},
		{"8GiB", 8 << 30, "8GiB"},
		{"8G", 8 << 30, "8GiB"},
		{"8gib", 8 << 30, "8GiB"},
		{"500MiB", 500 << 20, "500MiB"},
		{"500 MB", 500e6, "500000000"},
		{"2KB", 2000, "2000"},
		{"3k", 3 << 10, "3KiB"},
		{"1TiB", 1 << 40, "1TiB"},
		{"12B", 12, "12"},
	} {
		t.Run(tt.in, func(t *testing.T) {
			var s byteSize
			if err := s.Set(tt.in); err != nil {
				t.Fatal(err)
			}
			if int64(s) != tt.want || s.String() != tt.str {
				t.Errorf("Set(%q) = %d (%s), want %d (%s)", tt.in, s, s.String(), tt.want, tt.str)
			}
		})
	}
	for _, bad := range []string{"", "GiB", "-1", "1.5GiB", "8XB", "9999999TiB", "0x10"} {
		t.Run("bad "+bad, func(t *testing.T) {
			var s byteSize
			if err := s.Set(bad); err == nil {
				t.Errorf("Set(%q) = %d, want an error", bad, s)
			}
		})
	}
}
