package versori_test

// Every All iterator of the client pages alike over the fake: one iterator,
// ranged twice, yields every item both times, in the API's order, from one
// request per page each time; it fetches no page after the caller breaks;
// and an error on a page is yielded once, after the items before it, and
// ends the range. (What an iterator does with a server whose cursors loop is
// in pagination_loop_test.go.)

import (
	"iter"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/versori-go/versori"
	"github.com/versori-go/versori/versoritest"
)

// allMethod is one All method of the client.
type allMethod struct {
	name string
	op   string // the operation each page is fetched with
	// setup fills a fake with at least three items for the method, and
	// returns the method's iterator in pages of first items, yielding each
	// item's key, and the keys it must yield, in order.
	setup func(t *testing.T, c *versori.Client, fake *versoritest.Server) (all func(first int) iter.Seq2[string, error], want []string)
}

// allMethods lists every All method of the client.
func allMethods() []allMethod {
	return []allMethod{
		{"Users.All", versoritest.OpListEndUsers, func(t *testing.T, c *versori.Client, fake *versoritest.Server) (func(int) iter.Seq2[string, error], []string) {
			hubID := fake.Seeded().HubID
			createUsers(t, c, hubID, 3)
			return func(first int) iter.Seq2[string, error] {
				return keyed(c.Users.All(t.Context(), hubID, &versori.ListEndUsersParams{First: first}), func(u versori.EndUserSummary) string { return u.ExternalID })
			}, []string{userID(0), userID(1), userID(2)}
		}},
		{"Connections.All", versoritest.OpListEndUserConnections, func(t *testing.T, c *versori.Client, fake *versoritest.Server) (func(int) iter.Seq2[string, error], []string) {
			seeded := fake.Seeded()
			user := createUser(t, c, seeded.HubID, "conn-user").Ref()
			for _, name := range []string{"second", "third"} {
				_, err := c.Connections.Create(t.Context(), seeded.HubID, user, versori.CreateConnectionParams{
					ConnectorID: seeded.PrimaryConnectorID,
					Connection:  versori.ConnectionCreate{Name: name, Credentials: apiKeyCredentials(name, "k-"+name)},
				})
				require.NoError(t, err)
			}
			return func(first int) iter.Seq2[string, error] {
				return keyed(c.Connections.All(t.Context(), seeded.HubID, user, &versori.ListConnectionsParams{First: first}), func(s versori.ConnectionSummary) string { return s.Name })
			}, []string{"conn-user CRM", "second", "third"}
		}},
		{"Integrations.All", versoritest.OpListIntegrations, func(t *testing.T, c *versori.Client, fake *versoritest.Server) (func(int) iter.Seq2[string, error], []string) {
			seeded := fake.Seeded()
			addIntegrations(t, c, seeded, 2)
			page, err := c.Integrations.List(t.Context(), seeded.HubID, &versori.ListIntegrationsParams{First: 10})
			require.NoError(t, err)
			var want []string
			for _, in := range page.Integrations {
				want = append(want, in.ID)
			}
			return func(first int) iter.Seq2[string, error] {
				return keyed(c.Integrations.All(t.Context(), seeded.HubID, &versori.ListIntegrationsParams{First: first}), func(in versori.Integration) string { return in.ID })
			}, want
		}},
		{"Integrations.AllConnectionTemplates", versoritest.OpListIntegrationConnectionTemplates, func(t *testing.T, c *versori.Client, fake *versoritest.Server) (func(int) iter.Seq2[string, error], []string) {
			shopifyOrders, slack := fake.Seeded().Integrations[0], fake.Seeded().Integrations[1].Templates[1]
			tmpl, err := c.Integrations.CreateConnectionTemplate(t.Context(), shopifyOrders.ID, versori.CreateConnectionTemplateParams{
				ConnectorID:      slack.ConnectorID,
				AuthSchemeConfig: versori.AuthSchemeConfig{Scheme: versori.APIKeyScheme{Name: "Authorization", In: versori.InHeader}},
			})
			require.NoError(t, err)
			return func(first int) iter.Seq2[string, error] {
				return keyed(c.Integrations.AllConnectionTemplates(t.Context(), shopifyOrders.ID, &versori.ListConnectionTemplatesParams{First: first}), func(tm versori.ConnectionTemplate) string { return tm.ID })
			}, []string{shopifyOrders.Templates[0].ID, shopifyOrders.Templates[1].ID, tmpl.ID}
		}},
		{"Activations.All", versoritest.OpListEndUserActivations, func(t *testing.T, c *versori.Client, fake *versoritest.Server) (func(int) iter.Seq2[string, error], []string) {
			seeded := fake.Seeded()
			user := createUser(t, c, seeded.HubID, "act-user").Ref()
			// The hub has two deployed integrations; a third, deployed here
			// and without templates, needs no connection.
			extra := addIntegrations(t, c, seeded, 1)[0]
			require.NoError(t, fake.SetDeployed(extra.ID, true))
			shopifyOrders, slackAlerts := seeded.Integrations[0], seeded.Integrations[1]
			for _, p := range []versori.CreateActivationParams{
				{User: user, IntegrationID: shopifyOrders.ID, Connections: []versori.ActivationConnection{newShopifyConnection(shopifyOrders.Templates[1].ID, "shopify")}},
				{User: user, IntegrationID: slackAlerts.ID, Connections: []versori.ActivationConnection{newSlackConnection(slackAlerts.Templates[1].ID, "slack")}},
				{User: user, IntegrationID: extra.ID},
			} {
				_, err := c.Activations.Create(t.Context(), p)
				require.NoError(t, err)
			}
			page, err := c.Activations.List(t.Context(), seeded.HubID, user, nil)
			require.NoError(t, err)
			var want []string
			for _, a := range page.Activations {
				want = append(want, a.ID)
			}
			return func(first int) iter.Seq2[string, error] {
				return keyed(c.Activations.All(t.Context(), seeded.HubID, user, &versori.ListActivationsParams{First: first}), func(a versori.ActivationSummary) string { return a.ID })
			}, want
		}},
		{"Embed.AllIntegrations", versoritest.OpListEndUserIntegrations, func(t *testing.T, c *versori.Client, fake *versoritest.Server) (func(int) iter.Seq2[string, error], []string) {
			seeded := fake.Seeded()
			user := createUser(t, c, seeded.HubID, "embed-user").Ref()
			return func(first int) iter.Seq2[string, error] {
				return keyed(c.Embed.AllIntegrations(t.Context(), seeded.HubID, user, &versori.ListEmbeddedIntegrationsParams{First: first}), func(in versori.EmbeddedIntegrationSummary) string { return in.ID })
			}, []string{seeded.Integrations[0].ID, seeded.Integrations[1].ID, seeded.Integrations[2].ID}
		}},
	}
}

// keyed yields key(item) for each item seq yields, and its errors.
func keyed[T any](seq iter.Seq2[T, error], key func(T) string) iter.Seq2[string, error] {
	return func(yield func(string, error) bool) {
		for v, err := range seq {
			if err != nil {
				v = *new(T)
			}
			if !yield(key(v), err) {
				return
			}
		}
	}
}

// eachAllMethod runs test for every All method in a subtest of its own, over
// a fake of its own set up for it, the fake's request log emptied.
func eachAllMethod(t *testing.T, test func(t *testing.T, fake *versoritest.Server, m allMethod, all func(first int) iter.Seq2[string, error], want []string)) {
	for _, m := range allMethods() {
		t.Run(m.name, func(t *testing.T) {
			t.Parallel()
			c, fake := startFake(t)
			all, want := m.setup(t, c, fake)
			require.GreaterOrEqual(t, len(want), 3)
			fake.ResetRequests()
			test(t, fake, m, all, want)
		})
	}
}

func TestAllRangedTwiceYieldsEverythingBothTimes(t *testing.T) {
	t.Parallel()
	eachAllMethod(t, func(t *testing.T, fake *versoritest.Server, m allMethod, all func(int) iter.Seq2[string, error], want []string) {
		for _, first := range []int{1, 2} {
			fake.ResetRequests()
			seq := all(first)
			for range 2 { // one iterator, ranged twice
				assert.Equal(t, want, collect(t, seq), "pages of %d", first)
			}
			pages := (len(want) + first - 1) / first
			assert.Equal(t, 2*pages, countOp(fake, m.op), "one request per page of %d, each range", first)
		}
	})
}

func TestAllStopsWhenTheCallerBreaks(t *testing.T) {
	t.Parallel()
	eachAllMethod(t, func(t *testing.T, fake *versoritest.Server, m allMethod, all func(int) iter.Seq2[string, error], want []string) {
		n := 0
		for _, err := range all(2) {
			require.NoError(t, err)
			if n++; n == 3 { // the first item of the second page
				break
			}
		}
		assert.Equal(t, 2, countOp(fake, m.op), "no page fetched after the caller stopped")
	})
}

func TestAllYieldsAnErrorOnceAndStops(t *testing.T) {
	t.Parallel()
	eachAllMethod(t, func(t *testing.T, fake *versoritest.Server, m allMethod, all func(int) iter.Seq2[string, error], want []string) {
		var got []string
		var errs []error
		for key, err := range all(1) {
			if err != nil {
				errs = append(errs, err)
				continue
			}
			got = append(got, key)
			if len(got) == 2 { // the third page is fetched next: fail it
				fake.FailNext(m.op, 1, versoritest.Fault{Status: http.StatusForbidden})
			}
		}
		assert.Equal(t, want[:2], got, "the items before the failed page")
		if assert.Len(t, errs, 1) {
			assert.ErrorIs(t, errs[0], versori.ErrForbidden)
		}
		assert.Equal(t, 3, countOp(fake, m.op), "no page fetched after the error")
	})
}
