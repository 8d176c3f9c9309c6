package versori

import "context"

// The tests that run the SDK against versoritest (badinput_fake_test.go,
// concurrency_test.go) are in package versori_test: versoritest imports this
// package, so this package's own tests cannot import versoritest. This file
// hands them the fixtures they share with the internal tests.

// AdversarialIDs are the IDs that break naive path building (adversarialIDs).
var AdversarialIDs = adversarialIDs

// GoodConn returns a valid connection with one string credential (goodConn).
func GoodConn() ConnectionCreate { return goodConn() }

// concurrencyWorkers is the number of goroutines sharing one client in
// TestSharedClientUnderLoad, and callsPerWorker how many API calls each makes;
// RELIABILITY.md quotes both.
const (
	concurrencyWorkers = 200
	callsPerWorker     = 8
)

// ConcurrencyWorkers and CallsPerWorker export the two for
// TestSharedClientUnderLoad.
const (
	ConcurrencyWorkers = concurrencyWorkers
	CallsPerWorker     = callsPerWorker
)

// PathMethod is one API method of apiMethods as the external tests see it:
// its path parameters are named as in its route pattern ("{hub_id}").
type PathMethod struct {
	Name    string   // "Service.Method"
	Op      string   // the spec's operationId
	Pattern string   // the fake's route
	Params  []string // the pattern's parameters, e.g. "{hub_id}"
	// Call calls the method with a valid body and these path parameters;
	// parameters ids leaves out keep their validIDs value.
	Call func(ctx context.Context, c *Client, ids map[string]string) error
}

// PathMethods returns every method of apiMethods as a PathMethod.
func PathMethods() []PathMethod {
	all := []pathParam{pOrg, pHub, pUser, pIntegration, pActivation, pTemplate, pConnector}
	var out []PathMethod
	for _, m := range apiMethods() {
		pm := PathMethod{Name: m.name, Op: m.op, Pattern: m.pattern}
		for _, p := range m.params {
			pm.Params = append(pm.Params, p.pattern)
		}
		call := m.call
		pm.Call = func(ctx context.Context, c *Client, ids map[string]string) error {
			p := validIDs
			for _, pp := range all {
				if v, ok := ids[pp.pattern]; ok {
					pp.set(&p, v)
				}
			}
			return call(ctx, c, p)
		}
		out = append(out, pm)
	}
	return out
}
