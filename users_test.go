package versori_test

import (
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"net/url"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/versori-go/versori"
	"github.com/versori-go/versori/internal/testutil"
	"github.com/versori-go/versori/versoritest"
)

func TestUsersLifecycle(t *testing.T) {
	t.Parallel()
	c, seeded := startSeeded(t)
	ctx := t.Context()
	hubID := seeded.HubID

	u := createUser(t, c, hubID, "acme-42")
	assert.Equal(t, "acme-42", u.ExternalID)
	assert.Equal(t, "User acme-42", u.DisplayName)
	assert.Equal(t, hubID, u.HubID)
	assert.NotEmpty(t, u.ID)
	assert.False(t, u.CreatedAt.IsZero())
	require.Len(t, u.PrimaryConnection.Credentials.Action, 1)
	cred := u.PrimaryConnection.Credentials.Action[0].Credential
	assert.Equal(t, versori.CredentialTypeString, cred.Type)
	assert.Equal(t, versori.StringCredential{}, cred.Data, "the API redacts the secret on read")
	assert.IsType(t, versori.APIKeyScheme{}, u.PrimaryConnection.Credentials.Action[0].AuthSchemeConfig.Scheme)

	byExternal, err := c.Users.Get(ctx, hubID, versori.ExternalUser("acme-42"))
	require.NoError(t, err)
	byInternal, err := c.Users.Get(ctx, hubID, versori.InternalUser(u.ID))
	require.NoError(t, err)
	assert.Equal(t, u.ID, byExternal.ID)
	assert.Equal(t, u.ID, byInternal.ID)

	_, err = c.Users.Get(ctx, hubID, versori.InternalUser("acme-42"))
	assert.ErrorIs(t, err, versori.ErrNotFound, "an external ID is not an internal one")

	_, err = c.Users.Create(ctx, hubID, versori.CreateEndUserParams{ExternalID: "acme-42", PrimaryConnection: primaryConnection("dup")})
	assert.ErrorIs(t, err, versori.ErrConflict, "external IDs are unique per hub")

	require.NoError(t, c.Users.Delete(ctx, hubID, versori.ExternalUser("acme-42")))
	_, err = c.Users.Get(ctx, hubID, versori.ExternalUser("acme-42"))
	assert.ErrorIs(t, err, versori.ErrNotFound)
	assert.ErrorIs(t, c.Users.Delete(ctx, hubID, versori.ExternalUser("acme-42")), versori.ErrNotFound)
}

// TestEndUserRef checks that EndUser.Ref and EndUserSummary.Ref name the user
// by external ID, and that calls made with it reach that user.
func TestEndUserRef(t *testing.T) {
	t.Parallel()
	c, fake := startFake(t)
	ctx := t.Context()
	hubID := fake.Seeded().HubID
	u := createUser(t, c, hubID, "jane+ops@acme.io/eu")

	ref := u.Ref()
	assert.Equal(t, versori.ExternalUser("jane+ops@acme.io/eu"), ref)
	assert.Equal(t, "jane+ops@acme.io/eu", ref.ID())
	assert.False(t, ref.IsInternal())
	assert.Equal(t, "external:jane+ops@acme.io/eu", ref.String())

	got, err := c.Users.Get(ctx, hubID, ref)
	require.NoError(t, err)
	assert.Equal(t, u.ID, got.ID)
	fake.ResetRequests()
	_, err = c.Connections.List(ctx, hubID, ref, nil)
	require.NoError(t, err)
	require.Len(t, fake.Requests(), 1)
	assert.Equal(t, "identifier_type=external", fake.Requests()[0].RawQuery)

	users := collect(t, c.Users.All(ctx, hubID, nil))
	require.Len(t, users, 1)
	assert.Equal(t, ref, users[0].Ref())
}

func TestUsersWithAwkwardExternalIDs(t *testing.T) {
	t.Parallel()
	c, seeded := startSeeded(t)
	ctx := t.Context()
	hubID := seeded.HubID
	ids := []string{"jane+ops@acme.io/eu#2?x=1 %", "a/b", "a%2Fb", "ünï cødé", "x?y=z&w", "#frag", "...", "sp ace"}
	for _, id := range ids {
		createUser(t, c, hubID, id)
	}
	for _, id := range ids {
		u, err := c.Users.Get(ctx, hubID, versori.ExternalUser(id))
		require.NoError(t, err, id)
		assert.Equal(t, id, u.ExternalID, "reached the right user")
	}
}

func TestUsersListPaginationAndSearch(t *testing.T) {
	t.Parallel()
	c, seeded := startSeeded(t)
	ctx := t.Context()
	hubID := seeded.HubID
	for i := range 7 {
		createUser(t, c, hubID, fmt.Sprintf("page-user-%d", i))
	}
	createUser(t, c, hubID, "someone-else")

	page, err := c.Users.List(ctx, hubID, &versori.ListEndUsersParams{First: 3})
	require.NoError(t, err)
	assert.Equal(t, 8, page.TotalCount)
	assert.Len(t, page.Users, 3)
	require.NotEmpty(t, page.Next)

	second, err := c.Users.List(ctx, hubID, &versori.ListEndUsersParams{First: 3, After: page.Next})
	require.NoError(t, err)
	assert.Equal(t, "page-user-3", second.Users[0].ExternalID)
	require.NotEmpty(t, second.Prev)
	back, err := c.Users.List(ctx, hubID, &versori.ListEndUsersParams{First: 3, Before: second.Prev})
	require.NoError(t, err)
	assert.Equal(t, page.Users, back.Users)

	all := collect(t, c.Users.All(ctx, hubID, &versori.ListEndUsersParams{First: 2}))
	assert.Len(t, all, 8)

	found, err := c.Users.List(ctx, hubID, &versori.ListEndUsersParams{Search: "SOMEONE"})
	require.NoError(t, err)
	require.Len(t, found.Users, 1)
	assert.Equal(t, "someone-else", found.Users[0].ExternalID)

	_, err = c.Users.List(ctx, hubID, &versori.ListEndUsersParams{After: "not-a-cursor"})
	assert.ErrorIs(t, err, versori.ErrValidation)
	var apiErr *versori.APIError
	assert.ErrorAs(t, err, &apiErr, "refused by the API, not the SDK")
}

// TestListEndUsersParamsFirst checks the flattened list parameters: First
// sets the page size of List and All, with no embedded options struct.
func TestListEndUsersParamsFirst(t *testing.T) {
	t.Parallel()
	c, fake := startFake(t)
	ctx := t.Context()
	hubID := fake.Seeded().HubID
	createUsers(t, c, hubID, 25)

	page, err := c.Users.List(ctx, hubID, &versori.ListEndUsersParams{First: 10})
	require.NoError(t, err)
	assert.Len(t, page.Users, 10)
	assert.Equal(t, 25, page.TotalCount)
	assert.NotEmpty(t, page.Next)

	fake.ResetRequests()
	users := collect(t, c.Users.All(ctx, hubID, &versori.ListEndUsersParams{First: 10}))
	require.Len(t, users, 25)
	for i, u := range users {
		assert.Equal(t, userID(i), u.ExternalID)
	}
	reqs := fake.Requests()
	require.Len(t, reqs, 3, "pages of 10, 10 and 5")
	for _, r := range reqs {
		q, err := url.ParseQuery(r.RawQuery)
		require.NoError(t, err)
		assert.Equal(t, "10", q.Get("first"))
	}
}

// TestUsersAllVisitsEveryUserOnce iterates hubs of several sizes in pages of
// several sizes, checking each user comes once, in order, from one request
// per page.
func TestUsersAllVisitsEveryUserOnce(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ total, size int }{{0, 10}, {1, 1}, {5, 1}, {10, 3}, {10, 10}, {11, 10}, {30, 7}} {
		t.Run(fmt.Sprintf("%d users in pages of %d", tc.total, tc.size), func(t *testing.T) {
			t.Parallel()
			c, fake := startFake(t)
			hubID := fake.Seeded().HubID
			createUsers(t, c, hubID, tc.total)
			fake.ResetRequests()
			seq := c.Users.All(t.Context(), hubID, &versori.ListEndUsersParams{First: tc.size})
			got := collect(t, seq)
			require.Len(t, got, tc.total)
			for i, u := range got {
				assert.Equal(t, userID(i), u.ExternalID)
			}
			pages := max(1, (tc.total+tc.size-1)/tc.size)
			assert.Equal(t, pages, countOp(fake, versoritest.OpListEndUsers))

			// The same iterator, ranged again, starts afresh.
			assert.Len(t, collect(t, seq), tc.total)
		})
	}
}

func TestUsersCreateValidationFromAPI(t *testing.T) {
	t.Parallel()
	c, seeded := startSeeded(t)
	// Passes the SDK's checks (which cover what the SDK can know) but not the
	// API's: md5 is no HMAC algorithm the API offers.
	scheme := versori.AuthSchemeConfig{Scheme: versori.HMACScheme{Name: "X-Sig", In: versori.InHeader, Algorithm: "md5", DigestInputs: []versori.HMACDigestInput{versori.DigestBody}}}
	_, err := c.Users.Create(t.Context(), seeded.HubID, versori.CreateEndUserParams{
		ExternalID:        "x",
		PrimaryConnection: versori.ConnectionCreate{Name: "n", Credentials: versori.ActionCredential(scheme, versori.APIKey("c", "v"))},
	})
	var apiErr *versori.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.ErrorIs(t, err, versori.ErrValidation)
	assert.NotErrorIs(t, err, versori.ErrNotSent)
	require.NotEmpty(t, apiErr.Fields)
	assert.Contains(t, apiErr.Fields[0].Field, "authSchemeConfig.algorithm")
	assert.Equal(t, versoritest.OpCreateEndUser, apiErr.Operation)
}

// memoryHubID and memoryKey are the hub and key of the memory test's server.
const (
	memoryHubID = "0b9d7e3c-5a41-4f2e-9c86-1d2f3a4b5c6d"
	memoryKey   = "vtest_memory_key"
)

// TestUsersAllKeepsMemoryBounded iterates 100,000 end users in pages of 100
// and checks that the heap the iteration holds, measured after a collection
// at points through it and at its end, stays within three pages' size: the
// iterator must hold one page at a time, however many it has seen.
//
// It measures live heap bytes (HeapAlloc after a GC), not HeapInuse:
// HeapInuse counts whole 8 KiB spans, and a span pinned by one surviving
// object counts in full, so its growth wanders between 3 and 6 pages from run
// to run. HeapInuse is bounded loosely as well, so a leak (one page per page
// iterated, 1,000 here) still fails. Not parallel: other tests' allocations
// would blur the measurement.
func TestUsersAllKeepsMemoryBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("iterates 100,000 users")
	}
	const total, pageSize = 100_000, 100
	// testutil.UsersPages makes the users up on the fly and holds nothing
	// between calls, so the only memory that can grow with the number of
	// pages is the client's. (The fake would hold every user, and take
	// minutes to fill.)
	srv := httptest.NewServer(testutil.UsersPages(total, memoryHubID))
	defer srv.Close()
	c, err := versori.NewClient(versori.WithAPIKey(memoryKey), versori.WithBaseURL(srv.URL))
	require.NoError(t, err)
	ctx := t.Context()
	params := &versori.ListEndUsersParams{First: pageSize}

	// One page's size is the larger of its JSON body and its decoded users.
	pageBytes, err := testutil.PageBytes(srv.URL, pageSize, func(body []byte) (any, error) {
		var page versori.EndUserPage
		err := json.Unmarshal(body, &page)
		require.Len(t, page.Users, pageSize)
		return &page, err
	})
	require.NoError(t, err)
	t.Logf("one page: %d bytes", pageBytes)

	// A first, shorter iteration outside the measurement opens the
	// connection, fills the JSON caches and lets the runtime start its
	// threads: one-off costs of the process, not memory the iteration holds.
	warm := 0
	for _, err := range c.Users.All(ctx, memoryHubID, params) {
		require.NoError(t, err)
		if warm++; warm == total/10 {
			break
		}
	}
	baseLive, baseInUse := testutil.LiveHeap()

	var worstLive, worstInUse float64
	measure := func(when string) {
		live, inUse := testutil.LiveHeap()
		l, u := float64(live-baseLive)/float64(pageBytes), float64(inUse-baseInUse)/float64(pageBytes)
		t.Logf("%s: live heap grew by %.2f pages, heap in use by %.2f", when, l, u)
		worstLive, worstInUse = max(worstLive, l), max(worstInUse, u)
	}
	n := 0
	for u, err := range c.Users.All(ctx, memoryHubID, params) {
		if err != nil {
			t.Fatal(err)
		}
		if want := testutil.ExternalID(n); u.ExternalID != want {
			t.Fatalf("user %d: external ID %q, want %q", n, u.ExternalID, want)
		}
		n++
		if n%(total/4) == pageSize/2 || n == total {
			measure("after " + strconv.Itoa(n) + " users")
		}
	}
	require.Equal(t, total, n)
	measure("at the end")
	assert.LessOrEqual(t, worstLive, 3.0, "live heap growth in pages of %d bytes while iterating", pageBytes)
	assert.LessOrEqual(t, worstInUse, 20.0, "heap-in-use growth in pages of %d bytes while iterating", pageBytes)
}
