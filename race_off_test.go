//go:build !race

package versori

// raceEnabled reports whether the tests run under the race detector.
const raceEnabled = false
