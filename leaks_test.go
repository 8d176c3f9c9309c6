package versori_test

// After the whole hostile suite, nothing is left behind: no goroutine, and
// no connection open on any server once the client has closed its idle ones
// (a connection still open then is one whose response body the SDK did not
// close). The suite's servers are all started before the baseline is taken,
// every scenario is then run once more (with short deadlines: the point is
// what is left, not the counts), and the count must come back down.

import (
	"context"
	"errors"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/versori-go/versori"
)

// leakScenario is a call prepared against its own servers.
type leakScenario struct {
	name    string
	servers []*hostileServer
	client  *hostileClient
	run     func(t *testing.T, ctx context.Context)
}

func leakScenarios(t *testing.T) []leakScenario {
	var scs []leakScenario
	for _, tc := range transportCases() {
		for _, kind := range tc.kinds {
			for _, m := range hostileMethods {
				cell := newTransportCell(t, tc, kind)
				scs = append(scs, leakScenario{"transport/" + tc.name + "/" + string(kind) + "/" + m.method, []*hostileServer{cell.srv}, cell.client,
					func(t *testing.T, _ context.Context) { cell.run(t, m, 200*time.Millisecond) }})
			}
		}
	}
	for _, rt := range redirectTargets {
		for _, status := range []int{302, 307} {
			for _, m := range redirectCalls {
				cell := newRedirectCell(t, rt, status)
				scs = append(scs, leakScenario{"redirect/" + rt.name + "/" + m.method, []*hostileServer{cell.origin, cell.target}, cell.client,
					func(t *testing.T, ctx context.Context) { _ = m.do(ctx, cell.client.Client) }})
			}
		}
	}
	for _, kind := range netHTTPKinds {
		for _, op := range bodyOperations {
			for _, hb := range hostileBodies {
				srv := newBodyServer(t, kind, op.call.status, hb.body(op))
				c := newHostileClient(t, srv)
				scs = append(scs, leakScenario{"body/" + string(kind) + "/" + op.call.op + "/" + hb.name, []*hostileServer{srv}, c,
					func(t *testing.T, ctx context.Context) { _ = op.call.do(ctx, c.Client) }})
			}
		}
		for _, p := range memoryPaths() {
			srv := newMemoryServer(t, kind, p, 2)
			c := newHostileClient(t, srv, versori.WithMaxResponseBytes(1<<20))
			scs = append(scs, leakScenario{"memory/" + string(kind) + "/" + p.name, []*hostileServer{srv}, c,
				func(t *testing.T, ctx context.Context) {
					var wg sync.WaitGroup
					for range 2 {
						wg.Add(1)
						go func() {
							defer wg.Done()
							_ = callGetHub.do(ctx, c.Client)
						}()
					}
					wg.Wait()
				}})
		}
	}
	for _, pl := range paginationLoops {
		srv := newPaginationServer(t, pl)
		c := newHostileClient(t, srv)
		scs = append(scs, leakScenario{"pagination/" + pl.name, []*hostileServer{srv}, c,
			func(t *testing.T, ctx context.Context) {
				n := 0
				for range c.Users.All(ctx, hostileHubID, nil) {
					if n++; n == 50 {
						break
					}
				}
			}})
	}
	return scs
}

// settledGoroutines waits until the goroutine count stops changing and
// returns it.
func settledGoroutines() int {
	n := runtime.NumGoroutine()
	stable := 0
	eventually(2*time.Second, func() bool {
		m := runtime.NumGoroutine()
		if m == n {
			stable++
		} else {
			n, stable = m, 0
		}
		return stable >= 20
	})
	return n
}

func TestHostileSuiteLeavesNothingBehind(t *testing.T) {
	scs := leakScenarios(t)
	baseline := settledGoroutines()
	for _, sc := range scs {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		sc.run(t, ctx)
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			t.Errorf("%s: took more than 10 s", sc.name)
		}
		cancel()
	}
	leftOpen := 0
	for _, sc := range scs {
		for _, srv := range sc.servers {
			if !srv.closedAfter(sc.client, 5*time.Second) {
				leftOpen++
				t.Errorf("%s: %d connections still open on the %s server after the client closed its idle ones", sc.name, srv.conns.open.Load(), srv.kind)
			}
		}
	}
	var now int
	ok := eventually(5*time.Second, func() bool {
		now = runtime.NumGoroutine()
		return now <= baseline
	})
	t.Logf("%d scenarios; goroutines: %d before, %d after; servers with connections left open: %d", len(scs), baseline, now, leftOpen)
	if !assert.True(t, ok, "goroutines left behind: %d before the suite, %d after", baseline, now) {
		t.Logf("goroutines:\n%s", goroutineDump())
	}
}
