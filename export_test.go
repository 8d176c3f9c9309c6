package versori

// What the external tests (package versori_test) read of the internal
// suites: TestReliabilityDocInSync renders RELIABILITY.md from the fault
// matrix's own case list and from TestHugeBodyMemoryBounded's bounds.

// FaultCell is one cell of the fault matrix.
type FaultCell struct {
	Attempts int    // attempts the SDK makes when every attempt is faulted
	Outcome  string // the error (or "ok") the caller gets, as the table names it
}

// FaultRow is one fault of the matrix, with its cells in FaultMethods order.
type FaultRow struct {
	Group, Name string
	// AlwaysOnly: run with every attempt faulted only; the other rows also
	// run with only the first attempt faulted.
	AlwaysOnly bool
	// Server is what serves the fault.
	Server string
	Cells  []FaultCell
}

// The servers of the fault matrix.
const (
	FaultServerHTTP1   = "httptest.NewServer (HTTP/1.1)"
	FaultServerRefused = "a loopback port nothing listens on"
	FaultServerHang    = "a TCP listener that accepts and never reads nor answers"
)

// FaultMethods are the matrix's columns: each HTTP method and the SDK call
// that makes it.
func FaultMethods() (methods, calls []string) {
	for _, m := range faultMethods {
		methods, calls = append(methods, m.method), append(calls, m.name)
	}
	return methods, calls
}

// FaultMatrix returns the fault matrix's rows, in faultCases order.
func FaultMatrix() []FaultRow {
	var rows []FaultRow
	for _, fc := range faultCases() {
		r := FaultRow{Group: fc.group, Name: fc.name, AlwaysOnly: fc.alwaysOnly || fc.refused || fc.hang, Server: FaultServerHTTP1}
		switch {
		case fc.refused:
			r.Server = FaultServerRefused
		case fc.hang:
			r.Server = FaultServerHang
		}
		for i := range faultMethods {
			r.Cells = append(r.Cells, FaultCell{fc.want[i].attempts, fc.want[i].err.label})
		}
		rows = append(rows, r)
	}
	return rows
}

// FaultPolicyRetries is the fault matrix's MaxRetries.
var FaultPolicyRetries = faultPolicy.MaxRetries

// HugeBodyBound is one case of TestHugeBodyMemoryBounded: a limit and the
// most one call against a HugeBodySize body may allocate.
type HugeBodyBound struct {
	Limit    int64
	MaxAlloc uint64
}

// HugeBodySize is the body TestHugeBodyMemoryBounded serves.
const HugeBodySize = hugeBodySize

// HugeBodyBounds returns TestHugeBodyMemoryBounded's cases.
func HugeBodyBounds() []HugeBodyBound {
	var out []HugeBodyBound
	for _, c := range hugeBodyCases {
		limit := c.limit
		if limit == 0 {
			limit = DefaultMaxResponseBytes
		}
		out = append(out, HugeBodyBound{limit, c.maxAlloc})
	}
	return out
}

// MaxErrorBody and MaxDrain bound what is read of an error answer, and
// drained of an unread body.
const (
	MaxErrorBody = maxErrorBody
	MaxDrain     = maxDrain
)
