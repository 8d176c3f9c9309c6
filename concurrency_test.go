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

// TestSharedClientUnderLoad shares one client between ConcurrencyWorkers
// goroutines making mixed calls against the fake, while the fake fails some
// GETs with 503 and some POSTs with 429. Run under -race. Every result is
// checked, and the fake's final state must hold exactly what the workers
// left: no user lost, none created twice.
func TestSharedClientUnderLoad(t *testing.T) {
	srv := newFake(t)
	c := fakeClient(t, srv)
	ctx := context.Background()
	seed := srv.Seeded()
	hub := seed.HubID

	// Faults are drawn by whichever call comes next; a generous per-call
	// retry count means none can run out of retries, so any failure is a bug.
	srv.FailNext(versoritest.OpGetHub, 60, versoritest.Fault{Status: 503})
	srv.FailNext(versoritest.OpGetEndUser, 60, versoritest.Fault{Status: 502, RetryAfter: "0"})
	srv.FailNext(versoritest.OpCreateEndUser, 40, versoritest.Fault{Status: 429})
	retry := versori.WithMaxRetries(200)

	var wg sync.WaitGroup
	errs := make(chan error, versori.ConcurrencyWorkers)
	for i := range versori.ConcurrencyWorkers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := worker(ctx, c, hub, seed.PrimaryConnectorID, i, retry); err != nil {
				errs <- fmt.Errorf("worker %d: %w", i, err)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}

	// Odd workers deleted their user; even ones kept it with two connections.
	kept := map[string]bool{}
	for u, err := range c.Users.All(ctx, hub, &versori.ListEndUsersParams{ListOptions: versori.ListOptions{First: 50}}) {
		require.NoError(t, err)
		assert.False(t, kept[u.ExternalID], "user %q listed twice", u.ExternalID)
		kept[u.ExternalID] = true
	}
	assert.Len(t, kept, versori.ConcurrencyWorkers/2)
	for i := 0; i < versori.ConcurrencyWorkers; i += 2 {
		assert.True(t, kept[fmt.Sprintf("load-%03d", i)], i)
	}
	var posts int
	for _, r := range srv.Requests() {
		if r.Operation == versoritest.OpCreateEndUser {
			posts++
		}
	}
	assert.Equal(t, versori.ConcurrencyWorkers+40, posts, "each POST sent once, plus one resend per 429")
}

// worker makes CallsPerWorker mixed calls for its own end user, checking each.
func worker(ctx context.Context, c *versori.Client, hub, connector string, i int, retry versori.CallOption) error {
	ext := fmt.Sprintf("load-%03d", i)
	h, err := c.Hubs.Get(ctx, hub, retry)
	if err != nil || h.ID != hub {
		return fmt.Errorf("Hubs.Get: %v, %+v", err, h)
	}
	u, err := c.Users.Create(ctx, hub, versori.CreateEndUserParams{ExternalID: ext, DisplayName: "Load " + ext, PrimaryConnection: versori.GoodConn()}, retry)
	if err != nil || u.ExternalID != ext || u.ID == "" {
		return fmt.Errorf("Users.Create: %v, %+v", err, u)
	}
	got, err := c.Users.Get(ctx, hub, versori.ExternalUser(ext), retry)
	if err != nil || got.ID != u.ID || got.DisplayName != "Load "+ext {
		return fmt.Errorf("Users.Get external: %v, %+v", err, got)
	}
	got, err = c.Users.Get(ctx, hub, versori.InternalUser(u.ID), retry)
	if err != nil || got.ExternalID != ext {
		return fmt.Errorf("Users.Get internal: %v, %+v", err, got)
	}
	conn, err := c.Connections.Create(ctx, hub, versori.ExternalUser(ext), versori.CreateConnectionParams{ConnectorID: connector, Connection: versori.ConnectionCreate{
		Name: "second " + ext, Credentials: versori.GoodConn().Credentials,
	}})
	if err != nil || conn.Name != "second "+ext {
		return fmt.Errorf("Connections.Create: %v, %+v", err, conn)
	}
	page, err := c.Connections.List(ctx, hub, versori.InternalUser(u.ID), nil)
	if err != nil || len(page.Connections) != 2 {
		return fmt.Errorf("Connections.List: %v, %+v", err, page)
	}
	list, err := c.Users.List(ctx, hub, &versori.ListEndUsersParams{Search: ext})
	if err != nil || len(list.Users) != 1 || list.Users[0].ID != u.ID {
		return fmt.Errorf("Users.List search: %v, %+v", err, list)
	}
	if i%2 == 1 {
		if err := c.Users.Delete(ctx, hub, versori.ExternalUser(ext)); err != nil {
			return fmt.Errorf("Users.Delete: %w", err)
		}
	} else if _, err := c.HealthCheck(ctx); err != nil {
		return fmt.Errorf("HealthCheck: %w", err)
	}
	return nil
}
