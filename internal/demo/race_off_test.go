//go:build !race

package demo

// raceEnabled: the race detector slows everything down 10–50×, so timing
// bounds are loosened under -race.
const raceEnabled = false
