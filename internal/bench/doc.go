// Package bench compares the versori-go SDK with two peers doing the same
// calls against the same local server in the same run:
//
//   - raw: net/http and encoding/json with hand-written structs;
//   - gen: the client oapi-codegen v2.8.2 generates from Versori's own spec
//     (embeddedgen for the Embedded API v1, platformgen for the Platform
//     API; see generate.sh), with http.DefaultClient and a request editor
//     adding the SDK's headers;
//   - sdk: the SDK with its defaults.
//
// It is a test-only module, nested so that users who get the SDK never
// download its dependencies. The benchmarks are in the _test.go files:
//
//	embedded_test.go  Benchmark<Row>/<raw|gen|sdk>, the Embedded API v1 rows
//	platform_test.go  BenchmarkPlatform<Row>/<raw|gen|sdk>, the Platform rows
//	iterate_test.go   BenchmarkIterate100kUsers/<raw|gen|sdk>, heap while paging
//	sides_test.go     TestSidesDoTheSameWork: all sides send and decode alike
//
// A row is one Benchmark function with one httptest server and the three
// sides as sub-benchmarks named raw, gen and sdk, so .ci/bench can pair them
// by name; BENCH_ORDER (a permutation of raw,gen,sdk) sets the order the sides
// run in. Run them with the repository's .ci/bench, or plainly:
//
//	go test -run '^$' -bench . ./internal/bench
package bench
