// Package perf holds what the benchmarks and cmd/loadgen share to measure the dashboard
// against the demo Moodle's latency model: a recorder of the requests the model answered,
// the model's own lower bound for a course load, percentiles, and the peak memory of a
// process.
package perf
