package versoritest

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"time"
)

// Fault describes how the fake fails a request queued with FailNext.
type Fault struct {
	Status     int           // status to answer with (500 if zero and not Drop)
	RetryAfter string        // Retry-After header value to send, if non-empty
	Body       string        // raw body to send; default: an Error-shaped JSON for Status
	Delay      time.Duration // wait before answering (stop early if the request ctx ends)
	Drop       bool          // hijack and close the connection without any response
	// Pass, with Delay, makes a slow success instead of a failure: after the delay the
	// request is handled normally. Status, RetryAfter and Body are then ignored.
	Pass bool
	// AfterHandling handles the request first, as if there were no fault, and then answers
	// with the fault instead of the request's own answer: a write that was processed but
	// whose answer was lost (Drop) or replaced by an error (Status), as a proxy or a
	// crashing server may do. Its effects stay, so a test can check that the code under
	// test looks before it creates again. Pass is ignored.
	AfterHandling bool
}

type queuedFault struct {
	fault Fault
	left  int
}

// FailNext makes the next n requests matched to operationID fail with fault. A
// Fault.Status must be 0 (500) or a final status, 200 to 599. Faults are
// applied after routing and before authentication, so they hit unauthenticated requests
// too. Calls queue up: FailNext(op, 1, a) then FailNext(op, 2, b) fails once with a, then
// twice with b. n <= 0 does nothing.
//
// An operationID the fake does not serve, or an invalid Status, is a mistake in the test:
// FailNext then fails the test of New(t), saying why (listing the valid names), and queues
// nothing; on a Fake made otherwise it panics with that message.
func (f *Fake) FailNext(operationID string, n int, fault Fault) {
	var msg string
	switch {
	case !slices.Contains(f.operationIDs(), operationID):
		msg = fmt.Sprintf("versoritest: FailNext(%q): the fake serves no such operation; valid operation IDs: %s",
			operationID, strings.Join(f.operationIDs(), ", "))
	case fault.Status != 0 && (fault.Status < 200 || fault.Status > 599):
		// net/http panics writing a status outside 100-999, and a 1xx is no
		// answer: the fault would drop the connection instead of failing.
		msg = fmt.Sprintf("versoritest: FailNext(%q): Fault.Status %d is not a final HTTP status (200-599, or 0 for 500)", operationID, fault.Status)
	}
	if msg != "" {
		if f.tb != nil {
			f.tb.Helper()
			f.tb.Errorf("%s", msg)
			return
		}
		panic(msg)
	}
	if n <= 0 {
		return
	}
	f.logMu.Lock()
	defer f.logMu.Unlock()
	f.faults[operationID] = append(f.faults[operationID], &queuedFault{fault: fault, left: n})
}

func (f *Fake) takeFault(op string) (Fault, bool) {
	f.logMu.Lock()
	defer f.logMu.Unlock()
	q := f.faults[op]
	if len(q) == 0 {
		return Fault{}, false
	}
	fault := q[0].fault
	q[0].left--
	if q[0].left == 0 {
		q = q[1:]
	}
	if len(q) == 0 {
		delete(f.faults, op)
	} else {
		f.faults[op] = q
	}
	return fault, true
}

// applyFault serves fault and reports whether the request is finished; false means a Pass
// fault has delayed it and it should now be handled normally.
func (f *Fake) applyFault(w http.ResponseWriter, r *http.Request, fault Fault) bool {
	if fault.Delay > 0 {
		t := time.NewTimer(fault.Delay)
		defer t.Stop()
		select {
		case <-t.C:
		case <-r.Context().Done():
			return true // the client has gone; nothing to answer
		}
	}
	if fault.Drop {
		drop(w)
		return true
	}
	if fault.Pass {
		return false
	}
	status := fault.Status
	if status == 0 {
		status = http.StatusInternalServerError
	}
	if fault.RetryAfter != "" {
		w.Header().Set("Retry-After", fault.RetryAfter)
	}
	body := []byte(fault.Body)
	if fault.Body == "" {
		body, _ = json.Marshal(newError(status, "injected fault: %s", http.StatusText(status)))
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(body)
	return true
}

// discarded is a ResponseWriter that keeps nothing: the answer a request handled before
// an AfterHandling fault would have had.
type discarded struct{ header http.Header }

func (d *discarded) Header() http.Header         { return d.header }
func (d *discarded) Write(b []byte) (int, error) { return len(b), nil }
func (d *discarded) WriteHeader(int)             {}

// drop closes the connection without writing a byte, like a server crash or a reset.
func drop(w http.ResponseWriter) {
	if hj, ok := w.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			_ = conn.Close()
			return
		}
	}
	// Not hijackable (HTTP/2, a recorder): ErrAbortHandler makes net/http abort the
	// response without logging a stack trace.
	panic(http.ErrAbortHandler)
}

// ResetFaults drops every fault queued with FailNext that no request has used yet: for a
// test that queues more than it needs on purpose (an outage of unknown length, say), since
// a server made by New reports unused faults when its test ends.
func (f *Fake) ResetFaults() {
	f.logMu.Lock()
	defer f.logMu.Unlock()
	clear(f.faults)
}

// unusedFaults returns how many queued faults each operation has left.
func (f *Fake) unusedFaults() map[string]int {
	f.logMu.Lock()
	defer f.logMu.Unlock()
	left := map[string]int{}
	for op, q := range f.faults {
		for _, qf := range q {
			left[op] += qf.left
		}
	}
	return left
}

// operationIDs returns the operation IDs the fake routes, sorted.
func (f *Fake) operationIDs() []string {
	ids := slices.Collect(maps.Values(f.ops))
	slices.Sort(ids)
	return slices.Compact(ids)
}
