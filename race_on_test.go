//go:build race

package versori

// raceEnabled reports whether the tests run under the race detector, which
// makes scanning large bodies too slow for the default-limit memory test.
const raceEnabled = true
