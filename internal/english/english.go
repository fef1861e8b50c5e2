// Package english holds the few words of English that logdiff's messages
// build from numbers.
package english

import "strconv"

// Ordinal is "1st", "2nd", "3rd", "4th", ..., "11th", "12th", "21st".
func Ordinal(n int) string {
	suffix := "th"
	switch {
	case n%100 >= 11 && n%100 <= 13:
	case n%10 == 1:
		suffix = "st"
	case n%10 == 2:
		suffix = "nd"
	case n%10 == 3:
		suffix = "rd"
	}
	return strconv.Itoa(n) + suffix
}
