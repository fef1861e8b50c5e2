// Package bytesize writes byte counts for people. It is the one formatter
// of sizes in messages (the core's limit errors, the fetcher's pace
// errors), so that a size reads the same wherever it is shown.
package bytesize

import "fmt"

// unit is the largest binary unit n reaches (KiB up to TiB), as a shift
// and a letter; shift 0 for fewer than 1024 bytes.
func unit(n int64) (shift uint, letter byte) {
	for i, s := range []uint{40, 30, 20, 10} {
		if n >= 1<<s {
			return s, "TGMK"[i]
		}
	}
	return 0, 'B'
}

// Format writes n bytes in the largest binary unit it reaches: "50 B",
// "16 KiB", "2 GiB" when the unit divides n, else with one decimal,
// rounded: "1.5 KiB".
func Format(n int64) string {
	shift, letter := unit(n)
	switch {
	case shift == 0:
		return fmt.Sprintf("%d B", n)
	case n%(1<<shift) == 0:
		return fmt.Sprintf("%d %ciB", n>>shift, letter)
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(int64(1)<<shift), letter)
}
