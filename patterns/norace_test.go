//go:build !race

package patterns

// raceEnabled says the tests run under the race detector, which
// allocates where a normal build does not.
const raceEnabled = false
