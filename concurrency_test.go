package versori_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/versori-go/versori"
	"github.com/versori-go/versori/versoritest"
)

// concurrencyWorkers is the number of goroutines sharing one client in
// TestSharedClientUnderLoad, each making callsPerWorker calls (see worker),
// while the fake fails loadFaults of them; RELIABILITY.md quotes them.
const (
	concurrencyWorkers = 200
	callsPerWorker     = 8
)

// loadFaults are the faults the fake injects under TestSharedClientUnderLoad,
// drawn by whichever call comes next: 503s on GetHub, 502s with
// Retry-After: 0 on GetEndUser, and 429s on CreateEndUser.
var loadFaults = struct{ hub503, user502, create429 int }{60, 60, 40}

// TestSharedClientUnderLoad shares one client between concurrencyWorkers
// goroutines making mixed calls against the fake, while the fake fails some
// GETs with 502 or 503 and some POSTs with 429. Run under -race. Every result
// is checked, and the fake's final state must hold exactly what the workers
// left: no user lost, none created twice.
func TestSharedClientUnderLoad(t *testing.T) {
	t.Parallel()
	c, fake := startFake(t)
	ctx := context.Background()
	seeded := fake.Seeded()

	// Faults are drawn by whichever call comes next; with MaxRetries per call
	// none can run out of retries (no operation has that many faults), so
	// any failure is a bug.
	hubFaults, userFaults, createFaults := loadFaults.hub503, loadFaults.user502, loadFaults.create429
	fake.FailNext(versoritest.OpGetHub, hubFaults, versoritest.Fault{Status: 503})
	fake.FailNext(versoritest.OpGetEndUser, userFaults, versoritest.Fault{Status: 502, RetryAfter: "0"})
	fake.FailNext(versoritest.OpCreateEndUser, createFaults, versoritest.Fault{Status: 429})
	retry := versori.WithMaxRetries(versori.MaxRetries)

	var wg sync.WaitGroup
	errs := make(chan error, concurrencyWorkers)
	for i := range concurrencyWorkers {
		wg.Go(func() {
			if err := worker(ctx, c, seeded.HubID, seeded.PrimaryConnectorID, i, retry); err != nil {
				errs <- fmt.Errorf("worker %d: %w", i, err)
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	assert.Len(t, fake.Requests(), concurrencyWorkers*callsPerWorker+hubFaults+userFaults+createFaults,
		"%d calls per worker, and one resend per fault", callsPerWorker)

	// Odd workers deleted their user; even ones kept it with two connections.
	kept := map[string]bool{}
	for _, u := range collect(t, c.Users.All(ctx, seeded.HubID, &versori.ListEndUsersParams{First: 50})) {
		assert.False(t, kept[u.ExternalID], "user %q listed twice", u.ExternalID)
		kept[u.ExternalID] = true
	}
	assert.Len(t, kept, concurrencyWorkers/2)
	for i := 0; i < concurrencyWorkers; i += 2 {
		assert.True(t, kept[fmt.Sprintf("load-%03d", i)], i)
	}
	assert.Equal(t, concurrencyWorkers+createFaults, countOp(fake, versoritest.OpCreateEndUser), "each POST sent once, plus one resend per 429")
	assert.Equal(t, concurrencyWorkers+hubFaults, countOp(fake, versoritest.OpGetHub))
	assert.Equal(t, 2*concurrencyWorkers+userFaults, countOp(fake, versoritest.OpGetEndUser))
}

// worker makes callsPerWorker mixed calls for its own end user, checking each.
func worker(ctx context.Context, c *versori.Client, hubID, connectorID string, i int, retry versori.Option) error {
	ext := fmt.Sprintf("load-%03d", i)
	h, err := c.Hubs.Get(ctx, hubID, retry)
	if err != nil || h.ID != hubID {
		return fmt.Errorf("Hubs.Get: %v, %+v", err, h)
	}
	u, err := c.Users.Create(ctx, hubID, versori.CreateEndUserParams{ExternalID: ext, DisplayName: "Load " + ext, PrimaryConnection: primaryConnection(ext)}, retry)
	if err != nil || u.ExternalID != ext || u.ID == "" {
		return fmt.Errorf("Users.Create: %v, %+v", err, u)
	}
	got, err := c.Users.Get(ctx, hubID, u.Ref(), retry)
	if err != nil || got.ID != u.ID || got.DisplayName != "Load "+ext {
		return fmt.Errorf("Users.Get external: %v, %+v", err, got)
	}
	got, err = c.Users.Get(ctx, hubID, versori.InternalUser(u.ID), retry)
	if err != nil || got.ExternalID != ext {
		return fmt.Errorf("Users.Get internal: %v, %+v", err, got)
	}
	conn, err := c.Connections.Create(ctx, hubID, u.Ref(), versori.CreateConnectionParams{ConnectorID: connectorID, Connection: versori.ConnectionCreate{
		Name: "second " + ext, Credentials: apiKeyCredentials("second "+ext, "k-"+ext),
	}})
	if err != nil || conn.Name != "second "+ext {
		return fmt.Errorf("Connections.Create: %v, %+v", err, conn)
	}
	page, err := c.Connections.List(ctx, hubID, versori.InternalUser(u.ID), nil)
	if err != nil || len(page.Connections) != 2 {
		return fmt.Errorf("Connections.List: %v, %+v", err, page)
	}
	list, err := c.Users.List(ctx, hubID, &versori.ListEndUsersParams{Search: ext})
	if err != nil || len(list.Users) != 1 || list.Users[0].ID != u.ID {
		return fmt.Errorf("Users.List search: %v, %+v", err, list)
	}
	if i%2 == 1 {
		if err := c.Users.Delete(ctx, hubID, u.Ref()); err != nil {
			return fmt.Errorf("Users.Delete: %w", err)
		}
	} else if _, err := c.HealthCheck(ctx); err != nil {
		return fmt.Errorf("HealthCheck: %w", err)
	}
	return nil
}

// TestSharedIteratorsUnderLoad ranges over one iterator of each list from
// many goroutines at once: each range must see every item.
func TestSharedIteratorsUnderLoad(t *testing.T) {
	t.Parallel()
	c, seeded := startSeeded(t)
	ctx := t.Context()
	createUsers(t, c, seeded.HubID, 7)
	_, err := c.Integrations.Create(ctx, seeded.HubID, versori.CreateIntegrationParams{OrganisationID: seeded.OrganisationID, Name: "Extra"})
	require.NoError(t, err)

	users := c.Users.All(ctx, seeded.HubID, &versori.ListEndUsersParams{First: 2})
	integrations := c.Integrations.All(ctx, seeded.HubID, &versori.ListIntegrationsParams{First: 2})
	var wg sync.WaitGroup
	errs := make(chan error, 2*concurrencyWorkers/4)
	for range concurrencyWorkers / 4 {
		wg.Go(func() {
			if n, err := count(users); err != nil || n != 7 {
				errs <- fmt.Errorf("users: %d, %v", n, err)
			}
		})
		wg.Go(func() {
			if n, err := count(integrations); err != nil || n != 4 {
				errs <- fmt.Errorf("integrations: %d, %v", n, err)
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// count ranges over seq, returning how many items it yields before the end
// or the first error.
func count[T any](seq func(yield func(T, error) bool)) (int, error) {
	n := 0
	for _, err := range seq {
		if err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}
