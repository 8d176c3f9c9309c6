package platform

import (
	"github.com/oklog/ulid/v2"

	"github.com/versori-go/versori/internal/union"
)

// ExternalID is your ID for an end user: the one you created them with,
// unique in the organisation, and the subject of their tokens. Where the API
// takes only an external ID the SDK takes an ExternalID, so that Versori's
// UserID cannot be passed by mistake.
type ExternalID string

// UserID is Versori's ID (a ULID) for an end user. Where the API takes only
// this ID the SDK takes a UserID, so that an ExternalID cannot be passed by
// mistake.
type UserID string

// User names an end user by either kind of ID, where the API accepts both:
// an ExternalID or a UserID. A plain string does not compile: say which.
type User interface{ userID() string }

func (id ExternalID) userID() string { return string(id) }
func (id UserID) userID() string     { return string(id) }

// userSegment returns user's ID as a path segment, refusing a nil or empty one.
func userSegment(field string, user User) (string, error) {
	if user == nil || union.IsNil(user) { // a nil *ExternalID is a User too
		return "", invalid(field, "is required")
	}
	return segment(field, user.userID())
}

// isVersoriID says whether id could be read as one of Versori's IDs (a ULID).
func isVersoriID(id string) bool {
	_, err := ulid.ParseStrict(id)
	return err == nil
}
